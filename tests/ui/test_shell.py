"""The frame: navigation, titles, 404s, and that a page switch rebuilds nothing and reads no files."""

from __future__ import annotations

import asyncio
import sys

import pytest
from nicegui.testing import User

from services.checkpoint_catalog import CheckpointCatalog
from services.config_catalog import ConfigCatalog
from views import shell
from views.command_page import CommandPage

from .helpers import eventually, form_ready, in_pane

PAGES = {'overview': 'Overview', 'train': 'Train', 'test': 'Test', 'predict': 'Predict', 'jobs': 'Jobs'}


async def test_the_drawer_lists_exactly_the_five_pages(user: User) -> None:
    await user.open('/')
    for key, label in PAGES.items():
        await user.should_see(marker=f'nav-{key}')
        await user.should_see(label)
    for later in ('Preprocessing', 'Inference', 'Comparison'):
        await user.should_not_see(later)


@pytest.mark.parametrize('key', list(PAGES))
async def test_each_path_opens_its_page(user: User, key: str) -> None:
    await user.open('/' if key == 'overview' else f'/{key}')
    assert user.client.title == f'{PAGES[key]} · OCR Workbench'
    await user.should_see(marker=f'page-title-{key}')


async def test_clicking_a_drawer_item_switches_the_page_without_a_new_client(user: User) -> None:
    await user.open('/')
    client = user.client
    user.find(marker='nav-test').click()
    await eventually(lambda: client.title == 'Test · OCR Workbench', message='title follows the click')
    user.find(marker='nav-jobs').click()
    await eventually(lambda: client.title == 'Jobs · OCR Workbench')
    assert user.client is client, 'a page switch must stay inside the same client (no full page load)'
    assert user.back_history[-2:] == ['/test', '/jobs']


async def test_a_form_left_at_once_after_a_cold_load_still_gets_its_lower_sections(user: User) -> None:
    await user.open('/train')
    user.find(marker='nav-test').click()  # before the sections below Train's first screen have been sent
    await eventually(lambda: user.client.title == 'Test · OCR Workbench')
    await form_ready(user, 'train')
    assert in_pane(user, 'train', 'input-dataset') is not None, 'the last section of Train is there'


async def test_the_header_says_whether_jobs_run_and_its_chip_opens_the_jobs_page(user: User) -> None:
    await user.open('/train')
    with user.scope(marker='running-chip'):
        await user.should_see('no jobs running')
    user.find(marker='running-chip').click()
    await eventually(lambda: user.client.title == 'Jobs · OCR Workbench', message='the chip opens Jobs')


async def test_a_tab_counts_as_loading_until_its_last_view_is_built(user: User, monkeypatch: pytest.MonkeyPatch)\
        -> None:
    release = asyncio.Event()
    original = shell.Shell._send_rest

    async def held_back(self) -> None:  # the background views wait until the test lets them go
        await release.wait()
        await original(self)

    monkeypatch.setattr(shell.Shell, '_send_rest', held_back)
    await user.open('/train')
    assert shell.pages_loading(), 'the idle garbage collector must not pause the process now'
    release.set()
    await form_ready(user, 'train')
    await eventually(lambda: not shell.pages_loading(), message='loaded: the process may collect')


async def test_a_fetch_that_never_connects_stops_counting_as_a_load(user: User, monkeypatch: pytest.MonkeyPatch) \
        -> None:
    monkeypatch.setattr(shell, 'LOADING_AT_MOST_S', 0.2)
    response = await user.http_client.get('/train')  # a bare HTTP fetch: no browser, no socket
    assert response.status_code == 200
    assert shell.pages_loading()
    await eventually(lambda: not shell.pages_loading(), timeout=2, message='a page that never connects')


async def test_an_unknown_path_answers_404(user: User) -> None:
    response = await user.http_client.get('/preprocessing')
    assert response.status_code == 404
    assert '404' in response.text


async def test_every_view_is_built_once_and_switching_reads_no_files(user: User, monkeypatch: pytest.MonkeyPatch)\
        -> None:
    builds: list[str] = []
    original = CommandPage.build
    monkeypatch.setattr(CommandPage, 'build', lambda self: (builds.append(self.name), original(self))[1])
    await user.open('/train')
    await form_ready(user, 'train')
    await eventually(lambda: sorted(builds) == ['predict', 'test', 'train'], message='background views built')
    torch_before = 'torch' in sys.modules
    calls: list[str] = []
    for cls, name in ((ConfigCatalog, 'load'), (ConfigCatalog, 'reload_files'), (CheckpointCatalog, 'scan_paths'),
                      (CheckpointCatalog, 'refresh')):
        original_method = getattr(cls, name)
        monkeypatch.setattr(cls, name, lambda *args, _n=name, _m=original_method, **kw: (calls.append(_n),
                                                                                            _m(*args, **kw))[1])
    for key in ('test', 'predict', 'jobs', 'overview', 'train', 'test'):
        user.find(marker=f'nav-{key}').click()
        await eventually(lambda key=key: user.client.title.startswith(PAGES[key]))
    assert sorted(builds) == ['predict', 'test', 'train'], 'views are kept alive, not rebuilt'
    assert calls == []
    assert ('torch' in sys.modules) == torch_before, 'a page switch must not import torch'
    await user.should_see(marker='page-title-test')
    assert in_pane(user, 'test', 'form')
