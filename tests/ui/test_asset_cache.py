"""Framework assets are answered from memory after their first successful response; nothing else is."""

from __future__ import annotations

import asyncio

from views.asset_cache import AssetCache

PREFIX = '/_nicegui/9.9.9/'


class Files:
    """A stand-in for NiceGUI's routes: counts the requests that reach it."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, scope, receive, send) -> None:
        self.calls += 1
        status = 404 if scope['path'].endswith('missing.js') else 200
        await send({'type': 'http.response.start', 'status': status,
                    'headers': [(b'content-type', b'text/javascript'), (b'content-length', b'12')]})
        await send({'type': 'http.response.body', 'body': b'export {};\n', 'more_body': True})
        await send({'type': 'http.response.body', 'body': b'/'})


def get(app, path: str, headers: list[tuple[bytes, bytes]] | None = None) -> list[dict]:
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    async def receive() -> dict:
        return {'type': 'http.request'}

    scope = {'type': 'http', 'method': 'GET', 'path': path, 'query_string': b'', 'headers': headers or []}
    asyncio.run(app(scope, receive, send))
    return sent


def body(messages: list[dict]) -> bytes:
    return b''.join(message.get('body', b'') for message in messages[1:])


def test_a_framework_asset_is_read_once_and_then_replayed_exactly() -> None:
    files = Files()
    cache = AssetCache(files, PREFIX)
    first = get(cache, PREFIX + 'static/quasar.js')
    again = get(cache, PREFIX + 'static/quasar.js')
    assert files.calls == 1
    assert again[0]['status'] == 200 and again[0]['headers'] == first[0]['headers']
    assert body(again) == body(first) == b'export {};\n/'


def test_pages_failures_ranges_and_dynamic_resources_always_reach_the_app() -> None:
    files = Files()
    cache = AssetCache(files, PREFIX)
    for _ in range(2):
        get(cache, '/train')
        get(cache, PREFIX + 'static/missing.js')
        get(cache, PREFIX + 'dynamic_resources/chart.js')
        get(cache, PREFIX + 'static/quasar.js', headers=[(b'range', b'bytes=0-3')])
    assert files.calls == 8


def test_compressed_and_plain_answers_are_kept_apart() -> None:
    files = Files()
    cache = AssetCache(files, PREFIX)
    get(cache, PREFIX + 'static/vue.js', headers=[(b'accept-encoding', b'gzip, br')])
    get(cache, PREFIX + 'static/vue.js')
    get(cache, PREFIX + 'static/vue.js', headers=[(b'accept-encoding', b'gzip')])
    assert files.calls == 2
