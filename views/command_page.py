"""A Command Builder page (Train, Test or Predict): form, live command, pre-run check, run panel.

Everything a user set lives in this tab's storage (``values``, ``edited``, ``job``), so it survives page switches,
reloads and even a server-side rebuild of the page. The form follows the catalogs: a checkpoint that appears, or
an edited schema or metadata file, re-resolves (or rebuilds) the open form without losing what the user chose.
"""

from __future__ import annotations

from nicegui import background_tasks, ui

from services.commands import CommandRejected
from services.forms.resolver import ResolvedForm
from services.job_model import Job, JobStatus

from . import light
from .boundary import Boundary
from .command_form import CommandForm
from .command_preview import CommandPreview
from .context import View, ViewContext
from .job_panel import JobPanel
from .live import follow
from .submissions import SubmissionsCard

TITLES = {'train': 'Train', 'test': 'Test', 'predict': 'Predict'}


class CommandPage(View):
    def __init__(self, context: ViewContext, name: str) -> None:
        self.context = context
        self.services = context.services
        self.name = name
        self.title = TITLES[name]
        self.builder = self.services.builder(name)
        self.state = context.state.section(name)
        self.form = CommandForm(self.builder, self.state, suggestions=name == 'train')
        self.preview = CommandPreview(name, self.state, self.services.paths.project_root)
        self.submissions: SubmissionsCard | None = None

    def build(self) -> None:
        schema = self.builder.schema
        with ui.row().classes('w-full items-end gap-3'):
            with ui.column().classes('gap-0'):
                ui.label(f'{self.title}').classes('text-2xl font-semibold').mark(f'page-title-{self.name}')
                with Boundary():
                    self.description = ui.label(schema.description if schema else '').classes('text-sm text-grey-8')
            light.space()
            ui.button('Reset', icon='restart_alt', on_click=self.reset).props('flat no-caps').mark('reset') \
                .tooltip('Back to the schema and metadata defaults (the edited command is dropped too)')
        with ui.row().classes('w-full gap-4 items-start no-wrap max-lg:flex-wrap'):
            with ui.column().classes('@container flex-1 min-w-0 gap-4'):
                # built before the socket is up, this is a cold load's first HTML: keep it to the first screen
                self.form.build(defer=not self.context.state.attached)
            with ui.column().classes('w-full lg:w-[520px] lg:sticky lg:top-16 shrink-0 gap-3'):
                self.preview.build()
                self._run_card()
        with light.card().classes('w-full'):
            ui.label('Run').classes('text-base font-semibold')
            self.panel = JobPanel(self.services, on_finished=self._finished,
                                  empty_text='Runs started from this page appear here (and on the Jobs page).')
        if self.name == 'predict':
            self.submissions = SubmissionsCard(self.services)
        self.form.listeners.append(self._form_changed)
        if self.form.form is not None:  # the form resolved while building; the preview and run card follow it now
            self._form_changed(self.form.form)
        self.panel.show(self.state.get('job'))
        client = self.context.client
        follow(client, self.services.configs.changed, lambda _change: self._catalog_changed())
        follow(client, self.services.checkpoints.changed, lambda _change: self.form.refresh())
        follow(client, self.services.ready.changed, lambda _part: self._catalog_changed())

    def restore(self) -> None:
        self.form.refresh()
        self.preview.restore()
        self.panel.show(self.state.get('job'))

    def complete(self) -> None:
        self.form.build_deferred()

    def _catalog_changed(self) -> None:
        schema = self.builder.schema
        self.description.text = schema.description if schema else ''
        self.form.refresh()

    # ---- form → preview and run state ----------------------------------------------------------------------------
    def _form_changed(self, form: ResolvedForm) -> None:
        try:
            command = form.command
        except (CommandRejected, ValueError) as error:
            self.preview.show(None)
            self._set_summary(f'The command cannot be built: {error}', ok=False)
            return
        self.preview.show(command)
        errors = sum(len(messages) for messages in form.errors.values())
        if errors:
            self._set_summary(f'Fix {errors} field error{"s" if errors != 1 else ""} before running.', ok=False)
        else:
            self._set_summary('', ok=True)

    def _run_card(self) -> None:
        with light.card().classes('w-full gap-2'):
            with ui.row().classes('w-full items-center gap-3'):
                self.run_button = ui.button('Run', icon='play_arrow', on_click=self.run) \
                    .props('unelevated no-caps').mark('run')
                ui.label('Checks the fields, then composes the config with Hydra before starting.') \
                    .classes('text-xs text-grey-7')
            with Boundary().classes('w-full'):
                self.summary = ui.label().classes('text-sm').mark('run-summary')
            with Boundary().classes('w-full'):
                self.check_box = ui.column().classes('w-full gap-1').mark('run-check')

    def _set_summary(self, text: str, *, ok: bool) -> None:
        self.summary.text = text
        self.summary.visible = bool(text)
        self.summary.classes(replace='text-sm ' + ('text-grey-8' if ok else 'text-negative'))

    # ---- actions -------------------------------------------------------------------------------------------------
    def reset(self) -> None:
        self.state['edited'] = None
        self.form.reset()
        self.preview.discard_edits()
        self.check_box.clear()

    async def run(self) -> None:
        if self.form.form is None:
            return
        self.run_button.props['loading'] = True
        self.check_box.clear()
        try:
            result = await self.services.launch(self.name, self.form.values, self.preview.edited)
        finally:
            self.run_button.props['loading'] = False
        check = result.check
        with self.check_box:
            if not check.ok:
                with ui.row().classes('w-full items-start gap-2 p-2 rounded bg-red-1 text-red-10 no-wrap'):
                    light.icon('block', color='negative')
                    ui.label(check.message).classes('text-sm whitespace-pre-wrap').mark('run-blocked')
                for key, messages in check.field_errors.items():
                    for message in messages:
                        ui.label(f'• {message}').classes('text-xs text-negative').mark(f'run-error-{key}')
                return
            ui.label(f'✓ {check.message}').classes('text-xs text-positive').mark('run-ok')
        job = result.job
        if job is not None:
            self.state['job'] = job.id
            self.panel.show(job.id)
            ui.notify(f'Started {job.title}', type='positive', position='bottom', timeout=1500)

    def _finished(self, job: Job) -> None:
        if self.submissions is not None and job.status is JobStatus.SUCCEEDED:
            background_tasks.create(self.submissions.refresh(job), name='list submissions',
                                    context=self.context.client)


