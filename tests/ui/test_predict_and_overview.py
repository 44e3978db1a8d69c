"""Predict's submissions with downloads, the Test page's checkpoint-driven components, and the Overview cards."""

from __future__ import annotations

import json

from nicegui.testing import User

from .conftest import Workbench
from .helpers import control, eventually, form_ready, in_pane, preview, write_checkpoint


def finished_predict_run(workbench: Workbench, name: str = '2026-12-01_21-00-00_ocr_prediction') -> dict[str, bytes]:
    folder = workbench.outputs / name / 'submissions'
    folder.mkdir(parents=True)
    files = {
        'submission.json': json.dumps({'images': {'r1.jpg': {'words': {}}}}).encode(),
        'submission.csv': b'filename,polygons\nr1.jpg,1 2 3 4 5 6 7 8\n',
    }
    for file_name, content in files.items():
        (folder / file_name).write_bytes(content)
    return files


async def test_a_finished_predict_runs_submissions_are_listed_with_downloads(workbench: Workbench,
                                                                            user: User) -> None:
    files = finished_predict_run(workbench)
    await user.open('/predict')
    await eventually(lambda: in_pane(user, 'predict', 'download-submission.csv'), message='submissions listed')
    for file_name, content in files.items():
        with user.scope(marker='pane-predict'):
            user.find(marker=f'download-{file_name}').click()
        response = await user.download.next(timeout=3)
        assert response.status_code == 200
        assert response.content == content


async def test_predict_has_image_folder_and_output_options_validated_inside_the_project(user: User) -> None:
    await user.open('/predict')
    await form_ready(user, 'predict')
    with user.scope(marker='pane-predict'):
        user.find(marker='input-image_dir').clear().type('/etc')
        await user.should_see("'Image folder' must be inside")
        user.find(marker='input-image_dir').clear().type('data/samples/images')
        await user.should_not_see("'Image folder' must be inside")
        user.find(marker='input-include_confidence').click()
    assert 'include_confidence=true' in preview(user, 'predict')


async def test_choosing_a_checkpoint_on_test_fills_in_its_architecture_and_components(workbench: Workbench,
                                                                                     user: User) -> None:
    write_checkpoint(workbench.outputs, '2026-12-01_20-15-00_receipts', architecture='dbnet', encoder='resnet34')
    await user.open('/test')
    await form_ready(user, 'test')
    picker = control(user, 'test', 'checkpoint')
    value = await eventually(lambda: next((v for v in picker.options if 'receipts' in str(v)), None),
                             message='the checkpoint is listed')
    with user:
        picker.value = value
    assert control(user, 'test', 'architecture').value == 'dbnet'
    assert control(user, 'test', 'encoder').value == 'resnet34'
    assert control(user, 'test', 'decoder').value == 'unet'
    assert in_pane(user, 'test', 'info-architecture_components').text.startswith('Encoder: resnet34 · Decoder: unet')
    assert f'checkpoint={value}' in preview(user, 'test')


async def test_the_overview_shows_best_checkpoints_and_recent_runs(workbench: Workbench, user: User) -> None:
    write_checkpoint(workbench.outputs, '2026-11-30_08-00-00_weak', hmean=0.41, created='2026-11-30T08:00:00+00:00')
    write_checkpoint(workbench.outputs, '2026-12-01_20-15-00_strong', hmean=0.97)  # above the bundled one
    await user.open('/')
    await user.should_see(marker='overview-best', retries=50)
    with user.scope(marker='overview-best'):
        await user.should_see('strong/best · epoch 7 · hmean 0.970', retries=50)
    first = in_pane(user, 'overview', 'best-1')
    assert any('strong' in getattr(element, 'text', '') for element in first.descendants())
    with user.scope(marker='overview-runs'):
        await user.should_see('strong')
        await user.should_see('weak')
    with user.scope(marker='overview-running'):
        await user.should_see('Nothing running.')
