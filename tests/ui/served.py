"""The app as a real server process (for browser and native-window tests): free port, private outputs, clean env."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(tmp: Path, *, args: Sequence[str] = (), prefix: Sequence[str] = (), env: dict[str, str] | None = None,
          wait_http: bool = True, timeout: float = 60.0) -> Iterator[tuple[str, subprocess.Popen, Path]]:
    """Start ``main.py`` (optionally under ``prefix``, e.g. xvfb-run) and yield (base URL, process, log file)."""
    port = free_port()
    outputs = tmp / 'outputs'
    outputs.mkdir(parents=True, exist_ok=True)
    child_env = {k: v for k, v in os.environ.items() if k not in ('PYTEST_CURRENT_TEST', 'NICEGUI_USER_SIMULATION')}
    child_env.update({'OCRW_STORAGE_SECRET': 'served-test-secret', 'NICEGUI_STORAGE_PATH': str(tmp / 'storage'),
                      **(env or {})})
    log_path = tmp / 'server.log'
    with log_path.open('w') as log:
        process = subprocess.Popen(
            [*prefix, sys.executable, str(REPO / 'main.py'), '--port', str(port), '--outputs', str(outputs), *args],
            cwd=REPO, env=child_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        base = f'http://127.0.0.1:{port}'
        try:
            if wait_http:
                wait_until_serving(base, process, log_path, timeout)
            yield base, process, log_path
        finally:
            stop(process)


def wait_until_serving(base: str, process: subprocess.Popen, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f'the app exited with {process.returncode}:\n{log_path.read_text()[-3000:]}')
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(base + '/', timeout=2) as response:
                if response.status == 200:
                    return
        time.sleep(0.2)
    raise TimeoutError(f'the app did not serve within {timeout} s:\n{log_path.read_text()[-3000:]}')


def stop(process: subprocess.Popen) -> None:
    """The whole process group (xvfb-run and its X server too): SIGTERM, then SIGKILL."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
