"""The overview page: running jobs, recent runs and the best checkpoints, at a glance.

Everything comes from the shared services' in-memory state (job history, checkpoint catalog), so drawing it is cheap
and needs no file access; the cards redraw when the services signal a change, and the running-jobs card's progress
is refreshed by a one-second timer while anything runs.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from nicegui import ui

from services.checkpoint_catalog import CheckpointEntry
from services.job_model import Job

from . import light
from .boundary import Boundary
from .context import View, ViewContext
from .job_panel import STATUS_COLORS, format_elapsed, progress_caption
from .live import follow

RECENT_RUNS = 8
BEST_CHECKPOINTS = 5


class OverviewPage(View):
    title = 'Overview'

    def __init__(self, context: ViewContext) -> None:
        self.context = context
        self.services = context.services
        self.jobs = self.services.jobs
        self.checkpoints = self.services.checkpoints
        self._progress_dirty = False

    def build(self) -> None:
        with ui.column().classes('gap-0'):
            ui.label('Overview').classes('text-2xl font-semibold').mark('page-title-overview')
            ui.label('Train, test and run DBNet text detectors on receipts; everything you start shows up here.') \
                .classes('text-sm text-grey-8')
        with ui.row().classes('w-full gap-3'):
            for key, label, icon in (('train', 'Train a model', 'model_training'),
                                     ('test', 'Test a checkpoint', 'fact_check'),
                                     ('predict', 'Predict a folder', 'batch_prediction')):
                ui.button(label, icon=icon, on_click=lambda key=key: self.context.navigate(key)) \
                    .props('outline no-caps').mark(f'go-{key}')
        with ui.grid().classes('w-full gap-4 grid-cols-1 lg:grid-cols-2'):
            self.running_box = self._card('Running jobs', 'play_circle', 'overview-running')
            self.best_box = self._card('Best checkpoints', 'emoji_events', 'overview-best')
            self.runs_box = self._card('Recent runs', 'history', 'overview-runs')
        self._draw_all()
        client = self.context.client
        follow(client, self.jobs.jobs_changed, self._draw_jobs)
        follow(client, self.jobs.status, lambda _job: self._draw_jobs())
        follow(client, self.jobs.progress, self._progressed)
        follow(client, self.checkpoints.changed, lambda _change: self._draw_all())
        follow(client, self.services.ready.changed, lambda _part: self._draw_all())
        ui.timer(1.0, self._tick)

    @staticmethod
    def _card(title: str, icon: str, marker: str) -> ui.column:
        with light.card().classes('w-full min-w-0 gap-2'):
            with ui.row().classes('items-center gap-2'):
                light.icon(icon, color='primary')
                ui.label(title).classes('text-base font-semibold')
            with Boundary().classes('w-full'):
                box = ui.column().classes('w-full gap-2').mark(marker)
        return box

    def _draw_all(self) -> None:
        self._draw_jobs()
        self._draw_best()

    def _draw_jobs(self) -> None:
        self._draw_running()
        self._draw_runs()

    def _progressed(self, _job: Job, _point: Any) -> None:
        self._progress_dirty = True

    def _tick(self) -> None:
        if self._progress_dirty or self.jobs.running():
            self._progress_dirty = False
            self._draw_running()

    # ---- cards ---------------------------------------------------------------------------------------------------
    def _draw_running(self) -> None:
        running = self.jobs.running()
        self.running_box.clear()
        with self.running_box:
            if not running:
                ui.label('Nothing running.' if self.services.ready.jobs else 'Loading the job history…') \
                    .classes('text-sm text-grey-7')
            for job in running:
                with ui.column().classes('w-full gap-1 cursor-pointer').on('click', lambda j=job.id: self._open(j)) \
                        .mark(f'running-{job.id}'):
                    with ui.row().classes('w-full items-center gap-2'):
                        ui.label(job.title).classes('text-sm font-medium')
                        light.space()
                        ui.label(format_elapsed(job.elapsed_s)).classes('text-xs font-mono text-grey-8')
                    fraction = job.fraction
                    ui.linear_progress(value=fraction or 0, show_value=False, size='6px') \
                        .props('rounded' + (' indeterminate' if fraction is None else ''))
                    caption = progress_caption(job)
                    if caption:
                        ui.label(caption).classes('text-xs text-grey-7 font-mono')

    def _draw_runs(self) -> None:
        runs = recent_runs(self.jobs.jobs(), self.checkpoints.entries(), self.services.paths.display_path)
        self.runs_box.clear()
        with self.runs_box:
            if not runs:
                ui.label('No runs yet.').classes('text-sm text-grey-7')
            for entry in runs[:RECENT_RUNS]:
                with ui.row().classes('w-full items-center gap-2 no-wrap'):
                    if entry['job'] is not None:
                        job = entry['job']
                        light.Badge(job.status_text, color=STATUS_COLORS.get(job.status, 'grey-7')).classes('shrink-0')
                    else:
                        light.Badge('outputs', color='grey-6').classes('shrink-0')
                    with ui.column().classes('gap-0 min-w-0'):
                        ui.label(entry['title']).classes('text-sm truncate')
                        ui.label(f'{entry["when"]:%Y-%m-%d %H:%M} · {entry["folder"]}') \
                            .classes('text-xs text-grey-7 font-mono truncate')
                    if entry['job'] is not None:
                        light.space()
                        ui.button(icon='open_in_new', on_click=lambda j=entry['job'].id: self._open(j)) \
                            .props('flat round dense size=sm').tooltip('Show in Jobs')

    def _draw_best(self) -> None:
        best = best_checkpoints(self.checkpoints.entries())
        self.best_box.clear()
        with self.best_box:
            if not best:
                ui.label('No scored checkpoints yet.' if self.checkpoints.loaded else 'Scanning checkpoints…') \
                    .classes('text-sm text-grey-7')
            for rank, entry in enumerate(best[:BEST_CHECKPOINTS], start=1):
                with ui.row().classes('w-full items-center gap-2 no-wrap').mark(f'best-{rank}'):
                    ui.label(f'{rank}.').classes('text-sm text-grey-7 w-5')
                    with ui.column().classes('gap-0 min-w-0'):
                        ui.label(entry.label).classes('text-sm truncate')
                        components = '/'.join(str(v) for v in entry.components.values())
                        ui.label(f'{entry.architecture or "?"} · {components} · {entry.value}') \
                            .classes('text-xs text-grey-7 font-mono truncate')
                    light.space()
                    ui.label(f'{entry.hmean:.3f}').classes('text-sm font-semibold text-positive')

    def _open(self, job_id: str) -> None:
        self.context.state.section('jobs')['selected'] = job_id
        self.context.navigate('jobs')


def best_checkpoints(entries: list[CheckpointEntry]) -> list[CheckpointEntry]:
    """Readable checkpoints with an hmean, best first (newest first among equals)."""
    scored = [entry for entry in entries if entry.error is None and entry.hmean is not None]
    return sorted(scored, key=lambda entry: (entry.hmean, entry.created), reverse=True)


def recent_runs(jobs: list[Job], entries: list[CheckpointEntry], display) -> list[dict[str, Any]]:
    """Run folders, newest first: those of workbench jobs (with their status) plus those holding checkpoints."""
    runs: dict[str, dict[str, Any]] = {}
    for job in jobs:
        key = job.run_dir or f'job:{job.id}'
        when = datetime.fromtimestamp(job.created_at)
        runs.setdefault(key, {'title': job.title, 'when': when, 'job': job,
                              'folder': display(job.run_dir) if job.run_dir else 'no run folder yet'})
    for entry in entries:
        if entry.bundled:
            continue
        folder = entry.path.parent.parent if entry.path.parent.name == 'checkpoints' else entry.path.parent
        key = str(folder)
        if key not in runs:
            runs[key] = {'title': entry.run, 'when': entry.created.replace(tzinfo=None), 'job': None,
                         'folder': display(Path(folder))}
    return sorted(runs.values(), key=lambda run: run['when'], reverse=True)
