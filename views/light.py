"""Quasar's look without Quasar's components, for the decoration a cold load paints first.

A cold load pays for every Vue component on its first screen twice: the first instance of each kind runs its code
for the first time (lazily compiled, so slowly), and every instance is set up and watched. Cards, icons, badges,
spacers and skeletons are pure CSS in Quasar: the component only renders a ``<div>`` or ``<i>`` with classes. The
helpers here render those same tags with the same Quasar classes as native NiceGUI elements, which the browser
mounts as plain DOM. Measured on the 2-core dev machine, the shell alone came up about 50 ms sooner this way.
Use them for what only has to look right. The one interactive exception is ``TextInput``: Quasar's ``QInput`` was
the costliest single component of the Train page's first screen (35-75 ms of a cold load in A/B runs), and a text
field needs nothing from it that the browser's own ``<input>`` and ``<textarea>`` lack. Selects, numbers, sliders,
buttons and checkboxes stay Quasar's.
"""

from __future__ import annotations

from typing import Any

from nicegui import ui
from nicegui.element import Element
from nicegui.elements.mixins.text_element import TextElement
from nicegui.events import GenericEventArguments, Handler, ValueChangeEventArguments

ICON_SIZES = {'xs': '18px', 'sm': '24px', 'md': '32px', 'lg': '38px', 'xl': '46px'}
"""Quasar's named icon sizes."""


def card(*, bordered: bool = True, flat: bool = True) -> Element:
    """A ``ui.card`` look-alike (``q-card`` classes, NiceGUI's padded column layout inside)."""
    classes = 'q-card nicegui-card'
    classes += (' q-card--bordered' if bordered else '') + (' q-card--flat no-shadow' if flat else '')
    return ui.element('div').classes(classes)


def icon(name: str, *, size: str | None = None, color: str | None = None) -> TextElement:
    """A Material icon as Quasar's ``<i class="q-icon material-icons">`` (``size``: Quasar name or CSS length)."""
    element = TextElement(tag='i', text=name).classes('q-icon notranslate material-icons')
    element.props('aria-hidden=true role=presentation')
    if size:
        element.style(f'font-size: {ICON_SIZES.get(size, size)}')
    if color:
        element.classes(f'text-{color}')
    return element


class Badge(ui.label):
    """A ``ui.badge`` look-alike: ``text`` changes like a label's, the colour through ``set_color``."""

    def __init__(self, text: str = '', *, color: str = 'primary') -> None:
        super().__init__(text)
        self.classes('q-badge flex inline items-center no-wrap q-badge--single-line text-white')
        self.color = ''
        self.set_color(color)

    def set_color(self, color: str) -> None:
        """Quasar colour name (``positive``, ``grey-7``...) of the background."""
        if color != self.color:
            self.classes(add=f'bg-{color}', remove=f'bg-{self.color}' if self.color else None)
            self.color = color


def space() -> Element:
    """``ui.space``: takes the free room in a row."""
    return ui.element('div').classes('q-space')


def skeleton(kind: str = 'rect', *, animation: str = 'wave') -> Element:
    """A ``ui.skeleton`` look-alike: a grey shape where content is still loading (``animation='none'``: still)."""
    classes = f'q-skeleton q-skeleton--type-{kind}'
    if animation != 'none':
        classes += f' q-skeleton--anim q-skeleton--anim-{animation}'
    return ui.element('div').classes(classes)


class TextInput(ui.input):
    """A ``ui.input`` (or, with ``multiline``, a ``ui.textarea``) that the browser renders as a native field.

    It keeps ``ui.input``'s Python side (``value``, ``on_change``, binding, the testing ``user``'s typing), but has
    no Vue component: the element is the ``<input>``/``<textarea>`` itself, inside a ``<label>`` styled like a dense
    outlined Quasar field with its label floated. Each keystroke sends the field's text; the text typed is kept in
    the browser's copy of the element, so an update from the server that crosses a keystroke does not roll it back.
    """

    component = None  # no QInput: NiceGUI renders the native tag named below

    def __init__(self, label: str | None = None, *, value: str = '', placeholder: str | None = None,
                 multiline: bool = False,
                 on_change: Handler[ValueChangeEventArguments[str | None]] | None = None) -> None:
        self.multiline = multiline
        with ui.element('label').classes('ocrw-text' + (' ocrw-text--multiline' if multiline else '')):
            self.label_text = TextElement(tag='span', text=label).classes('ocrw-text-label') if label else None
            super().__init__(label, value=value, placeholder=placeholder, on_change=on_change)
        self.tag = 'textarea' if multiline else 'input'
        self.classes('ocrw-text-input')
        for prop in ('for', '_autocomplete', 'loopback', 'label', 'error', *(('type',) if multiline else ())):
            self._props.pop(prop, None)
        self._props['spellcheck'] = 'false'
        self._fit_rows()
        self._event_listeners = {key: listener for key, listener in self._event_listeners.items()
                                 if listener.type != f'update:{self.VALUE_PROP}'}  # QInput's event, never sent here
        self.on('input', self._typed,
                js_handler='(e) => { element.props.value = e.target.value; emit(e.target.value); }')

    @property
    def invalid(self) -> bool:
        """Whether the field shows its error outline (the messages themselves are the form's)."""
        return self._props.get('aria-invalid') == 'true'

    @invalid.setter
    def invalid(self, value: bool) -> None:
        if value != self.invalid:
            self._props.set_optional('aria-invalid', 'true' if value else None)

    def _typed(self, event: GenericEventArguments) -> None:
        """A keystroke: the browser shows the text already, so the value changes without a round trip back."""
        text = event.args if isinstance(event.args, str) else ''
        self._send_update_on_value_change = False
        try:
            self.set_value(text)
        finally:
            self._send_update_on_value_change = True
        self._client_value = text  # the browser's copy stays as typed if an update crosses a keystroke

    def _handle_label_change(self, label: str | None) -> None:
        """The label is the floated ``<span>`` in the wrapping ``<label>`` (so also the accessible name), not a prop."""
        if self.label_text is not None:
            self.label_text.text = label or ''

    def _handle_enabled_change(self, enabled: bool) -> None:
        """The native ``disabled`` attribute (Quasar's ``disable`` prop means nothing to an ``<input>``)."""
        self._props.pop('disable', None)
        self._props.set_optional('disabled', None if enabled else True)

    def _handle_value_change(self, value: Any) -> None:
        super(ui.input, self)._handle_value_change(value)  # not QInput's ``updateValue`` call: there is no QInput
        self._fit_rows()

    def _fit_rows(self) -> None:
        """A text area as tall as its text (``field-sizing`` does this where the browser knows it)."""
        rows = max(2, (self.value or '').count('\n') + 1)
        if self.multiline and self._props.get('rows') != rows:
            self._props['rows'] = rows
