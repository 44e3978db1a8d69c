"""``Boundary``: a ``<div>`` that limits how much of the page the browser re-renders when an element changes.

NiceGUI renders native tags (``ui.column``, ``ui.row``, ...) inside the render function of the nearest *component*
above them and passes children to components as fresh slot functions, so when the server updates an element
(its props, classes or list of children), the browser re-renders everything below that element's nearest component
ancestor. Below the page container that is the whole page: measured on the 2-core dev machine, one such update cost
50-100 ms of main-thread time, enough to delay the next paint of a page switch.

Rule used throughout the views: an element that changes after it is built is the direct child of a ``Boundary``
(``with Boundary(): dynamic = ui.column()``), so an update costs as much as that element's own subtree.
"""

from __future__ import annotations

from nicegui.element import Element


class Boundary(Element, component='boundary.js', default_classes='ocrw-boundary'):
    """A ``<div>`` container that is its own render scope (``min-width: 0``, so long text inside can truncate)."""
