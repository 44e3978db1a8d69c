"""Framework assets (NiceGUI's, Vue's and Quasar's scripts, styles and fonts) answered from memory.

A cold load fetches about twenty of them at once. Served as files, each takes a routing pass, a thread-pool hop and
disk reads (about 3 ms on 2 cores), one after the other on the server's single event loop, and the page cannot
mount before the slowest one has arrived. Their URLs carry the NiceGUI version or a content hash, so a response
never changes while the process lives: ``AssetCache`` keeps the first successful answer (status, headers, body) and
replays it. Whether the body is compressed is part of the key, because compression (when on) sits inside this cache.
"""

from __future__ import annotations

from collections.abc import Callable

import nicegui
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BYTES = 64 * 1024 * 1024
"""Upper bound of what is kept; beyond it responses pass through uncached."""


class AssetCache:
    """ASGI middleware in front of the routes under ``prefix`` (except ``dynamic_resources``)."""

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix
        self.responses: dict[tuple[str, bytes, bool], tuple[Message, bytes]] = {}
        self.size = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        if key in self.responses:
            start, body = self.responses[key]
            await send({**start, 'headers': list(start['headers'])})
            await send({'type': 'http.response.body', 'body': body})
            return
        messages: list[Message] = []

        async def keep(message: Message) -> None:
            messages.append(message)
            await send(message)

        await self.app(scope, receive, keep)
        self._store(key, messages)

    def _key(self, scope: Scope) -> tuple[str, bytes, bool] | None:
        path = scope.get('path', '')
        if scope.get('type') != 'http' or scope.get('method') != 'GET' or not path.startswith(self.prefix) \
                or '/dynamic_resources/' in path:
            return None
        headers = dict(scope.get('headers') or [])
        if b'range' in headers or b'if-none-match' in headers or b'if-modified-since' in headers:
            return None
        return path, scope.get('query_string', b''), b'gzip' in headers.get(b'accept-encoding', b'')

    def _store(self, key: tuple[str, bytes, bool], messages: list[Message]) -> None:
        if len(messages) < 2 or messages[0].get('type') != 'http.response.start' or messages[0].get('status') != 200:
            return
        bodies = messages[1:]
        if any(message.get('type') != 'http.response.body' for message in bodies) or bodies[-1].get('more_body'):
            return
        body = b''.join(message.get('body', b'') for message in bodies)
        if self.size + len(body) > MAX_BYTES:
            return
        start = messages[0]
        self.responses[key] = ({**start, 'headers': list(start.get('headers', []))}, body)
        self.size += len(body)


def asset_middleware(*, compress: bool) -> Callable[[ASGIApp], ASGIApp]:
    """The factory ``ui.run`` takes for its compression middleware: the cache, with gzip inside it if ``compress``.

    Compression pays off over a network; on loopback it only costs CPU (about 25 ms for Quasar's script alone).
    """
    prefix = f'/_nicegui/{nicegui.__version__}/'

    def factory(app: ASGIApp) -> ASGIApp:
        return AssetCache(GZipMiddleware(app, compresslevel=6) if compress else app, prefix)

    return factory
