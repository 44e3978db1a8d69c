"""A Command Builder form rendered from its YAML schema, with Suggested setups and Reset.

State is the dict of values the user changed (kept in the tab's storage by the owner); every change goes through
``CommandBuilder.set_value`` (which drops picks the change made invalid) and ``resolve``, and each widget is then
brought up to date in place. A new schema object (the YAML was edited) rebuilds the widgets, keeping the values.

A form built into a cold load's first HTML (``build(defer=True)``) holds only its first sections, what the first
screen shows; the sections below follow in ``build_deferred`` once the socket is up, so the browser mounts and lays
out half the form before the page becomes interactive. Placeholders keep their place meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from itertools import groupby
from typing import Any

from nicegui import ui

from services.command_builder import CommandBuilder
from services.forms.resolver import ResolvedField, ResolvedForm, Suggestion
from services.forms.schema import FormSchema

from . import light
from .boundary import Boundary
from .fields import FieldWidget, format_number

Listener = Callable[[ResolvedForm], None]

INITIAL_SECTIONS = 1
"""Sections in a deferred build's first HTML (with the page head, suggestions and command: the first screen)."""


class CommandForm:
    def __init__(self, builder: CommandBuilder, state: MutableMapping[str, Any], *, suggestions: bool) -> None:
        self.builder = builder
        self.state = state
        self.with_suggestions = suggestions
        self.schema: FormSchema | None = None
        self.form: ResolvedForm | None = None
        self.widgets: dict[str, FieldWidget] = {}
        self.listeners: list[Listener] = []
        self._suggestion_keys: tuple[Any, ...] | None = None
        self._defer = False
        self._deferred: list[int] = []  # indexes of the sections still to build

    @property
    def values(self) -> dict[str, Any]:
        return dict(self.state.get('values') or {})

    def _store(self, values: dict[str, Any]) -> None:
        self.state['values'] = values

    # ---- layout --------------------------------------------------------------------------------------------------
    def build(self, *, defer: bool = False) -> None:
        """The form's elements; with ``defer`` only its first sections until ``build_deferred``."""
        self._defer = defer
        if self.with_suggestions:
            with Boundary().classes('w-full'):
                self.suggestion_box = ui.column().classes('w-full gap-2').mark('suggestions')
        with Boundary().classes('w-full'):
            self.fields_box = ui.column().classes('w-full gap-4').mark('form')
        with Boundary().classes('w-full'):
            self.later_box = ui.column().classes('w-full gap-4')
        self.refresh()

    def build_deferred(self) -> None:
        """Build the sections a deferred build left out, from the values as they are now (restored, maybe)."""
        self._defer = False
        if not self._deferred or self.schema is None:
            return
        wanted, self._deferred = set(self._deferred), []
        sections = _sections(self.builder.resolve(self.values))
        self.later_box.clear()
        with self.later_box:
            for index, (section, fields) in enumerate(sections):
                if index in wanted:
                    self._section(section, fields)

    def refresh(self) -> None:
        """Re-resolve against the current catalogs (new checkpoint, edited YAML); rebuild if the schema changed."""
        schema = self.builder.schema
        if schema is None:
            self._show_unavailable()
            return
        if schema is not self.schema:
            self._rebuild(schema)
            return
        self._update()

    def _show_unavailable(self) -> None:
        self.schema = None
        self.widgets = {}
        self._deferred = []
        self.later_box.clear()
        self.fields_box.clear()
        with self.fields_box:
            with ui.row().classes('items-center gap-3 text-grey-7').mark('form-loading'):
                ui.spinner(size='sm')
                ui.label(f'Loading the {self.builder.name} form (configs/ui/schemas/{self.builder.name}.yaml)…')

    def _rebuild(self, schema: FormSchema) -> None:
        self.schema = schema
        keys = set(schema.keys)
        values = {key: value for key, value in self.values.items() if key in keys}
        self._store(values)
        form = self.builder.resolve(values)
        sections = _sections(form)
        first = INITIAL_SECTIONS if self._defer else len(sections)
        self.widgets = {}
        self.fields_box.clear()
        with self.fields_box:
            for section, fields in sections[:first]:
                self._section(section, fields)
        self._deferred = list(range(first, len(sections)))
        self.later_box.clear()
        with self.later_box:
            for section, _fields in sections[first:]:
                placeholder = light.skeleton('rect', animation='none').classes('w-full h-64 ocrw-deferred') \
                    .mark('form-deferred')
                placeholder.props['aria-label'] = f'{section}: loading'  # set as a value: no prop-string parsing
        self._publish(form)

    def _section(self, section: str, fields: list[ResolvedField]) -> None:
        with light.card().classes('w-full gap-2'):
            ui.label(section).classes('text-sm font-semibold uppercase tracking-wide text-grey-8')
            with ui.grid().classes('w-full gap-x-6 gap-y-3 grid-cols-1 @lg:grid-cols-2 @4xl:grid-cols-3'):
                for field in fields:
                    self.widgets[field.key] = FieldWidget(field, self._changed)

    # ---- changes -------------------------------------------------------------------------------------------------
    def _changed(self, key: str, value: Any) -> None:
        self._store(self.builder.set_value(self.values, key, value))
        self._update()

    def apply_suggestion(self, key: str) -> None:
        self._store(self.builder.apply_suggestion(self.values, key))
        self._update()
        ui.notify('Suggested setup applied', type='positive', position='bottom', timeout=1500)

    def reset(self) -> None:
        self._store(self.builder.reset())
        self._update()

    def _update(self) -> None:
        form = self.builder.resolve(self.values)
        for field in form.fields:
            widget = self.widgets.get(field.key)
            if widget is not None:
                widget.apply(field)
        self._publish(form)

    def _publish(self, form: ResolvedForm) -> None:
        self.form = form
        if self.with_suggestions:
            self._show_suggestions(form.suggestions)
        for listener in self.listeners:
            listener(form)

    # ---- suggested setups ----------------------------------------------------------------------------------------
    def _show_suggestions(self, suggestions: tuple[Suggestion, ...]) -> None:
        architecture_name = self.form.architecture.name if self.form and self.form.architecture else None
        keys = (architecture_name, *((item.key, item.active) for item in suggestions))
        if keys == self._suggestion_keys:
            return
        self._suggestion_keys = keys
        self.suggestion_box.clear()
        with self.suggestion_box:
            architecture = self.form.architecture if self.form else None
            title = 'Suggested setups' + (f' for {architecture.label}' if architecture else '')
            ui.label(title).classes('text-base font-semibold')
            if not suggestions:
                ui.label('No suggested setups for this architecture.').classes('text-sm text-grey-7')
                return
            with ui.grid().classes('w-full gap-3 grid-cols-1 @lg:grid-cols-2 @4xl:grid-cols-3'):
                for item in suggestions:
                    self._suggestion_card(item)

    def _suggestion_card(self, item: Suggestion) -> None:
        border = 'border-2 border-positive' if item.active else ''
        with light.card().classes(f'w-full gap-1 {border}').mark(f'suggestion-{item.key}'):
            with ui.row().classes('w-full items-center no-wrap gap-2'):
                if item.active:
                    light.icon('check_circle', color='positive').mark(f'suggestion-active-{item.key}')
                ui.label(item.title).classes('font-semibold')
                light.space()
                ui.button('Apply', on_click=lambda key=item.key: self.apply_suggestion(key)) \
                    .props('dense unelevated no-caps' + (' outline' if item.active else '')) \
                    .mark(f'apply-{item.key}')
            if item.description:
                ui.label(item.description).classes('text-xs text-grey-8')
            shown = ' · '.join(f'{key}: {_short(value)}' for key, value in item.recommendations.items())
            ui.label(shown).classes('text-[11px] leading-snug text-grey-7')


def _sections(form: ResolvedForm) -> list[tuple[str, list[ResolvedField]]]:
    """The form's fields in schema order, grouped into runs of the same section (each run is one card)."""
    return [(section, list(fields))
            for section, fields in groupby(form.fields, key=lambda field: field.spec.section or 'Settings')]


def _short(value: Any) -> str:
    return format_number(value, None) if isinstance(value, float) else str(value)
