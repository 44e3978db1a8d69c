"""What every view receives: the shared services, its client, its tab's state and a way to switch pages."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from nicegui import Client


class TabState:
    """A view's corner of ``app.storage.tab``: survives page switches and reloads, separate for each browser tab.

    Values must be JSON-like (tab storage may be persisted); each view keeps one dict under its own key.
    """

    def __init__(self, storage: MutableMapping[str, Any]) -> None:
        self._storage = storage

    def section(self, key: str) -> MutableMapping[str, Any]:
        if not isinstance(self._storage.get(key), MutableMapping):
            self._storage[key] = {}
        return self._storage[key]


@dataclass
class ViewContext:
    services: Any
    client: Client
    state: TabState
    navigate: Callable[[str], None]


class View:
    """A page's content, built once per client into its pane and kept alive for the client's lifetime."""

    title: str = ''

    def build(self) -> None:
        raise NotImplementedError

    def on_show(self) -> None:
        """Called (server side) after the client switched to this view; cheap refreshes only."""
