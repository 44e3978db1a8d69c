"""Running the command: the pre-run gate, a real (tiny) training job end to end, Stop, and the Jobs history."""

from __future__ import annotations

import pytest
from nicegui.testing import User

from .conftest import Workbench
from .helpers import control, eventually, form_ready, in_pane, preview


def edit_command(user: User, pane: str, text: str) -> None:
    with user:
        in_pane(user, pane, 'command-text').value = text


def status(user: User, pane: str) -> str:
    return in_pane(user, pane, 'job-status').text


async def run_from(user: User, pane: str) -> None:
    with user.scope(marker=f'pane-{pane}'):
        user.find(marker='run').click()


async def test_the_dry_run_reports_an_unknown_key_readably_and_starts_nothing(user: User) -> None:
    await user.open('/train')
    await form_ready(user, 'train')
    edit_command(user, 'train', preview(user, 'train') + ' \\\n  trainer.max_epochz=3')
    await run_from(user, 'train')
    blocked = await eventually(lambda: in_pane(user, 'train', 'run-blocked'), timeout=30, message='dry run answered')
    assert "Unknown key 'trainer.max_epochz'" in blocked.text
    assert "Did you mean 'trainer.max_epochs'" in blocked.text
    assert in_pane(user, 'train', 'job-empty')


async def test_the_dry_run_names_the_group_and_its_options_for_an_unknown_choice(user: User) -> None:
    await user.open('/train')
    await form_ready(user, 'train')
    edit_command(user, 'train', preview(user, 'train').replace('model/decoder=fpn', 'model/decoder=fpnx'))
    await run_from(user, 'train')
    blocked = await eventually(lambda: in_pane(user, 'train', 'run-blocked'), timeout=30, message='dry run answered')
    assert "Unknown option 'fpnx' for model/decoder; available: fpn, unet" in blocked.text


@pytest.mark.slow
async def test_a_tiny_training_run_streams_progress_and_its_checkpoint_appears(user: User,
                                                                              workbench: Workbench) -> None:
    await user.open('/train')
    await form_ready(user, 'train')
    with user:
        control(user, 'train', 'dataset').value = 'samples'
        control(user, 'train', 'encoder').value = 'mobilenetv3_small'
    with user.scope(marker='pane-train'):
        user.find(marker='input-exp_name').clear().type('ui_tiny')
    edit_command(user, 'train', preview(user, 'train') + ' \\\n  trainer=tiny')
    await run_from(user, 'train')
    await eventually(lambda: in_pane(user, 'train', 'job-status'), timeout=30, message='the job started')
    user.find(marker='nav-jobs').click()  # streaming goes on while another page is shown
    await eventually(lambda: in_pane(user, 'jobs', 'job-list'))
    await eventually(lambda: status(user, 'train') == 'succeeded', timeout=180, message='the job succeeded')
    assert in_pane(user, 'train', 'job-return-code').text == 'exit 0'
    assert in_pane(user, 'train', 'job-progress').value == 1.0
    assert 'ui_tiny' in in_pane(user, 'train', 'job-run-dir').text
    assert in_pane(user, 'train', 'loss-chart').options['series'], 'the loss chart got the progress points'
    picker = control(user, 'test', 'checkpoint')
    await eventually(lambda: any('ui_tiny' in str(value) for value in picker.options), timeout=10,
                     message='the new checkpoint is offered on the Test page')
    await eventually(lambda: status(user, 'jobs') == 'succeeded', message='the Jobs page shows it too')
    assert list(workbench.outputs.glob('*_ui_tiny*/checkpoints/best.ckpt'))


@pytest.mark.slow
async def test_stop_ends_a_running_job_and_a_reload_reattaches_to_it(user: User) -> None:
    await user.open('/train')
    await form_ready(user, 'train')
    with user:
        control(user, 'train', 'dataset').value = 'samples'
    await run_from(user, 'train')
    await eventually(lambda: status(user, 'train').startswith('running'), timeout=30, message='the job runs')
    await user.open('/train')  # reload: the panel attaches to the same job again
    await form_ready(user, 'train')
    await eventually(lambda: status(user, 'train').startswith('running'), timeout=10)
    with user.scope(marker='pane-train'):
        user.find(marker='job-stop').click()
    await eventually(lambda: status(user, 'train') == 'stopped', timeout=30, message='the job stopped')
    assert not in_pane(user, 'train', 'job-stop').visible
    assert in_pane(user, 'train', 'job-return-code').text.startswith('exit')


async def test_the_jobs_page_lists_the_history_with_each_jobs_log(user: User) -> None:
    await user.open('/jobs')
    await user.should_see(marker='no-jobs', retries=30)
