"""Small helpers for reading the simulated page: one pane at a time, since Train, Test and Predict share markers."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nicegui import ui
from nicegui.testing import User


def in_pane(user: User, pane: str, marker: str) -> ui.element:
    """The one element with ``marker`` inside the page ``pane`` (train, test, predict, jobs, overview), shown or not."""
    (root,) = user.find(marker=f'pane-{pane}').elements
    found = [element for element in root.descendants() if marker in element._markers]
    assert len(found) == 1, f'{len(found)} elements marked {marker!r} in pane {pane!r}'
    return found[0]


def control(user: User, pane: str, key: str) -> Any:
    return in_pane(user, pane, f'input-{key}')


def preview(user: User, pane: str) -> str:
    return in_pane(user, pane, 'command-text').value


async def eventually(check: Callable[[], Any], timeout: float = 10.0, message: str = '') -> Any:
    """Poll ``check`` until it returns something truthy (the app works asynchronously) or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except (AssertionError, KeyError, LookupError) as error:
            last = error
        else:
            if last:
                return last
        await asyncio.sleep(0.05)
    raise AssertionError(f'timed out: {message or check} (last: {repr(last)[:300]})')


async def form_ready(user: User, pane: str) -> None:
    """Wait until the page's whole form has been built from its schema (configs load in the background, and the
    sections below a cold load's first screen follow once the socket is up)."""
    def built() -> bool:
        control(user, pane, 'exp_name')
        (root,) = user.find(marker=f'pane-{pane}').elements
        return not any('form-deferred' in element._markers for element in root.descendants())

    await eventually(built, message=f'{pane} form built')


def write_checkpoint(outputs: Path, run: str, *, epoch: int = 7, hmean: float = 0.873,
                     encoder: str = 'mobilenetv3_small', architecture: str = 'dbnet_lite',
                     created: str = '2026-12-01T20:15:00+00:00', kind: str = 'best') -> Path:
    """A checkpoint with its sidecar, as the train runner leaves them (weights are not read by the UI)."""
    path = outputs / run / 'checkpoints' / f'{kind}.ckpt'
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'PK\x03\x04 test weights')
    components = {'encoder': encoder, 'decoder': 'unet', 'head': 'db_head', 'loss': 'db_loss'}
    meta = {
        'format': 'ocr-workbench/checkpoint-v1', 'architecture': architecture, 'components': components,
        'epoch': epoch, 'step': epoch * 100, 'metrics': {'val/hmean': hmean}, 'created': created, 'kind': kind,
        'exp_name': run.split('_', 2)[-1], 'run_dir': f'outputs/{run}', 'image_size': 960, 'preprocessing': 'none',
        'model_config': {'architecture': architecture, **{part: {'name': name} for part, name in components.items()}},
    }
    path.with_name(path.name + '.meta.json').write_text(json.dumps(meta))
    return path
