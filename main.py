"""OCR Workbench: ``python main.py [--host H] [--port P] [--native] [--outputs DIR] [--configs DIR] [--data DIR]``.

The composition root: parse flags, build the services once, hand their start/stop to the app's lifecycle and serve
the views. It imports nothing heavy (no torch, no Hydra) so it starts fast and the test fixture that runs it per
test stays cheap. Folders default to the repository's own and can also come from ``OCRW_OUTPUTS``, ``OCRW_CONFIGS``
and ``OCRW_DATA``; the cookie-signing secret comes from ``OCRW_STORAGE_SECRET`` or a generated file outside the repo.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import secrets
from pathlib import Path

from nicegui import app, background_tasks, ui

from services.app_services import build_services
from services.idle_collector import IdleCollector
from services.paths import WorkbenchPaths
from views.app import build_root, pages_loading
from views.asset_cache import asset_middleware

FAVICON = Path(__file__).with_name('views') / 'favicon.svg'
SECRET_FILE = Path('~/.config/ocr-workbench/storage_secret')


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='OCR Workbench: train, test and run DBNet text detectors.')
    parser.add_argument('--host', default='127.0.0.1',
                        help='interface to bind (default 127.0.0.1: this machine only; 0.0.0.0 exposes it on the LAN)')
    parser.add_argument('--port', type=int, default=8080, help='port to serve on (default 8080)')
    parser.add_argument('--native', action='store_true', help='open a desktop window (pywebview) instead of a browser')
    parser.add_argument('--outputs', default=os.environ.get('OCRW_OUTPUTS'), help='run folders (default: outputs/)')
    parser.add_argument('--configs', default=os.environ.get('OCRW_CONFIGS'), help='Hydra and UI configs (configs/)')
    parser.add_argument('--data', default=os.environ.get('OCRW_DATA'), help='datasets and bundled checkpoint (data/)')
    return parser.parse_args(argv)


def storage_secret() -> str:
    """``OCRW_STORAGE_SECRET``, else a random secret generated once into a 0600 file in the user's config folder."""
    from_env = os.environ.get('OCRW_STORAGE_SECRET')
    if from_env:
        return from_env
    path = SECRET_FILE.expanduser()
    if path.is_file():
        return path.read_text(encoding='utf-8').strip()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    secret = secrets.token_urlsafe(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, 'w', encoding='utf-8') as handle:
        handle.write(secret)
    return secret


def is_loopback(host: str) -> bool:
    """Whether ``host`` only serves this machine (then responses go uncompressed: bandwidth is free, CPU is not)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == 'localhost'


def main(argv: list[str] | None = None) -> None:
    simulated = bool(os.environ.get('NICEGUI_USER_SIMULATION'))  # NiceGUI's test fixture runs this file
    # there it runs with pytest's argv: take the defaults (and the OCRW_* env) instead
    args = parse_args([] if simulated else argv)
    paths = WorkbenchPaths.create(configs=args.configs, outputs=args.outputs, data=args.data)
    services = build_services(paths)
    app.on_startup(services.start)
    if not simulated:  # a served process; the tests run many apps in one process
        collector = IdleCollector(busy=pages_loading)  # full garbage collections between page loads, not in them
        app.on_startup(lambda: background_tasks.create(collector.run(services.wait_ready), name='idle collector'))
    app.on_shutdown(services.stop)
    ui.run(
        build_root(services, wait_for_paint=not simulated),  # the simulated browser runs no scripts
        host=args.host,
        port=args.port,
        native=args.native,
        title='OCR Workbench',
        favicon=FAVICON,
        storage_secret=storage_secret(),
        reload=False,
        show=False,
        tailwind=False,  # the views ship their few utility classes (views/style.py); the runtime cost 200 ms
        reconnect_timeout=10.0,
        gzip_middleware_factory=asset_middleware(compress=not is_loopback(args.host)),
    )


if __name__ == '__main__':
    main()
