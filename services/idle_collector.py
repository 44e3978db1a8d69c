"""Full garbage collections at quiet moments instead of in the middle of a page load.

A served workbench keeps every open tab's views in memory (and a closed tab's for the reconnect timeout), about
20,000 tracked objects per tab. CPython starts a full collection whenever enough new objects have survived, at a
random moment; walking those tabs then took 15-250 ms here (2 cores), and it landed in whatever page build, asset
request or socket handshake was running. So after the startup loads the heap is frozen (everything allocated so
far is left out of later walks), automatic full collections are turned off, and this loop runs them itself once
the process has been quiet for a moment: no page load in progress (``busy``) and an event loop that wakes on time.
If the process never goes quiet, a full collection still runs after ``max_wait_s``, so memory stays bounded.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Awaitable, Callable

NO_AUTOMATIC_FULL = 1_000_000
"""Generation-2 threshold that CPython never reaches in practice: it counts generation-1 collections."""


def full_collection_due(threshold: int = 10) -> bool:
    """Whether CPython's default policy would have run a full collection by now (10 generation-1 collections)."""
    return gc.get_count()[2] >= threshold


class IdleCollector:
    """Runs the process's full garbage collections when nothing is waiting on the event loop."""

    def __init__(
        self,
        busy: Callable[[], bool],
        *,
        quiet_s: float = 0.25,
        tick_s: float = 0.05,
        late_s: float = 0.01,
        max_wait_s: float = 30.0,
        due: Callable[[], bool] = full_collection_due,
        collect: Callable[[], object] = gc.collect,
    ) -> None:
        self.busy = busy
        self.quiet_s = quiet_s
        self.tick_s = tick_s
        self.late_s = late_s
        self.max_wait_s = max_wait_s
        self.due = due
        self.collect = collect
        self.collections = 0

    async def run(self, ready: Callable[[], Awaitable[None]] | None = None, *, take_over: bool = True) -> None:
        """Wait for ``ready`` (the startup loads), then freeze the heap and collect in quiet moments until cancelled.

        ``take_over=False`` leaves CPython's own policy and the heap alone (tests run many apps in one process).
        """
        if ready is not None:
            await ready()
        previous = gc.get_threshold()
        if take_over:
            gc.collect()
            gc.freeze()
            gc.set_threshold(previous[0], previous[1], NO_AUTOMATIC_FULL)
        try:
            await self._loop()
        finally:
            if take_over:
                gc.set_threshold(*previous)

    async def _loop(self) -> None:
        quiet_since = last_full = time.monotonic()
        while True:
            before = time.monotonic()
            await asyncio.sleep(self.tick_s)
            now = time.monotonic()
            if now - before > self.tick_s + self.late_s or self.busy():
                quiet_since = now  # the loop had work queued, or a page is loading: not a moment to pause it
            if not self.due():
                continue
            if now - quiet_since >= self.quiet_s or now - last_full >= self.max_wait_s:
                self.collect()
                self.collections += 1
                last_full = quiet_since = time.monotonic()
