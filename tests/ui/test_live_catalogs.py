"""Open pages follow the file system: new checkpoints, edited schemas, broken YAML (banner, last good kept)."""

from __future__ import annotations

import time
from pathlib import Path

from nicegui.testing import User

from .conftest import Workbench
from .helpers import control, eventually, form_ready, in_pane, write_checkpoint


def set_value(user: User, pane: str, key: str, value) -> None:
    with user:
        control(user, pane, key).value = value


async def test_a_new_checkpoint_appears_in_open_pickers_and_brings_its_components(user: User,
                                                                                  workbench: Workbench) -> None:
    await user.open('/test')
    await form_ready(user, 'test')
    await form_ready(user, 'train')
    picker = control(user, 'test', 'checkpoint')
    set_value(user, 'train', 'resume_training', True)  # Train's resume picker shows
    resume_picker = control(user, 'train', 'checkpoint_path')
    write_checkpoint(workbench.outputs, '2026-11-30_08-00-00_older', epoch=2, hmean=0.5,
                     created='2026-11-30T08:00:00+00:00')
    written = time.monotonic()
    path = write_checkpoint(workbench.outputs, '2026-12-01_20-15-00_receipts', encoder='mobilenetv3_small')
    value = await eventually(lambda: next((v for v in picker.options if 'receipts' in str(v)), None), timeout=5,
                             message='the new checkpoint is listed')
    elapsed = time.monotonic() - written
    assert elapsed < 2.0, f'listed {elapsed:.2f} s after it was written'
    assert value == str(path.relative_to(workbench.outputs.parent)) or value.endswith('receipts/checkpoints/best.ckpt')
    label = picker.options[value]
    assert label.startswith('receipts/best · epoch 7 · hmean 0.873 · 2026-12-01')
    await eventually(lambda: len([v for v in picker.options if 'older' in str(v)]) == 1)
    ours = [v for v in picker.options if 'receipts' in str(v) or 'older' in str(v)]
    assert 'receipts' in ours[0], 'newest first'
    assert value in resume_picker.options, 'every open picker gets it'

    set_value(user, 'test', 'checkpoint', value)
    assert control(user, 'test', 'encoder').value == 'mobilenetv3_small'
    assert control(user, 'test', 'decoder').value == 'unet'
    assert any('Filled in from the selected checkpoint' in getattr(element, 'text', '')
               for element in in_pane(user, 'test', 'field-encoder').descendants())
    with user.scope(marker='pane-overview'):
        await user.should_see('receipts/best · epoch 7 · hmean 0.873', retries=20)


async def test_an_edited_schema_updates_the_open_form(own_configs: Path, user: User) -> None:
    await user.open('/train')
    await form_ready(user, 'train')
    schema = own_configs / 'ui' / 'schemas' / 'train.yaml'
    schema.write_text(schema.read_text().replace('label: Experiment name', 'label: Run name', 1))
    await eventually(lambda: control(user, 'train', 'exp_name').label == 'Run name', timeout=8,
                     message='the new label is shown')


async def test_a_malformed_yaml_shows_file_and_line_while_the_last_good_version_stays(own_configs: Path,
                                                                                      user: User) -> None:
    await user.open('/train')
    await form_ready(user, 'train')
    schema = own_configs / 'ui' / 'schemas' / 'train.yaml'
    good = schema.read_text()
    lines = good.splitlines()
    lines.insert(20, '  - key: [unclosed')
    schema.write_text('\n'.join(lines) + '\n')
    banner = await eventually(lambda: [e for e in user.find(marker='config-banner').elements if e.visible], timeout=8,
                              message='the error banner is shown')
    text = ' '.join(getattr(e, 'text', '') for e in banner[0].descendants())
    assert f'{schema}:' in text and 'malformed YAML' in text
    line = int(text.split(f'{schema}:', 1)[1].split(':', 1)[0])
    assert 20 <= line <= 23
    assert control(user, 'train', 'exp_name').value == 'ocr_training', 'the last good form stays usable'
    schema.write_text(good)
    await eventually(lambda: not banner[0].visible, timeout=8, message='the banner goes away once the file is fixed')
