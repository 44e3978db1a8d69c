"""Runs one job command and records its exit status in a file, so the status survives an app restart.

Started by JobService as the leader of the job's own process group, with stdout/stderr already pointing at the job's
log file: ``python job_shim.py <status-file> -- <argv...>``. The runner inherits the group, so Stop signals both.
A SIGTERM/SIGINT aimed at the group stops the runner; the shim itself outlives it just long enough to write the
runner's exit status. Only the standard library is used, so the shim starts in milliseconds.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time


def _write_status(path: str, returncode: int) -> None:
    temporary = f"{path}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump({"returncode": returncode, "ended_at": time.time()}, handle)
    os.replace(temporary, path)


def main(arguments: list[str]) -> int:
    if len(arguments) < 3 or arguments[1] != "--":
        print("usage: job_shim.py STATUS_FILE -- ARGV...", file=sys.stderr)
        return 2
    status_file, argv = arguments[0], arguments[2:]
    # A handler (not SIG_IGN, which the child would inherit) keeps the shim alive when the group is signalled;
    # the runner gets the default dispositions back at exec.
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, lambda *_: None)
    try:
        child = subprocess.Popen(argv)
    except OSError as error:
        print(f"error: cannot start {argv[0]}: {error}", flush=True)
        _write_status(status_file, 127)
        return 127
    while True:
        try:
            returncode = child.wait()
            break
        except InterruptedError:
            continue
    _write_status(status_file, returncode)
    return returncode if returncode >= 0 else 128 - returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
