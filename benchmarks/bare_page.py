"""The floor for ``ui_latency.py``'s cold loads: a NiceGUI page with one label and nothing of the workbench.

    python benchmarks/bare_page.py --port P

Same NiceGUI, Vue and Quasar as the app and no compression (as the app on loopback); it carries the markers the
benchmark's probe waits for, so its cold load is measured exactly like the app's.
"""

from __future__ import annotations

import argparse

from nicegui import ui


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--port', type=int, required=True)
    parser.add_argument('--outputs', help='ignored (the benchmark passes it to every app it starts)')
    args = parser.parse_args()

    @ui.page('/')
    def index() -> None:
        ui.add_head_html('<script>document.documentElement.dataset.ocrwView = "overview";</script>')
        with ui.element('div').classes('ocrw-pane').props('data-pane=overview'):
            with ui.column().props('data-built'):
                ui.label('A bare NiceGUI page')

    ui.run(port=args.port, reload=False, show=False, tailwind=False, gzip_middleware_factory=None)


if __name__ in {'__main__', '__mp_main__'}:
    main()
