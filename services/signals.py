"""A tiny publish/subscribe primitive for services that must not import nicegui.

Views bridge a ``Signal`` to their own refresh (and unsubscribe when their client is deleted); services emit on the
event-loop thread. A failing subscriber is logged and skipped so one broken page cannot stall a catalog or a job.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

logger = logging.getLogger(__name__)

Callback = Callable[..., Any]


class Signal:
    """Synchronous and asynchronous subscribers, called in subscription order on ``emit``.

    Sync callbacks run inline. Coroutine results are scheduled as tasks on the running loop (references kept until
    they finish) so ``emit`` never blocks the emitter; without a running loop they are run to completion.
    """

    def __init__(self, name: str = "") -> None:
        self.name = name
        self._subscribers: list[Callback] = []
        self._tasks: set[asyncio.Task[Any]] = set()

    def subscribe(self, callback: Callback) -> Callable[[], None]:
        """Register ``callback``; the returned function removes it again (safe to call twice)."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    def emit(self, *args: Any) -> None:
        for callback in list(self._subscribers):
            try:
                result = callback(*args)
            except Exception:
                logger.exception("subscriber %r of signal %r failed", callback, self.name)
                continue
            if inspect.isawaitable(result):
                self._schedule(result)

    def _schedule(self, awaitable: Awaitable[Any]) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            try:
                asyncio.run(_as_coroutine(awaitable))
            except Exception:
                logger.exception("async subscriber of signal %r failed", self.name)
            return
        task = loop.create_task(_as_coroutine(awaitable))
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("async subscriber of signal %r failed", self.name, exc_info=task.exception())


async def _as_coroutine(awaitable: Awaitable[Any]) -> Any:
    return await awaitable
