"""The live command preview: pretty multi-line text that follows the form, editable, with Copy and Download.

While the text is the form's own command it follows every field change. Once the user edits it, the edited text is
kept (and is what runs) until they go back to the form's command; it is checked on every keystroke to be one of the
project's runners, the same check the job service applies before launching.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import datetime
from pathlib import Path
from typing import Any

from nicegui import ui

from services.commands import Command, CommandRejected, argv_from_text, shell_word

from . import light
from .boundary import Boundary


class CommandPreview:
    def __init__(self, name: str, state: MutableMapping[str, Any], project_root: Path) -> None:
        self.name = name
        self.state = state
        self.project_root = project_root
        self.generated = ''
        self.ok = True
        self._applying = False

    @property
    def edited(self) -> str | None:
        value = self.state.get('edited')
        return value if isinstance(value, str) else None

    @property
    def text(self) -> str:
        """What runs: the edited text if there is one, else the form's command."""
        return self.edited if self.edited is not None else self.generated

    def build(self) -> None:
        with light.card().classes('w-full gap-2'):
            with ui.row().classes('w-full items-center gap-2'):
                ui.label('Command').classes('text-base font-semibold')
                with Boundary():
                    self.edited_badge = light.Badge('edited by hand', color='orange').mark('edited-badge')
                light.space()
                ui.button('Copy', icon='content_copy', on_click=self.copy).props('flat dense no-caps') \
                    .classes('ocrw-copy').mark('copy')
                ui.button('Download .sh', icon='download', on_click=self.download) \
                    .props('flat dense no-caps').mark('download')
            with Boundary().classes('w-full'):
                self.textarea = light.TextInput(multiline=True, on_change=self._typed).mark('command-text')
                self.textarea.classes('font-mono text-sm')
            with Boundary().classes('w-full'):
                with ui.row().classes('w-full items-center gap-2') as self.edited_row:
                    ui.label('The edited text runs; form changes no longer update it.').classes('text-xs text-grey-8')
                    ui.button('Use the form’s command', icon='undo', on_click=self.discard_edits) \
                        .props('flat dense no-caps size=sm').mark('discard-edits')
            with Boundary().classes('w-full'):
                self.check_label = ui.label().classes('text-xs').mark('command-check')
        self._show_edit_state()

    # ---- updates -------------------------------------------------------------------------------------------------
    def show(self, command: Command | None) -> None:
        """The form's current command (None while the form is unavailable)."""
        self.generated = command.text if command is not None else ''
        if self.edited is None:
            self._set_text(self.generated)
        self._check()

    def restore(self) -> None:
        """The tab's stored state arrived: show its edited text (or the form's command) again."""
        self._show_edit_state()
        if self.edited is None:
            self._set_text(self.generated)
        self._check()

    def _set_text(self, text: str) -> None:
        if self.textarea.value != text:
            self._applying = True
            try:
                self.textarea.value = text
            finally:
                self._applying = False

    def _typed(self, event: Any) -> None:
        if self._applying:
            return
        text = event.value or ''
        self.state['edited'] = None if text == self.generated else text
        self._show_edit_state()
        self._check()

    def discard_edits(self) -> None:
        self.state['edited'] = None
        self._set_text(self.generated)
        self._show_edit_state()
        self._check()

    def _show_edit_state(self) -> None:
        edited = self.edited is not None
        self.edited_badge.visible = edited
        self.edited_row.visible = edited
        if edited and self.textarea.value != self.edited:
            self._set_text(self.edited or '')

    def _check(self) -> None:
        text = self.text
        if not text.strip():
            self._set_check('', ok=True)
            return
        try:
            argv = argv_from_text(text)
        except CommandRejected as error:
            self._set_check(str(error), ok=False)
            return
        if argv[2] != f'ocr.{self.name}':
            self._set_check(f'This page runs python -m ocr.{self.name}, not {argv[2]}.', ok=False)
            return
        count = len(argv) - 3
        self._set_check(f'Runs python -m {argv[2]} with {count} override{"s" if count != 1 else ""}, no shell.',
                        ok=True)

    def _set_check(self, message: str, *, ok: bool) -> None:
        self.check_label.text = message
        self.check_label.classes(replace='text-xs ' + ('text-grey-7' if ok else 'text-negative'))
        self.ok = ok

    # ---- copy / download -----------------------------------------------------------------------------------------
    def copy(self) -> None:
        ui.clipboard.write(self.text)
        ui.notify('Command copied', position='bottom', timeout=1200)

    def script(self) -> str:
        stamp = datetime.now().strftime('%Y-%m-%d %H:%M')
        return (f'#!/usr/bin/env bash\n# OCR Workbench: {self.name} command, {stamp}\nset -euo pipefail\n'
                f'cd {shell_word(str(self.project_root))}\n{self.text}\n')

    def download(self) -> None:
        ui.download.content(self.script().encode(), f'ocr_{self.name}.sh', 'text/x-shellscript')
