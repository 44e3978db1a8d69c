"""Component names from the torch-free model registry, for the architecture/encoder/... pickers.

``ocr.models.registry`` maps names to lazily imported factories, so importing it lists names without importing
torch. If it cannot be imported (a broken checkout), the Hydra config group folders are the fallback source.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass

REGISTRY_MODULE = "ocr.models.registry"
# options_source -> (registry attribute, Hydra group used as the fallback)
SOURCES: Mapping[str, tuple[str, str]] = {
    "architectures": ("ARCHITECTURES", "model/architecture"),
    "encoders": ("ENCODERS", "model/encoder"),
    "decoders": ("DECODERS", "model/decoder"),
    "heads": ("HEADS", "model/head"),
    "losses": ("LOSSES", "model/loss"),
}


@dataclass(frozen=True)
class RegistryNames:
    names: Mapping[str, tuple[str, ...]]
    error: str | None = None


def load_registry_names(module_name: str = REGISTRY_MODULE) -> RegistryNames:
    """Names per options source; ``error`` says why the registry could not be read (names then stay empty)."""
    try:
        module = importlib.import_module(module_name)
        names: dict[str, tuple[str, ...]] = {}
        for source, (attribute, _group) in SOURCES.items():
            entry = getattr(module, attribute)
            listed = entry.names() if hasattr(entry, "names") else list(entry)
            names[source] = tuple(str(name) for name in listed)
        return RegistryNames(names=names)
    except Exception as error:  # any failure here must degrade to the config-group fallback, not crash the UI
        return RegistryNames(names={}, error=f"cannot list model components from {module_name}: {error}")
