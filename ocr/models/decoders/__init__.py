"""Necks that fuse the four encoder features into one stride-4 map (imported lazily via the registry)."""
