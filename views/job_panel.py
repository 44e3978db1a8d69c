"""One job, live: status, elapsed time, return code, Stop, progress, loss/metric charts, run folder and output.

The job lives in the job service, not here: this panel attaches to a job id, replays what the service has buffered
(or the end of the log file for a job from an earlier session) and then follows the service's signals until it is
pointed at another job or its client goes away. Output goes to ``ui.xterm``, so ANSI colours and tqdm's
carriage-return redraws look as they do in a terminal; chart and clock updates are batched by a half-second timer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import background_tasks, run, ui

from services.job_model import Job, JobStatus

from . import light
from .boundary import Boundary
from .live import follow

REPLAY_LINES = 1000
STATUS_COLORS = {
    JobStatus.QUEUED: 'grey-7', JobStatus.RUNNING: 'primary', JobStatus.SUCCEEDED: 'positive',
    JobStatus.FAILED: 'negative', JobStatus.STOPPED: 'orange-9', JobStatus.LOST: 'grey-7',
}
LOSS_KEYS = ('loss', 'train_loss', 'loss_prob', 'loss_thresh', 'loss_binary')
METRIC_KEYS = ('val_hmean', 'val_precision', 'val_recall', 'test_hmean')


def format_elapsed(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f'{hours}:{minutes:02d}:{secs:02d}' if hours else f'{minutes}:{secs:02d}'


def progress_caption(job: Job) -> str:
    values = job.progress or {}
    parts = []
    if 'epoch' in values:
        total = f'/{values["max_epochs"]}' if 'max_epochs' in values else ''
        parts.append(f'epoch {values["epoch"]}{total}')
    if 'step' in values:
        total = f'/{values["total_steps"]}' if values.get('total_steps') else ''
        parts.append(f'step {values["step"]}{total}')
    for key in ('loss', 'val_hmean', 'lr'):
        if isinstance(values.get(key), int | float):
            parts.append(f'{key} {values[key]:.4g}')
    return ' · '.join(parts)


class JobPanel:
    """Shows whichever job ``show`` was last given; ``on_finished`` is called once a shown job ends."""

    def __init__(self, services: Any, *, empty_text: str = 'No job yet.',
                 on_finished: Callable[[Job], None] | None = None) -> None:
        self.services = services
        self.jobs = services.jobs
        self.empty_text = empty_text
        self.on_finished = on_finished
        self.job_id: str | None = None
        self._dirty = False
        self._partial = False
        self._charted = -1
        self.client = ui.context.client
        with Boundary().classes('w-full'):
            self.root = ui.column().classes('w-full gap-3').mark('job-panel')
        follow(self.client, self.jobs.status, self._on_status)
        follow(self.client, self.jobs.progress, self._on_progress)
        follow(self.client, self.jobs.output, self._on_output)
        self.timer = ui.timer(0.5, self._tick, active=False)
        self._render()

    # ---- attaching -----------------------------------------------------------------------------------------------
    def show(self, job_id: str | None) -> None:
        if job_id == self.job_id and self.root.default_slot.children:
            return
        self.job_id = job_id
        self._render()

    @property
    def job(self) -> Job | None:
        return self.jobs.get(self.job_id) if self.job_id else None

    def _render(self) -> None:
        self.root.clear()
        self.charts = None
        self._charted = -1
        self._partial = False
        job = self.job
        with self.root:
            if job is None:
                ui.label(self.empty_text).classes('text-sm text-grey-7').mark('job-empty')
                self.timer.active = False
                return
            self._header(job)
            with Boundary().classes('w-full'):
                with ui.column().classes('w-full gap-1') as self.progress_box:
                    self.progress_bar = ui.linear_progress(value=0, show_value=False, size='8px') \
                        .props('rounded').mark('job-progress')
                    self.progress_label = ui.label().classes('text-xs text-grey-8 font-mono')
            with Boundary().classes('w-full'):
                self.chart_box = ui.row().classes('w-full gap-3 no-wrap max-md:flex-wrap')
            with ui.element('div').classes('w-full overflow-x-auto'):
                self.terminal = ui.xterm({'rows': 18, 'cols': 120, 'scrollback': 5000, 'disableStdin': True,
                                          'convertEol': True, 'fontSize': 12, 'cursorBlink': False}) \
                    .mark('job-output')
        self._refresh_state(job)
        background_tasks.create(self._replay(job), name=f'replay {job.id}', context=self.client)

    def _header(self, job: Job) -> None:
        with Boundary().classes('w-full'):
            with ui.row().classes('w-full items-center gap-3'):
                ui.label(job.title).classes('text-base font-semibold').mark('job-title')
                self.status_badge = light.Badge('').mark('job-status')
                self.elapsed_label = ui.label().classes('text-sm font-mono text-grey-8').mark('job-elapsed')
                self.code_label = ui.label().classes('text-sm font-mono').mark('job-return-code')
                light.space()
                self.stop_button = ui.button('Stop', icon='stop', color='negative', on_click=self.stop) \
                    .props('dense unelevated no-caps').mark('job-stop')
        with Boundary().classes('w-full'):
            with ui.row().classes('w-full items-center gap-2 text-xs text-grey-8') as self.folder_row:
                light.icon('folder', size='xs')
                self.folder_label = ui.label().classes('font-mono break-all').mark('job-run-dir')
                ui.button(icon='content_copy', on_click=self._copy_folder).props('flat dense round size=xs') \
                    .tooltip('Copy the run folder path')
        with ui.expansion('Command', icon='code').classes('w-full text-sm').props('dense'):
            ui.code(job.command_text, language='bash').classes('w-full text-xs')

    async def _replay(self, job: Job) -> None:
        lines = list(job.output.lines)[-REPLAY_LINES:]
        partial = job.output.partial
        if not lines and not partial and not job.active:
            text = await run.io_bound(self.jobs.read_log, job.id)
            if self.job_id != job.id:
                return
            lines = (text or '').split('\n')[-REPLAY_LINES:]
        self._write(lines, partial)

    # ---- live updates --------------------------------------------------------------------------------------------
    def _on_status(self, job: Job) -> None:
        if job.id != self.job_id:
            return
        self._refresh_state(job)
        if not job.active and self.on_finished is not None:
            self.on_finished(job)

    def _on_progress(self, job: Job, _point: Any) -> None:
        if job.id == self.job_id:
            self._dirty = True

    def _on_output(self, job: Job, lines: list[str], partial: str) -> None:
        if job.id == self.job_id:
            self._write(lines, partial)

    def _write(self, lines: list[str], partial: str) -> None:
        data = '\r\x1b[2K' if self._partial else ''
        if lines:
            data += '\n'.join(lines) + '\n'
        data += partial
        self._partial = bool(partial)
        if data:
            self.terminal.write(data)

    def _tick(self) -> None:
        job = self.job
        if job is None:
            self.timer.active = False
            return
        self.elapsed_label.text = format_elapsed(job.elapsed_s)
        if self._dirty:
            self._dirty = False
            self._refresh_progress(job)
        if not job.active:
            self.timer.active = False

    def _refresh_state(self, job: Job) -> None:
        self.status_badge.text = job.status_text
        self.status_badge.set_color(STATUS_COLORS.get(job.status, 'grey-7'))
        self.elapsed_label.text = format_elapsed(job.elapsed_s)
        self.code_label.text = f'exit {job.return_code}' if job.return_code is not None else ''
        self.code_label.classes(replace='text-sm font-mono ' + ('text-negative' if job.return_code else 'text-grey-8'))
        self.stop_button.visible = job.active
        self.folder_label.text = self.services.paths.display_path(job.run_dir) if job.run_dir else 'run folder: not yet'
        self._refresh_progress(job)
        self.timer.active = job.active

    def _refresh_progress(self, job: Job) -> None:
        fraction = job.fraction
        if fraction is None and job.status is JobStatus.SUCCEEDED:
            fraction = 1.0
        self.progress_bar.value = fraction or 0.0
        self.progress_bar.props['indeterminate'] = fraction is None and job.active
        self.progress_label.text = progress_caption(job) or ('waiting for the first progress line…'
                                                             if job.active else '')
        if len(job.metrics) != self._charted:
            self._charted = len(job.metrics)
            self._refresh_charts(job)

    def _refresh_charts(self, job: Job) -> None:
        loss = _series(job.metrics, LOSS_KEYS, x_keys=('step', 't'))
        metrics = _series(job.metrics, METRIC_KEYS, x_keys=('epoch', 'step', 't'))
        if not loss and not metrics:
            return
        if self.charts is None:
            with self.chart_box:
                self.charts = (
                    ui.echart(_chart_options('Training loss', 'step')).classes('w-full h-56').mark('loss-chart'),
                    ui.echart(_chart_options('Validation', 'epoch', percent=True)).classes('w-full h-56')
                    .mark('metric-chart'),
                )
        for chart, series in zip(self.charts, (loss, metrics), strict=True):
            chart.options['series'] = series
            chart.update()

    # ---- actions -------------------------------------------------------------------------------------------------
    async def stop(self) -> None:
        job = self.job
        if job is None or not job.active:
            return
        self.stop_button.props['loading'] = True
        try:
            await self.jobs.stop(job.id)
        finally:
            self.stop_button.props['loading'] = False

    def _copy_folder(self) -> None:
        job = self.job
        if job is not None and job.run_dir:
            ui.clipboard.write(job.run_dir)
            ui.notify('Run folder path copied', position='bottom', timeout=1200)


def _series(points: list[dict[str, Any]], keys: tuple[str, ...], *, x_keys: tuple[str, ...]) -> list[dict]:
    series = []
    for key in keys:
        data = []
        for point in points:
            value = point.get(key)
            if not isinstance(value, int | float) or value != value:  # skip missing and NaN
                continue
            x = next((point[x_key] for x_key in x_keys if isinstance(point.get(x_key), int | float)), None)
            if x is not None:
                data.append([x, value])
        if data:
            series.append({'name': key, 'type': 'line', 'showSymbol': len(data) < 30, 'data': data})
    return series


def _chart_options(title: str, x_name: str, *, percent: bool = False) -> dict:
    return {
        'animation': False,
        'title': {'text': title, 'textStyle': {'fontSize': 12}, 'left': 8, 'top': 4},
        'tooltip': {'trigger': 'axis'},
        'legend': {'top': 4, 'right': 8, 'textStyle': {'fontSize': 11}},
        'grid': {'left': 48, 'right': 16, 'top': 36, 'bottom': 28},
        'xAxis': {'type': 'value', 'name': x_name, 'nameLocation': 'end', 'minInterval': 1},
        'yAxis': {'type': 'value', 'scale': not percent, **({'min': 0, 'max': 1} if percent else {})},
        'series': [],
    }

