"""Predict's submissions: the JSON and CSV files of finished predict runs, each with a download button.

Listing reads the outputs folder, so it runs in a worker thread and only when asked (page build, a predict job that
just succeeded, the refresh button), never on a page switch. Files come from the services' listing, which only
returns paths inside the outputs folder.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from nicegui import app, run, ui

from services.job_model import Job
from services.submissions import SubmissionFile, SubmissionRun, list_submission_runs

from . import light
from .boundary import Boundary

SHOWN_RUNS = 6


class SubmissionsCard:
    def __init__(self, services: Any) -> None:
        self.services = services
        self.client = ui.context.client
        with light.card().classes('w-full gap-2'):
            with ui.row().classes('w-full items-center'):
                ui.label('Submissions').classes('text-base font-semibold')
                light.space()
                ui.button(icon='refresh', on_click=lambda: self.refresh()).props('flat round dense') \
                    .tooltip('List the submission files again').mark('submissions-refresh')
            with Boundary().classes('w-full'):
                self.box = ui.column().classes('w-full gap-3').mark('submissions')
        self.latest: str | None = None
        ui.timer(0.01, self.refresh, once=True)

    async def refresh(self, job: Job | None = None) -> None:
        if job is not None and job.run_dir:
            self.latest = job.run_dir
        runs = await run.io_bound(list_submission_runs, [self.services.paths.outputs])
        if self.client.is_deleted:
            return
        self.box.clear()
        with self.box:
            if not runs:
                ui.label('No submissions yet: a finished predict run writes submissions/submission.json and .csv.') \
                    .classes('text-sm text-grey-7').mark('no-submissions')
                return
            for run_entry in runs[:SHOWN_RUNS]:
                self._run(run_entry)

    def _run(self, entry: SubmissionRun) -> None:
        latest = self.latest is not None and str(entry.run_dir) == str(self.latest)
        with ui.column().classes('w-full gap-1').mark(f'submission-run-{entry.name}'):
            with ui.row().classes('items-center gap-2'):
                light.icon('folder_zip', size='xs', color='primary')
                ui.label(entry.name).classes('text-sm font-mono')
                if latest:
                    light.Badge('latest run', color='positive')
            with ui.row().classes('gap-2 flex-wrap'):
                for file in entry.files:
                    self._file(file)

    def _file(self, file: SubmissionFile) -> None:
        ui.button(f'{file.name} · {file.size_text}', icon='download', on_click=lambda f=file: self.download(f)) \
            .props('outline dense no-caps').mark(f'download-{file.name}')

    def download(self, file: SubmissionFile) -> None:
        """Serve the (already validated) file once under a one-off URL, like ``ui.download.file`` does."""
        url = app.add_static_file(local_file=file.path, single_use=True)
        self.client.on_delete(lambda: app.remove_route(unquote(url)))
        ui.download.from_url(url, file.name)
