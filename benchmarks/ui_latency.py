"""Page-switch and cold-load latency of the running workbench, measured in a real Chromium.

    python benchmarks/ui_latency.py [--rounds 20] [--json benchmarks/results/ui_latency.json]

Starts ``main.py`` on a free port (with a throw-away outputs folder unless ``--outputs`` is given), drives Debian's
chromium through selenium and measures, inside the page:

* ``cold_load[<page>]``: navigation start of a fresh tab with empty cache, cookies and storage until the page's view
  is built, shown and painted with the socket connected (time to interactive). Rounds start on an idle app
  (``COLD_GAP_S`` after the previous one), as a new visitor would find it.
* ``cold_complete[<page>]``: the same start until the view is painted whole: a long form's first HTML holds its first
  screen, and the sections below follow once the socket is up (placeholders marked ``.ocrw-deferred`` meanwhile).
* ``calibration_cold_load``: the same measure, in the same turns, for ``benchmarks/bare_page.py`` (one label on the
  same NiceGUI): the floor any NiceGUI page has on this machine at this moment.
* ``switch[<from>-><to>]``: for every ordered pair of pages, the click's event timestamp until the frame that shows
  the built target view has been painted (``requestAnimationFrame`` followed by a task, i.e. after that frame).
* ``feedback[<from>-><to>]``: the click, from its press (``pointerdown``; the button is held ``PRESS_HOLD_S`` as by
  a hand, then released), until the frame in which the clicked navigation item looks different.

The browser's Event Timing API reports every click whose processing plus next paint took >= 16 ms; those are
listed as ``slow_click_events`` (empty is the goal). Goals (2-core machine): switch p90 <= 30 ms, feedback <= 16 ms,
cold load p90 <= 500 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from views.navigation import HEAD_HTML  # noqa: E402  (pure Python: the page-switch CSS and script)

PAGES = {'overview': '/', 'train': '/train', 'test': '/test', 'predict': '/predict', 'jobs': '/jobs'}
FLOOR = 'bare NiceGUI page'
"""Cold-load calibration: ``benchmarks/bare_page.py``, one label, same framework (the floor of any NiceGUI app)."""
COLD_GAP_S = 1.0
"""Pause after a cold load's view is complete, so the previous tab's work has ended when the next one starts."""
PRESS_HOLD_S = 0.08
"""Time between press and release of a benchmark click (a hand's click holds the button ~60-120 ms)."""
GOALS_MS = {'switch_p90': 30.0, 'feedback_p90': 16.0, 'cold_load_p90': 500.0}

# Installed before any page script: records the navigation-to-interactive time and every navigation click.
PROBE_JS = r'''
window.__bench = { clicks: [], slow: [] };
(function waitReady() {  // interactive: the view shown, painted and connected; complete: with no part still to come
  const key = document.documentElement && document.documentElement.dataset.ocrwView;
  const pane = key && document.querySelector(`.ocrw-pane[data-pane="${key}"] > [data-built]`);
  const ready = pane && pane.offsetHeight > 0 && window.socket && window.socket.connected;
  const stamp = (name) => requestAnimationFrame(() => setTimeout(() => {
    window.__bench[name] = window.__bench[name] || performance.now();
  }, 0));
  if (ready && !window.__bench.interactiveSeen) { window.__bench.interactiveSeen = true; stamp('interactive'); }
  if (ready && !pane.querySelector('.ocrw-deferred')) stamp('complete');
  else requestAnimationFrame(waitReady);
})();
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'click') window.__bench.slow.push(e.duration);
  }).observe({ type: 'event', durationThreshold: 16, buffered: true });
} catch (e) {}
const styleOf = (link) => { const s = getComputedStyle(link); return s.backgroundColor + s.borderLeftColor + s.color; };
let press = null;  // the press that starts a click: the hand's feedback clock starts here, before any page handler
window.addEventListener('pointerdown', (event) => {
  const link = event.target.closest && event.target.closest('a.ocrw-nav');
  press = link ? { link, start: event.timeStamp, before: styleOf(link) } : null;
  if (!press) return;
  const current = press;
  requestAnimationFrame(function frame() {
    if (current.changed === undefined && styleOf(current.link) !== current.before) {
      current.changed = null;
      setTimeout(() => { current.changed = performance.now() - current.start; }, 0);
    }
    if (current.changed === undefined && !current.done) requestAnimationFrame(frame);
  });
}, true);
window.addEventListener('click', (event) => {
  const link = event.target.closest && event.target.closest('a.ocrw-nav');
  if (!link) return;
  const key = link.dataset.nav;
  const own = press && press.link === link ? press : { link, start: event.timeStamp, before: styleOf(link) };
  const record = { key, start: event.timeStamp, pressed: own.start };
  window.__bench.clicks.push(record);
  requestAnimationFrame(function frame() {
    const now = () => performance.now() - record.start;
    if (record.feedback === undefined) {
      if (typeof own.changed === 'number') record.feedback = own.changed;
      else if (own.changed === undefined && styleOf(link) !== own.before) {
        own.changed = null;
        record.feedback = null;
        setTimeout(() => { own.changed = record.feedback = performance.now() - own.start; }, 0);
      }
    }
    const pane = document.querySelector(`.ocrw-pane[data-pane="${key}"]`);
    const others = [...document.querySelectorAll('.ocrw-pane')].filter((p) => p !== pane && p.offsetHeight > 0);
    if (record.painted === undefined && pane && pane.querySelector(':scope > [data-built]') && pane.offsetHeight > 0
        && others.length === 0) {
      record.painted = null;
      setTimeout(() => { record.painted = now(); }, 0);
    }
    if (record.feedback === undefined || record.painted === undefined) requestAnimationFrame(frame);
    else own.done = true;
  });
}, true);
'''


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--rounds', type=int, default=20, help='rounds per transition (default 20)')
    parser.add_argument('--cold-pages', default='overview,train', help='pages to cold-load (comma separated)')
    parser.add_argument('--json', type=Path, help='write the results here')
    parser.add_argument('--outputs', type=Path, help='outputs folder for the app (default: a temporary one)')
    parser.add_argument('--app', type=Path, default=REPO / 'main.py', help='the app script (default: main.py)')
    parser.add_argument('--chromium', default='/usr/bin/chromium')
    parser.add_argument('--chromedriver', default='/usr/bin/chromedriver')
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix='ocrw-bench-') as tmp:
        outputs = args.outputs or Path(tmp) / 'outputs'
        port = free_port()
        with serve_app(args.app, port, outputs, Path(tmp)):
            base = f'http://127.0.0.1:{port}'
            driver = make_driver(args.chromium, args.chromedriver)
            try:
                driver.execute_cdp_cmd('Page.addScriptToEvaluateOnNewDocument', {'source': PROBE_JS})
                results = {'cold_load': {}, 'cold_complete': {}, 'switch': {}, 'feedback': {}}
                floor_port, floor_tmp = free_port(), Path(tmp) / 'floor'
                floor_tmp.mkdir()
                with serve_app(REPO / 'benchmarks' / 'bare_page.py', floor_port, outputs, floor_tmp):
                    targets = {page.strip(): base + PAGES[page.strip()] for page in args.cold_pages.split(',')}
                    targets[FLOOR] = f'http://127.0.0.1:{floor_port}/'
                    loads = cold_loads(driver, targets, args.rounds)
                for page, (interactive, complete) in loads.items():
                    if page == FLOOR:
                        results['calibration_cold_load'] = {FLOOR: interactive}
                    else:
                        results['cold_load'][page], results['cold_complete'][page] = interactive, complete
                switch, feedback, slow = switches(driver, base, args.rounds)
                results['switch'], results['feedback'] = switch, feedback
                with serve_calibration() as plain:
                    calibration, _, calibration_slow = switches(driver, plain, max(5, args.rounds // 4))
                results['calibration_switch'] = calibration
            finally:
                driver.quit()
    report = summarize(results, slow, args.rounds)
    report['calibration_slow_click_events'] = [round(value, 1) for value in calibration_slow]
    print_report(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2))
        print(f'\nwrote {args.json}')
    return 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve_app(app_script: Path, port: int, outputs: Path, tmp: Path):
    """``main.py`` as a child process; its own pytest marker (if any) is removed so ``ui.run`` really serves."""
    env = {k: v for k, v in os.environ.items() if k != 'PYTEST_CURRENT_TEST'}
    env.setdefault('OCRW_STORAGE_SECRET', 'benchmark-only-secret')
    env['NICEGUI_STORAGE_PATH'] = str(tmp / 'nicegui-storage')
    log = (tmp / 'app.log').open('w')
    process = subprocess.Popen(
        [sys.executable, str(app_script), '--port', str(port), '--outputs', str(outputs)],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f'app exited with {process.returncode}: {(tmp / "app.log").read_text()[-2000:]}')
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f'http://127.0.0.1:{port}/', timeout=2) as response:
                    if response.status == 200:
                        break
            if time.monotonic() > deadline:
                raise RuntimeError('app did not answer within 60 s')
            time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@contextlib.contextmanager
def serve_calibration():
    """The same switch mechanism on plain static HTML: the floor this machine and harness allow right now."""
    rows = ''.join(f'<p><label>field {i} <input value="value {i}"></label></p>' for i in range(40))
    links = ''.join(f'<a class="ocrw-nav" data-nav="{key}" href="{path}">{key}</a> ' for key, path in PAGES.items())
    panes = ''.join(f'<div class="ocrw-pane" data-pane="{key}"><div data-built><h1>{key}</h1>{rows}</div></div>'
                    for key in PAGES)
    page = f'<!doctype html><html><head>{HEAD_HTML}</head><body><nav>{links}</nav>{panes}' \
           '<script>window.socket = {connected: true};' \
           'document.querySelectorAll(".ocrw-pane").forEach((p) => p.setAttribute("data-warm", ""));</script>' \
           '</body></html>'

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = page.encode()
            self.send_response(200)
            self.send_header('Content-Type', 'text/html; charset=utf-8')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f'http://127.0.0.1:{server.server_address[1]}'
    finally:
        server.shutdown()


def make_driver(chromium: str, chromedriver: str) -> webdriver.Chrome:
    options = Options()
    options.binary_location = chromium
    for flag in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-extensions',
                 '--disable-dev-shm-usage', '--window-size=1400,1000'):
        options.add_argument(flag)
    return webdriver.Chrome(options=options, service=Service(chromedriver))


def fresh_tab(driver: webdriver.Chrome) -> None:
    """A new tab with empty HTTP cache, cookies and storage: what a fresh browser context sees."""
    old = driver.current_window_handle
    driver.execute_cdp_cmd('Network.clearBrowserCache', {})
    driver.execute_cdp_cmd('Network.clearBrowserCookies', {})
    driver.switch_to.new_window('tab')
    driver.switch_to.window(old)
    driver.close()
    driver.switch_to.window(driver.window_handles[-1])
    driver.execute_cdp_cmd('Page.addScriptToEvaluateOnNewDocument', {'source': PROBE_JS})


def cold_loads(driver: webdriver.Chrome, targets: dict[str, str], rounds: int) -> dict[str, tuple[list, list]]:
    """Cold loads of every target URL, taken in turns, so a drift of the machine's speed hits all of them alike."""
    samples: dict[str, tuple[list, list]] = {name: ([], []) for name in targets}
    for round_ in range(rounds + 1):  # the first load warms the server side (imports, first client); not counted
        for name, url in targets.items():
            origin = url.split('/', 3)
            fresh_tab(driver)
            driver.execute_cdp_cmd('Storage.clearDataForOrigin', {'origin': '/'.join(origin[:3]),
                                                                  'storageTypes': 'all'})
            driver.get(url)
            interactive = wait_for(driver, 'return window.__bench && window.__bench.interactive', timeout=30)
            complete = wait_for(driver, 'return window.__bench.complete', timeout=30)
            if round_:
                samples[name][0].append(interactive)
                samples[name][1].append(complete)
            time.sleep(COLD_GAP_S)
    return samples


def switches(driver: webdriver.Chrome, base: str, rounds: int):
    fresh_tab(driver)
    driver.get(base + '/')
    wait_for(driver, 'return window.__bench && window.__bench.interactive', timeout=30)
    wait_for(driver, f'return document.querySelectorAll(".ocrw-pane[data-warm]").length === {len(PAGES)} || null',
             timeout=30)
    time.sleep(1.0)  # let the background views settle
    links = {key: link_center(driver, key) for key in PAGES}
    switch: dict[str, list[float]] = {}
    feedback: dict[str, list[float]] = {}
    current = 'overview'
    for _ in range(rounds):
        for source in PAGES:
            for target in PAGES:
                if source == target:
                    continue
                if current != source:
                    click(driver, links[source])
                painted, felt = click(driver, links[target])
                current = target
                switch.setdefault(f'{source}->{target}', []).append(painted)
                feedback.setdefault(f'{source}->{target}', []).append(felt)
    slow = driver.execute_script('return window.__bench.slow')
    return switch, feedback, slow


def link_center(driver: webdriver.Chrome, key: str) -> tuple[float, float]:
    rect = driver.find_element(By.CSS_SELECTOR, f'a.ocrw-nav[data-nav="{key}"]').rect
    return rect['x'] + rect['width'] / 2, rect['y'] + rect['height'] / 2


def click(driver: webdriver.Chrome, point: tuple[float, float]) -> tuple[float, float]:
    """A trusted mouse click through the DevTools input domain, as a user's hand would make it.

    Selenium's element click first runs JavaScript atoms (visibility, scrolling, hit tests) in the page; measured here
    that alone cost ~30 ms of the page's main thread per click, so the input is dispatched directly instead.
    """
    count = driver.execute_script('return window.__bench.clicks.length')
    x, y = point
    driver.execute_cdp_cmd('Input.dispatchMouseEvent', {'type': 'mouseMoved', 'x': x, 'y': y})
    time.sleep(0.05)  # hover first, like a hand
    for kind in ('mousePressed', 'mouseReleased'):
        driver.execute_cdp_cmd('Input.dispatchMouseEvent', {'type': kind, 'x': x, 'y': y, 'button': 'left',
                                                             'clickCount': 1})
        if kind == 'mousePressed':
            time.sleep(PRESS_HOLD_S)  # a hand holds the button down for a moment before releasing it
    script = (f'const r = window.__bench.clicks[{count}];'
              'return r && typeof r.painted === "number" && typeof r.feedback === "number" ? [r.painted, r.feedback]'
              ' : null')
    painted, felt = wait_for(driver, script, timeout=10)
    time.sleep(0.2)  # a quiet gap: the server's answer to this switch must not overlap the next click
    return painted, felt


def wait_for(driver: webdriver.Chrome, script: str, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value is not None:
            return value
        time.sleep(0.02)
    raise TimeoutError(f'timed out waiting for: {script}')


def stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, max(0, round(0.9 * len(ordered) + 0.5) - 1))]
    return {'n': len(ordered), 'median': round(statistics.median(ordered), 1), 'p90': round(p90, 1),
            'max': round(ordered[-1], 1)}


def summarize(results: dict, slow: list[float], rounds: int) -> dict:
    report: dict = {'rounds': rounds, 'goals_ms': GOALS_MS, 'press_hold_ms': PRESS_HOLD_S * 1000,
                    'cpu_count': os.cpu_count(),
                    'load_average_1m_at_end': round(os.getloadavg()[0], 2)}
    for kind, groups in results.items():
        report[kind] = {name: stats(samples) for name, samples in groups.items()}
        everything = [value for samples in groups.values() for value in samples]
        report[kind]['ALL'] = stats(everything)
    report['slow_click_events'] = [round(value, 1) for value in slow]
    report['goals_met'] = {
        'switch_p90': report['switch']['ALL']['p90'] <= GOALS_MS['switch_p90'],
        'feedback_p90': report['feedback']['ALL']['p90'] <= GOALS_MS['feedback_p90'],
        'cold_load_p90': all(v['p90'] <= GOALS_MS['cold_load_p90'] for k, v in report['cold_load'].items()
                             if k != 'ALL'),
    }
    return report


def print_report(report: dict) -> None:
    for kind in ('cold_load', 'cold_complete', 'calibration_cold_load', 'switch', 'feedback', 'calibration_switch'):
        print(f'\n{kind} (ms)          n  median     p90     max')
        for name, value in report[kind].items():
            print(f'  {name:<20} {value["n"]:>3} {value["median"]:>7} {value["p90"]:>7} {value["max"]:>7}')
    for name, key in (('app', 'slow_click_events'), ('plain HTML', 'calibration_slow_click_events')):
        slow = report.get(key, [])
        median = statistics.median(slow) if slow else 0
        print(f'Event Timing ({name}): {len(slow)} clicks took >= 16 ms to the next presented frame'
              f' (median of those {median} ms)')
    print(f'load average (1 min) at the end: {report["load_average_1m_at_end"]} on {report["cpu_count"]} CPUs')
    print(f'goals met: {report["goals_met"]}')


if __name__ == '__main__':
    sys.exit(main())
