"""Connecting long-lived service signals to one client's short-lived elements.

Services emit ``services.signals.Signal`` from the event loop, outside any page context. A view subscribes for as long
as its client lives and unsubscribes when the client is deleted, so a closed tab never keeps receiving (or leaks
elements). Callbacks run inside the client's context, so they may create elements in containers they enter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import Client


def follow(client: Client, signal: Any, callback: Callable[..., Any]) -> Callable[[], None]:
    """Call ``callback(*args)`` on every emit of ``signal`` until ``client`` is deleted; returns the unsubscriber."""

    def deliver(*args: Any) -> Any:
        if client.is_deleted:
            unsubscribe()
            return None
        with client:
            return callback(*args)

    unsubscribe = signal.subscribe(deliver)
    client.on_delete(unsubscribe)
    return unsubscribe

