"""Training objectives for the detector heads (imported lazily via the registry)."""
