"""``--native``: the desktop window (pywebview, Qt WebEngine backend) opens under a virtual X server and renders.

The window's Chromium exposes its DevTools port (``QTWEBENGINE_REMOTE_DEBUGGING``), which is how the test looks
inside it: the page must be the workbench, connected, with its first view built.
"""

from __future__ import annotations

import ctypes.util
import importlib.util
import json
import shutil
import time
import urllib.request
from pathlib import Path

import pytest

from .served import free_port, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROBE = ('JSON.stringify({title: document.title, connected: !!(window.socket && window.socket.connected), '
         'built: !!document.querySelector(".ocrw-pane[data-pane=overview] > [data-built]"), '
         'nav: document.querySelectorAll("a.ocrw-nav").length})')


def _missing() -> str | None:
    if shutil.which('xvfb-run') is None:
        return 'xvfb-run is not installed (apt-get install xvfb)'
    for module in ('webview', 'PyQt6.QtWebEngineWidgets', 'qtpy', 'websocket'):
        try:
            if importlib.util.find_spec(module) is None:
                return f'{module} is missing (pip install "pywebview[qt]")'
        except ModuleNotFoundError:
            return f'{module} is missing (pip install "pywebview[qt]")'
    # Qt's xcb platform plugin needs these X libraries (Debian: libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1)
    for library in ('xcb-cursor', 'xcb-icccm', 'xcb-keysyms'):
        if ctypes.util.find_library(library) is None:
            return f'lib{library} is missing (apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1)'
    return None


def evaluate(websocket_url: str, expression: str) -> object:
    from websocket import create_connection

    connection = create_connection(websocket_url, timeout=10)
    try:
        connection.send(json.dumps({'id': 1, 'method': 'Runtime.evaluate',
                                    'params': {'expression': expression, 'returnByValue': True}}))
        while True:
            answer = json.loads(connection.recv())
            if answer.get('id') == 1:
                return answer['result']['result'].get('value')
    finally:
        connection.close()


def test_the_native_window_opens_and_renders_the_workbench(tmp_path: Path) -> None:
    reason = _missing()
    if reason:
        pytest.skip(reason)
    devtools = free_port()
    env = {'QT_QPA_PLATFORM': 'xcb', 'PYWEBVIEW_GUI': 'qt', 'QTWEBENGINE_REMOTE_DEBUGGING': str(devtools),
           'QTWEBENGINE_CHROMIUM_FLAGS': '--no-sandbox --disable-gpu'}
    prefix = ['xvfb-run', '-a', '-s', '-screen 0 1280x900x24']
    with serve(tmp_path, args=['--native'], prefix=prefix, env=env, timeout=90) as (base, process, log):
        deadline = time.monotonic() + 90
        state: dict = {}
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()[-3000:]
            try:
                with urllib.request.urlopen(f'http://127.0.0.1:{devtools}/json/list', timeout=2) as response:
                    pages = [page for page in json.load(response) if page.get('url', '').startswith(base)]
                if pages:
                    state = json.loads(evaluate(pages[0]['webSocketDebuggerUrl'], PROBE) or '{}')
                    if state.get('connected') and state.get('built'):
                        break
            except OSError:
                pass
            time.sleep(0.5)
        assert state.get('connected') and state.get('built'), f'window state {state}; log:\n{log.read_text()[-3000:]}'
        assert state['title'] == 'Overview · OCR Workbench'
        assert state['nav'] == 5
