"""Quasar's look without Quasar's components, for the decoration a cold load paints first.

A cold load pays for every Vue component on its first screen twice: the first instance of each kind runs its code
for the first time (lazily compiled, so slowly), and every instance is set up and watched. Cards, icons, badges,
spacers and skeletons are pure CSS in Quasar: the component only renders a ``<div>`` or ``<i>`` with classes. The
helpers here render those same tags with the same Quasar classes as native NiceGUI elements, which the browser
mounts as plain DOM. Measured on the 2-core dev machine, the shell alone came up about 50 ms sooner this way.
Use them for what only has to look right; interactive controls (inputs, selects, buttons, checkboxes) stay Quasar's.
"""

from __future__ import annotations

from nicegui import ui
from nicegui.element import Element
from nicegui.elements.mixins.text_element import TextElement

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
