"""Process-group helpers for jobs: liveness, identity across restarts, and signalling the whole group.

Each job runs in its own session (its pid is its process-group id), so one ``killpg`` reaches the runner and
everything it started (dataloader workers, DDP ranks). To re-attach after an app restart the group must not only
exist but still be *ours*: the leader's kernel start time is recorded and compared, so a reused pid is not adopted.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path


def process_start_time(pid: int) -> int | None:
    """The kernel start time of ``pid`` in clock ticks since boot (Linux ``/proc``), or None when unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    try:
        # The command name (field 2) may contain spaces and parentheses: split after the last ')'.
        return int(stat[stat.rindex(")") + 2:].split()[19])
    except (ValueError, IndexError):
        return None


def group_alive(pgid: int) -> bool:
    """True while any process of the group exists (zombies of our own children count until reaped)."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_same_process(pid: int, start_time: int | None) -> bool:
    """The leader still exists and is the process we started (not a reused pid)."""
    current = process_start_time(pid)
    if current is None:
        return False
    return start_time is None or current == start_time


def signal_group(pgid: int, number: signal.Signals) -> bool:
    """Send ``number`` to the group; False when the group is already gone."""
    try:
        os.killpg(pgid, number)
    except ProcessLookupError:
        return False
    return True
