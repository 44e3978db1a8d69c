"""Running the command: the pre-run gate, a real (tiny) training job end to end, Stop, and the Jobs history."""

from __future__ import annotations

import sys
import time

import pytest
from nicegui import ui
from nicegui.testing import User

from services.job_model import Job, JobStatus, write_record

from .conftest import Workbench
from .helpers import control, eventually, form_ready, in_pane, preview


def workbench_log(workbench: Workbench) -> str:
    logs = sorted((workbench.outputs / '.jobs').glob('*.log'))
    return logs[-1].read_text()[-3000:] if logs else 'no job log'


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
        control(user, 'train', 'max_epochs').value = 1
        control(user, 'train', 'batch_size').value = 2
    with user.scope(marker='pane-train'):
        user.find(marker='input-exp_name').clear().type('ui_tiny')
    edit_command(user, 'train', preview(user, 'train') + ' \\\n  trainer=tiny')
    await run_from(user, 'train')
    await eventually(lambda: in_pane(user, 'train', 'job-status'), timeout=30, message='the job started')
    user.find(marker='nav-jobs').click()  # streaming goes on while another page is shown
    await eventually(lambda: in_pane(user, 'jobs', 'job-list'))
    await eventually(lambda: status(user, 'train') not in ('queued', 'running'), timeout=180, message='the job ended')
    assert status(user, 'train') == 'succeeded', workbench_log(workbench)
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


def finished_job(workbench: Workbench, job_id: str, title: str, lines: list[str], *, code: int = 0) -> None:
    """A job as an earlier app session left it on disk: record plus log."""
    jobs = workbench.outputs / '.jobs'
    jobs.mkdir(exist_ok=True)
    log = jobs / f'{job_id}.log'
    log.write_text('\n'.join(lines) + '\n')
    job = Job(id=job_id, argv=[sys.executable, '-m', 'ocr.test', 'exp_name=old'], title=title, kind='test',
              command_text='python -m ocr.test \\\n  exp_name=old', cwd=str(workbench.outputs.parent), log_path=log,
              status=JobStatus.SUCCEEDED if code == 0 else JobStatus.FAILED, created_at=time.time() - 3600,
              started_at=time.time() - 3600, ended_at=time.time() - 3590, return_code=code)
    write_record(jobs / f'{job_id}.json', job.to_record())


@pytest.fixture
def history(workbench: Workbench) -> None:
    """Two jobs from an earlier session; request it before ``user`` so the app starts with them on disk."""
    finished_job(workbench, '20261201-100000-aaaaaa', 'test · first', ['loading checkpoint', 'hmean 0.81'])
    finished_job(workbench, '20261201-110000-bbbbbb', 'test · second', ['Traceback: boom'], code=2)


async def test_the_jobs_page_lists_the_history_from_disk_with_each_jobs_log(history: None, workbench: Workbench,
                                                                            user: User,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[str] = []
    monkeypatch.setattr(ui.xterm, 'write', lambda self, data: written.append(data))
    await user.open('/jobs')
    with user.scope(marker='job-list'):
        await user.should_see('test · second', retries=50)
        await user.should_see('test · first')
    await eventually(lambda: in_pane(user, 'jobs', 'job-status').text == 'failed (exit 2)',
                     message='the newest job is selected')
    await eventually(lambda: any('Traceback: boom' in data for data in written), message='its log is shown')
    with user.scope(marker='job-list'):
        user.find(marker='job-row-20261201-100000-aaaaaa').click()
    await eventually(lambda: in_pane(user, 'jobs', 'job-status').text == 'succeeded')
    await eventually(lambda: any('hmean 0.81' in data for data in written), message='the selected log is shown')
    with user.scope(marker='pane-jobs'):
        user.find(marker='job-delete').click()
    with user.scope(marker='job-list'):
        await user.should_not_see('test · first')
    assert not (workbench.outputs / '.jobs' / '20261201-100000-aaaaaa.log').exists()
