"""The idle collector: full garbage collections wait for a quiet moment, but never forever."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable

from services.idle_collector import NO_AUTOMATIC_FULL, IdleCollector


def collector(busy: Callable[[], bool], *, due: bool = True, max_wait_s: float = 30.0) -> IdleCollector:
    """A collector on short clocks whose one due collection, once run, is no longer due (like CPython's count)."""
    pending = {'due': due}
    return IdleCollector(busy, quiet_s=0.05, tick_s=0.01, late_s=0.05, max_wait_s=max_wait_s,
                         due=lambda: pending['due'], collect=lambda: pending.update(due=False))


async def run_for(seconds: float, keeper: IdleCollector, **kwargs) -> None:
    task = asyncio.create_task(keeper.run(take_over=False, **kwargs))
    await asyncio.sleep(seconds)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_no_collection_while_a_page_loads_and_one_soon_after() -> None:
    loading = {'now': True}
    keeper = collector(lambda: loading['now'])
    task = asyncio.create_task(keeper.run(take_over=False))
    await asyncio.sleep(0.3)
    assert keeper.collections == 0, 'a page is loading: the collection waits'
    loading['now'] = False
    await asyncio.sleep(0.3)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert keeper.collections == 1, 'once quiet, the due collection runs, and only once per due'


async def test_nothing_runs_when_no_collection_is_due() -> None:
    keeper = collector(lambda: False, due=False)
    await run_for(0.3, keeper)
    assert keeper.collections == 0


async def test_a_process_that_never_goes_quiet_still_collects_after_the_longest_wait() -> None:
    keeper = collector(lambda: True, max_wait_s=0.2)
    task = asyncio.create_task(keeper.run(take_over=False))
    await asyncio.sleep(0.1)
    assert keeper.collections == 0, 'it waits for a quiet moment first'
    await asyncio.sleep(0.3)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert keeper.collections == 1, 'memory stays bounded even under constant load'


async def test_a_busy_event_loop_counts_as_not_quiet() -> None:
    keeper = collector(lambda: False)

    async def hog() -> None:  # the loop is handed back late every tick: requests are being served
        while True:
            await asyncio.sleep(0)
            time.sleep(0.07)

    hogging = asyncio.create_task(hog())
    await run_for(0.4, keeper)
    hogging.cancel()
    await asyncio.gather(hogging, return_exceptions=True)
    assert keeper.collections == 0


async def test_taking_over_freezes_the_startup_heap_and_gives_the_policy_back_when_stopped() -> None:
    before = gc.get_threshold()
    ready = asyncio.Event()
    keeper = collector(lambda: False, due=False)
    task = asyncio.create_task(keeper.run(ready.wait))
    await asyncio.sleep(0.05)
    assert gc.get_threshold() == before, 'nothing changes before the startup loads are in'
    ready.set()
    await asyncio.sleep(0.05)
    try:
        assert gc.get_threshold()[2] == NO_AUTOMATIC_FULL, 'CPython no longer starts full collections itself'
        assert gc.get_freeze_count() > 0, 'the startup heap is left out of later walks'
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        gc.unfreeze()
    assert gc.get_threshold() == before
