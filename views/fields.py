"""One widget per form field type, rendered from a ``ResolvedField`` and updated in place as the form re-resolves.

The form keeps only the values the user changed and re-resolves everything else (defaults, options, visibility,
errors) on every change; ``FieldWidget.apply`` then pushes just the attributes that differ from what the browser
already shows. Programmatic updates never count as user input (``_applying``), so a default that follows the
architecture stays a derived default instead of turning into a stored choice.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from nicegui import ui

from services.forms.resolver import ResolvedField

from . import light
from .boundary import Boundary

OnChange = Callable[[str, Any], None]


def format_number(value: Any, spec_format: str | None) -> str:
    """A slider's value as its schema ``format`` (e.g. ``%.1e``) asks, plain ``:g`` otherwise."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return '—' if value is None else str(value)
    if spec_format:
        try:
            return spec_format % value
        except (TypeError, ValueError):
            pass
    return f'{value:g}'


class FieldWidget:
    """A field's control plus its help, notice and inline validation messages, in its own render boundary."""

    def __init__(self, field: ResolvedField, on_change: OnChange) -> None:
        self.key = field.key
        self.type = field.type
        self.format = field.spec.format
        self._on_change = on_change
        self._applying = False
        self._shown: ResolvedField | None = None
        with Boundary().classes('ocrw-field w-full').props(f'data-field={field.key}'):
            with ui.column().classes('w-full gap-0').mark(f'field-{field.key}') as self.box:
                # a hidden field's control is built when it first shows: a select or input is the costliest part
                # of a cold load's first HTML, and many fields stay hidden (visible_if) for a whole session
                self.control: ui.element | None = self._build_control(field) if field.visible else None
                self.value_label = ui.label().classes('text-xs text-grey-8 font-mono') \
                    if field.type == 'slider' else None
                self.help = ui.label().classes('text-xs text-grey-7 whitespace-pre-line')
                # validation messages (red) or, when there are none, a notice such as a replaced choice (orange)
                self.message = ui.label().classes('text-xs whitespace-pre-line').mark(f'message-{field.key}')
        self.apply(field)

    # ---- building ------------------------------------------------------------------------------------------------
    def _build_control(self, field: ResolvedField) -> ui.element:
        label = field.label
        handler = self._changed
        if field.type == 'text':
            control = light.TextInput(label, value=field.value or '', on_change=handler,
                                      placeholder=field.spec.placeholder or None)
        elif field.type == 'number':
            control = ui.number(label, value=field.value, on_change=handler,
                                step=1 if field.spec.integer else None).props('dense outlined').classes('w-full')
        elif field.type == 'checkbox':
            control = ui.checkbox(label, value=bool(field.value), on_change=handler).props('dense')
        elif field.type == 'slider':
            ui.label(label).classes('text-sm text-grey-9')
            control = ui.slider(min=_finite(field.min, 0), max=_finite(field.max, 1),
                                step=field.step or 'any', value=field.value, on_change=handler) \
                .props('label dense').classes('w-full px-2')
        elif field.type == 'select':
            control = ui.select(field.option_map, label=label, value=field.value, on_change=handler,
                                clearable=field.spec.empty_choice).props('dense outlined options-dense') \
                .classes('w-full')
        else:  # info
            with ui.row().classes('w-full items-start gap-2 p-3 rounded bg-blue-1 text-blue-10 no-wrap'):
                light.icon('info', size='sm')
                with ui.column().classes('gap-0'):
                    ui.label(label).classes('text-xs font-semibold uppercase tracking-wide')
                    return ui.label(field.info_text).classes('text-sm').mark(f'input-{field.key}', f'info-{field.key}')
        return control.mark(f'input-{field.key}')

    def _build_first_control(self, field: ResolvedField) -> None:
        """The control of a field that was hidden until now, placed where it would have been built."""
        with self.box:
            self.control = self._build_control(field)
        built = self.box.default_slot.children[-(1 + (self.type == 'slider')):]  # a slider has its label too
        for index, element in enumerate(built):
            element.move(self.box, target_index=index)

    def _changed(self, event: Any) -> None:
        if self._applying:
            return
        value = event.value
        if self.type == 'number' and isinstance(value, float) and value.is_integer() and self._integer:
            value = int(value)
        self._on_change(self.key, value)

    @property
    def _integer(self) -> bool:
        return bool(self._shown and self._shown.spec.integer)

    # ---- updating ------------------------------------------------------------------------------------------------
    def apply(self, field: ResolvedField) -> None:
        """Show ``field``; only what changed since the last call is sent to the browser."""
        old = self._shown
        self._shown = field
        self._applying = True
        try:
            if old is None or old.visible != field.visible:
                self.box.visible = field.visible
            shows = old  # what the control shows now
            if self.control is None and field.visible:
                self._build_first_control(field)
                self._outline(field.errors)
                shows = field
            if self.control is not None and self.type == 'info':
                if shows is None or shows.info_text != field.info_text:
                    self.control.text = field.info_text
            elif self.control is not None:
                self._apply_control(shows, field)
            if old is None or old.help != field.help:
                self.help.text = field.help
                self.help.visible = bool(field.help)
            if old is None or (old.errors, old.notice) != (field.errors, field.notice):
                self._show_messages(field.errors, field.notice)
        finally:
            self._applying = False

    def _apply_control(self, old: ResolvedField | None, field: ResolvedField) -> None:
        control = self.control
        if self.type == 'select' and (old is None or old.options != field.options):
            control.set_options(field.option_map, value=field.value)  # type: ignore[attr-defined]
        bounds = (field.min, field.max, field.step)
        if self.type == 'slider' and (old is None or (old.min, old.max, old.step) != bounds):
            control.props['min'] = _finite(field.min, 0)
            control.props['max'] = _finite(field.max, 1)
            control.props['step'] = field.step or 'any'
        if self.type == 'checkbox' and (old is None or old.label != field.label):
            control.text = field.label  # type: ignore[attr-defined]
        shown = getattr(control, 'value', None)
        wanted = field.value if self.type != 'text' else (field.value or '')
        if not _same_value(shown, wanted):
            control.value = wanted  # type: ignore[attr-defined]
        if self.value_label is not None:
            self.value_label.text = format_number(field.value, self.format)

    def _show_messages(self, errors: tuple[str, ...], notice: str | None) -> None:
        self.message.text = '\n'.join(errors) if errors else (notice or '')
        self.message.visible = bool(errors or notice)
        self.message.classes(replace='text-xs whitespace-pre-line ' + ('text-negative' if errors else 'text-orange-10'))
        self._outline(errors)

    def _outline(self, errors: tuple[str, ...]) -> None:
        """The red outline of an input with errors (the message itself is the label below it)."""
        if isinstance(self.control, light.TextInput):
            self.control.invalid = bool(errors)
        elif self.control is not None and self.type in ('number', 'select'):
            self.control.props['error'] = bool(errors)
            self.control.props['hide-bottom-space'] = True


def _finite(value: float | None, fallback: float) -> float:
    return value if isinstance(value, int | float) and math.isfinite(value) else fallback


def _same_value(shown: Any, wanted: Any) -> bool:
    if isinstance(shown, int | float) and isinstance(wanted, int | float) and not isinstance(shown, bool):
        return math.isclose(shown, wanted, rel_tol=1e-12, abs_tol=1e-15)
    return shown == wanted
