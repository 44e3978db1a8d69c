"""The Jobs page: every job of this workbench (history kept on disk), newest first, and the selected job's panel.

Selecting a job attaches the shared ``JobPanel`` to it, so a running job streams here exactly as on the page that
started it; the selection is kept in the tab's storage. The list redraws when a job is added, deleted or changes
status (progress alone only moves the panel's bar).
"""

from __future__ import annotations

from datetime import datetime

from nicegui import ui

from services.job_model import Job

from . import light
from .boundary import Boundary
from .context import View, ViewContext
from .job_panel import STATUS_COLORS, JobPanel, format_elapsed
from .live import follow

SHOWN_JOBS = 200


class JobsPage(View):
    title = 'Jobs'

    def __init__(self, context: ViewContext) -> None:
        self.context = context
        self.services = context.services
        self.jobs = self.services.jobs
        self.state = context.state.section('jobs')
        self._listed: tuple | None = None

    def build(self) -> None:
        with ui.row().classes('w-full items-end'):
            with ui.column().classes('gap-0'):
                ui.label('Jobs').classes('text-2xl font-semibold').mark('page-title-jobs')
                ui.label('Every run started from the workbench, kept across restarts; select one for its output.') \
                    .classes('text-sm text-grey-8')
        with ui.row().classes('w-full gap-4 items-start no-wrap max-lg:flex-wrap'):
            with light.card().classes('w-full lg:w-[380px] shrink-0 p-0 gap-0'):
                with Boundary().classes('w-full'):
                    self.list_box = ui.column().classes('w-full gap-0').mark('job-list')
            with light.card().classes('flex-1 min-w-0'):
                with ui.row().classes('w-full items-center'):
                    light.space()
                    with Boundary():
                        self.delete_button = ui.button('Delete', icon='delete', on_click=self.delete_selected) \
                            .props('flat dense no-caps color=negative').mark('job-delete')
                self.panel = JobPanel(self.services, empty_text='Select a job on the left.')
        self._select(self.state.get('selected') or next((job.id for job in self.jobs.jobs()), None))
        client = self.context.client
        follow(client, self.jobs.jobs_changed, self._refresh_list)
        follow(client, self.jobs.status, lambda _job: self._refresh_list())

    def _refresh_list(self) -> None:
        jobs = self.jobs.jobs()[:SHOWN_JOBS]
        selected = self.state.get('selected')
        if (selected is None or self.jobs.get(selected) is None) and jobs:
            self._select(jobs[0].id)  # nothing chosen yet: follow the newest job
            return
        listed = (selected, *((job.id, job.status, job.run_dir) for job in jobs))
        if listed == self._listed:
            return
        self._listed = listed
        self.list_box.clear()
        with self.list_box:
            if not jobs:
                ui.label('No jobs yet: start one from Train, Test or Predict.').classes('p-4 text-sm text-grey-7') \
                    .mark('no-jobs')
            for job in jobs:
                self._row(job, job.id == selected)
        current = self.jobs.get(selected) if selected else None
        self.delete_button.visible = current is not None and not current.active

    def _row(self, job: Job, selected: bool) -> None:
        background = 'bg-blue-1' if selected else 'hover:bg-grey-2'
        with ui.row().classes(f'w-full items-center gap-2 px-3 py-2 cursor-pointer no-wrap {background}') \
                .on('click', lambda job_id=job.id: self._select(job_id)).mark(f'job-row-{job.id}'):
            light.Badge(job.status_text, color=STATUS_COLORS.get(job.status, 'grey-7')).classes('shrink-0')
            with ui.column().classes('gap-0 min-w-0'):
                ui.label(job.title).classes('text-sm font-medium truncate')
                started = datetime.fromtimestamp(job.created_at).strftime('%Y-%m-%d %H:%M:%S')
                ui.label(f'{started} · {format_elapsed(job.elapsed_s)}').classes('text-xs text-grey-7')

    def _select(self, job_id: str | None) -> None:
        self.state['selected'] = job_id
        self.panel.show(job_id)
        self._refresh_list()

    def delete_selected(self) -> None:
        job = self.panel.job
        if job is None or job.active:
            return
        self.jobs.delete(job.id)
        ui.notify(f'Deleted {job.title}', position='bottom', timeout=1200)
        self._select(next((other.id for other in self.jobs.jobs()), None))

    def restore(self) -> None:
        self._select(self.state.get('selected') or next((job.id for job in self.jobs.jobs()), None))

    def on_show(self) -> None:
        selected = self.state.get('selected')  # another page may have asked for a job (Overview's "show in Jobs")
        if selected != self.panel.job_id:
            self._select(selected)
