"""What every view receives: the shared services, its client, its tab's state and a way to switch pages."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any

from nicegui import Client


class TabState:
    """Per-view state that lives in ``app.storage.tab``: kept across page switches and reloads, separate per tab.

    Tab storage exists only once the browser's socket is connected, but the first view is built before that, into
    the initial HTML, so the page paints without a round trip. Until ``attach`` sections are plain in-memory dicts
    with the defaults; ``attach`` moves them into tab storage, where a section left by an earlier visit of the same
    tab (a reload) wins, and the views then ``restore`` from it. Values must be JSON-like.
    """

    def __init__(self) -> None:
        self._pending: dict[str, dict[str, Any]] = {}
        self._storage: MutableMapping[str, Any] | None = None

    @property
    def attached(self) -> bool:
        return self._storage is not None

    def section(self, key: str) -> Section:
        return Section(self, key)

    def backing(self, key: str) -> MutableMapping[str, Any]:
        if self._storage is None:
            return self._pending.setdefault(key, {})
        if not isinstance(self._storage.get(key), MutableMapping):
            self._storage[key] = dict(self._pending.pop(key, {}))
        return self._storage[key]

    def attach(self, storage: MutableMapping[str, Any]) -> None:
        """Switch to the tab's storage; sections it already holds (from before a reload) are kept as they are."""
        self._storage = storage
        for key, values in self._pending.items():
            if not isinstance(storage.get(key), MutableMapping) or not storage[key]:
                storage[key] = dict(values)
        self._pending.clear()


class Section(MutableMapping[str, Any]):
    """One view's dict inside ``TabState``; stays valid across ``attach`` (views keep it for their lifetime)."""

    def __init__(self, owner: TabState, key: str) -> None:
        self._owner = owner
        self._key = key

    @property
    def _data(self) -> MutableMapping[str, Any]:
        return self._owner.backing(self._key)

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._data[key] = value

    def __delitem__(self, key: str) -> None:
        del self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._data))

    def __len__(self) -> int:
        return len(self._data)


@dataclass
class ViewContext:
    services: Any
    client: Client
    state: TabState
    navigate: Callable[[str], None]


class View(ABC):
    """A page's content, built once per client into its pane and kept alive for the client's lifetime."""

    title: str = ''

    @abstractmethod
    def build(self) -> None:
        """Create the page's elements inside the current container."""

    def restore(self) -> None:
        """The tab's stored state became available (after connecting): show it; cheap if nothing was stored."""
        return None

    def complete(self) -> None:
        """Build what a build before the socket was up left out (below the first screen); a no-op otherwise."""
        return None

    def on_show(self) -> None:
        """Called (server side) after the client switched to this view; cheap refreshes only."""
        return None
