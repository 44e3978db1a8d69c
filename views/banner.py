"""Error banner for configuration YAML that failed to load (the last good version stays in use)."""

from __future__ import annotations

from nicegui import ui

from . import light
from .live import follow


def config_banner(catalog) -> None:
    """Shows one line per broken file ("file:line: problem") and hides itself when every file loads again."""
    with ui.column().classes('w-full gap-1').mark('config-banner') as box:
        pass

    def render(*_args) -> None:
        box.clear()
        errors = catalog.problems
        box.visible = bool(errors)
        with box:
            for error in errors:
                with ui.row().classes('w-full items-start gap-2 p-3 rounded bg-red-1 text-red-10 no-wrap'):
                    light.icon('error', color='negative')
                    ui.label(str(error)).classes('text-sm font-mono whitespace-pre-wrap')

    render()
    follow(ui.context.client, catalog.changed, render)
