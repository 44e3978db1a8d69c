"""The application frame: header, navigation drawer, config banner and one kept-alive pane per page.

``create_root`` returns the ``ui.run`` root. Per client it builds the frame and the view the URL asks for into the
initial HTML (so the first paint needs no socket round trip), restores the tab's stored state once the socket is up,
and builds the remaining views in the background a moment later, so every later page switch only flips visibility
on the client (see ``navigation``). Nothing here touches the file system or rebuilds a service: views receive the
shared services in their context.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import weakref
from collections.abc import Callable

import nicegui
from nicegui import app, background_tasks, ui

from . import light
from .banner import config_banner
from .boundary import Boundary
from .context import TabState, View, ViewContext
from .live import follow
from .navigation import FIRST_PAINT_EVENT, HEAD_HTML, MISSING, PAGES, Page, page_for_path
from .style import UTILITIES_CSS

BACKGROUND_BUILD_DELAY_S = 0.15
"""Pause between sending the first view's remainder and the other views, so the browser paints the one first."""

FIRST_PAINT_TIMEOUT_S = 1.0
"""How long the server waits for the browser's first-paint report (``navigation.FIRST_PAINT_EVENT``) before it
sends the rest of the page anyway (a tab opened in the background paints no frames)."""

RESTORE_DELAY_S = 0.01
"""After the socket handshake, before the tab's stored state is restored into the views."""

PRELOADED_FONTS = ('0c19a63c7528cc1a', '5f5fa57fb07d7e44')
"""NiceGUI's bundled Material Icons and Roboto (latin) font files, the two every page renders with."""

ViewFactory = Callable[[ViewContext], View]

LOADING_AT_MOST_S = 5.0
"""How long a page counts as loading at most: a fetch without a browser (curl, a link preview) never connects."""

_loading: weakref.WeakSet[Shell] = weakref.WeakSet()
"""Shells still loading: from the page build until their last background view is built."""


def pages_loading() -> bool:
    """Whether some tab is loading a page right now (the idle garbage collector waits for none to be)."""
    now = time.monotonic()
    return any(now - shell.started < LOADING_AT_MOST_S and not shell.client.is_deleted for shell in list(_loading))


def create_root(services, factories: dict[str, ViewFactory], *, wait_for_paint: bool = True) -> Callable:
    """The root page function shared by every path; ``factories`` maps page keys to view constructors.

    ``wait_for_paint``: send the rest of a page once the browser reports its first screen painted (off for NiceGUI's
    simulated test browser, which runs no scripts and so never reports).
    """
    missing = [page.key for page in PAGES if page.key not in factories]
    if missing:
        raise ValueError(f'no view for pages: {", ".join(missing)}')

    async def root() -> None:
        await Shell(services, factories, wait_for_paint=wait_for_paint).run()

    return root


class Shell:
    """One client's frame; owns the panes and which of them the server believes is showing."""

    def __init__(self, services, factories: dict[str, ViewFactory], *, wait_for_paint: bool = True) -> None:
        self.services = services
        self.started = time.monotonic()
        self.painted = asyncio.Event()
        if not wait_for_paint:
            self.painted.set()
        self.factories = factories
        self.client = ui.context.client
        self.panes: dict[str, ui.column] = {}
        self.views: dict[str, View] = {}
        self.current = MISSING
        self.state = TabState()
        self.context = ViewContext(services=services, client=self.client, state=self.state, navigate=self.navigate)
        self.connected = False

    async def run(self) -> None:
        _loading.add(self)  # until its last background view is built, or the tab closes before it connects
        connected = False
        try:
            connected = await self._load()
        finally:
            if connected:
                background_tasks.create(self._build_rest(), name='build background views', context=self.client)
            else:
                _loading.discard(self)

    async def _load(self) -> bool:
        """Frame and first view into the initial HTML, then the tab's state once connected; False if it closed."""
        ui.add_head_html(f'{self._font_preloads()}<style>{UTILITIES_CSS}</style>{HEAD_HTML}')
        start = page_for_path(self.client.sub_pages_router.current_path)
        self._frame()
        self._mirror(start)
        if start is not None:
            self._build(start.key)  # part of the initial HTML: painted without waiting for the socket
        self.client.sub_pages_router.on_path_changed(lambda path: self._mirror(page_for_path(path)))
        ui.on(FIRST_PAINT_EVENT, self.painted.set)
        await self.client.connected()
        # let the handshake's answer go out first: restoring a big form is ~100 ms of Python on 2 cores, and the
        # browser only counts as connected (and sends input) once that answer has arrived
        await asyncio.sleep(RESTORE_DELAY_S)
        if self.client.is_deleted:
            return False
        self.connected = True
        self.state.attach(app.storage.tab)
        for view in self.views.values():
            view.restore()
        return True

    def _font_preloads(self) -> str:
        """Start the icon and text fonts with the scripts: found only once Vue has rendered the first icon, their
        download otherwise overlaps (and on 2 cores delays) the socket handshake of a cold load."""
        request = getattr(self.client, 'request', None)
        prefix = request.headers.get('X-Forwarded-Prefix', '') if request is not None else ''
        return ''.join(f'<link rel="preload" href="{prefix}/_nicegui/{nicegui.__version__}/static/fonts/{name}.woff2"'
                       ' as="font" type="font/woff2" crossorigin>' for name in PRELOADED_FONTS)

    def navigate(self, key: str) -> None:
        """Switch pages from server code (e.g. a "show in Jobs" button); the browser pushes the URL."""
        page = next(p for p in PAGES if p.key == key)
        ui.run_javascript(f'window.ocrwShow({json.dumps(page.key)})')
        ui.navigate.to(page.path)

    def _frame(self) -> None:
        """Header, page drawer and panes as plain tags (no Quasar layout components: they cost a cold load about
        50 ms of mounting); their CSS, and the drawer's opening and closing, live in ``navigation``."""
        with ui.element('header').classes('ocrw-header row items-center no-wrap gap-2 px-2 bg-primary text-white'):
            toggle = ui.element('button').classes('ocrw-drawer-toggle').mark('drawer-toggle')
            toggle.props.update({'type': 'button', 'aria-label': 'Show or hide the page list',
                                 'aria-controls': 'ocrw-drawer', 'data-ocrw-drawer-toggle': ''})
            with toggle:
                light.icon('menu')
            with ui.row().classes('items-baseline gap-2 no-wrap min-w-0'):
                ui.label('OCR Workbench').classes('text-lg font-semibold')
                ui.label('DBNet text detection').classes('text-xs opacity-70 max-sm:hidden')
            light.space()
            self._running_chip()
        with ui.element('aside').classes('ocrw-drawer bg-grey-1').props('id=ocrw-drawer aria-label=Pages'):
            with ui.element('nav').classes('column no-wrap w-full pt-2'):
                for page in PAGES:
                    with ui.link(target=page.path).classes('ocrw-nav w-full no-underline text-grey-9') \
                            .props(f'data-nav={page.key}').mark(f'nav-{page.key}'):
                        with ui.row().classes('items-center no-wrap gap-3 px-4 py-3 hover:bg-grey-3'):
                            light.icon(page.icon, size='sm')
                            ui.label(page.label).classes('text-sm')
        ui.element('div').classes('ocrw-drawer-backdrop').props('data-ocrw-drawer-toggle aria-hidden=true')
        with ui.column().classes('w-full max-w-[1600px] mx-auto gap-0'):
            with Boundary().classes('w-full'):
                config_banner(self.services.configs)
            # the URL router: path changes, back/forward and 404s; the views themselves live in the panes below
            with Boundary():
                ui.sub_pages({page.path: _routed for page in PAGES})
            for page in PAGES:
                # the pane (never updated) is a render boundary; its content column is cleared and filled once
                with Boundary().classes('ocrw-pane w-full').props(f'data-pane={page.key}').mark(f'pane-{page.key}'):
                    with ui.column().classes('w-full gap-4') as content:
                        light.skeleton('text').classes('w-48 h-8')
                        light.skeleton('rect').classes('w-full h-64')
                self.panes[page.key] = content

    def _running_chip(self) -> None:
        jobs = self.services.jobs
        with ui.element('button').classes('ocrw-chip').props('type=button').mark('running-chip') as chip:
            light.icon('play_circle', size='18px')
            label = ui.label('')
        chip.on('click', lambda: self.navigate('jobs'))

        def update(*_args) -> None:
            running = len(jobs.running())
            label.text = f'{running} running' if running else 'no jobs running'

        update()
        follow(self.client, jobs.status, update)
        follow(self.client, jobs.jobs_changed, update)

    def _mirror(self, page: Page | None) -> None:
        """Server-side copy of what the browser already shows (the client switched on its own, see navigation)."""
        key = page.key if page else MISSING
        self.current = key
        ui.page_title(f'{page.label} · OCR Workbench' if page else 'Not found · OCR Workbench')
        if not self.connected:
            return
        if key in self.views:
            self.views[key].on_show()
        elif key != MISSING:
            self._build(key)

    def _build(self, key: str) -> None:
        if key in self.views:
            return
        pane = self.panes[key]
        view = self.factories[key](self.context)
        self.views[key] = view
        pane.clear()
        with pane:
            view.build()
        pane.props('data-built')

    async def _build_rest(self) -> None:
        try:
            await self._send_rest()
        finally:
            _loading.discard(self)

    async def _send_rest(self) -> None:
        # the rest is sent once the first screen is on the glass: sooner, it would compete with that paint
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.painted.wait(), FIRST_PAINT_TIMEOUT_S)
        if self.client.is_deleted:
            return
        for view in list(self.views.values()):  # the first view's part below its first screen (wherever it is now)
            view.complete()
        await asyncio.sleep(BACKGROUND_BUILD_DELAY_S)  # painted before the other views' payload arrives
        for page in PAGES:
            # a closed tab keeps its client for the reconnect timeout: build nothing for it unless it comes back
            await self.client.connected()  # returns at once while connected, and when the client is deleted
            if self.client.is_deleted:
                return
            self._build(page.key)
            await asyncio.sleep(0)  # one view per message, so a click in between is answered first


def _routed() -> None:
    """Route target for every page: the content is in the kept-alive panes, so there is nothing to rebuild."""
