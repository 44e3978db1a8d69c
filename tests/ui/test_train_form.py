"""The Train form: rendered from configs/ui/schemas/train.yaml and the architecture/optimizer metadata."""

from __future__ import annotations

from nicegui.testing import User

from .helpers import control, eventually, form_ready, in_pane, preview


async def open_train(user: User) -> None:
    await user.open('/train')
    await form_ready(user, 'train')


def set_value(user: User, key: str, value, pane: str = 'train') -> None:
    """What the browser does when the user picks ``value`` (the same change event a real widget sends)."""
    with user:
        control(user, pane, key).value = value


def visible(user: User, pane: str, key: str) -> bool:
    return in_pane(user, pane, f'field-{key}').visible


async def test_resuming_shows_the_checkpoint_picker_and_hides_the_model_fields(user: User) -> None:
    await open_train(user)
    assert not visible(user, 'train', 'checkpoint_path')
    assert visible(user, 'train', 'architecture') and visible(user, 'train', 'encoder')
    with user.scope(marker='pane-train'):
        user.find(marker='input-resume_training').click()
    assert visible(user, 'train', 'checkpoint_path')
    box = in_pane(user, 'train', 'field-checkpoint_path')
    assert box.default_slot.children[0] is control(user, 'train', 'checkpoint_path'), 'the picker sits above its help'
    # required_if: resuming without a checkpoint is an inline error
    with user.scope(marker='pane-train'):
        await user.should_see("'Checkpoint to resume' is required")
    assert 'resume=' not in preview(user, 'train')


async def test_a_short_experiment_name_is_reported_under_the_field_and_blocks_the_run(user: User) -> None:
    await open_train(user)
    with user.scope(marker='pane-train'):
        user.find(marker='input-exp_name').clear().type('ab')
        await user.should_see("'Experiment name' must be at least 3 characters long.")
        await user.should_see('Fix 1 field error before running.')
        user.find(marker='run').click()
        await user.should_see(marker='run-blocked')
    assert in_pane(user, 'train', 'run-error-exp_name')
    assert control(user, 'train', 'exp_name').invalid, 'the field is outlined in red'
    control(user, 'train', 'exp_name').value = 'long enough'
    assert not in_pane(user, 'train', 'message-exp_name').visible, 'the message under the field is gone'
    assert not control(user, 'train', 'exp_name').invalid, 'and so is the outline'
    assert user.client is not None
    await user.should_see(marker='job-empty')


async def test_encoder_and_decoder_options_follow_the_architecture(user: User) -> None:
    await open_train(user)
    encoder = control(user, 'train', 'encoder')
    assert set(encoder.options) == {'mobilenetv3_large', 'mobilenetv3_small'}
    assert encoder.value == 'mobilenetv3_large'
    set_value(user, 'architecture', 'dbnet')
    assert set(encoder.options) == {'resnet18', 'resnet34'}
    assert encoder.value == 'resnet18', 'the architecture metadata default replaces an incompatible pick'
    assert 'model/encoder=resnet18' in preview(user, 'train')
    info = in_pane(user, 'train', 'info-architecture_components')
    assert info.text.startswith('Encoder: resnet18 · Decoder: fpn')


async def test_apply_sets_every_value_of_the_suggested_setup_including_preprocessing(user: User) -> None:
    await open_train(user)
    set_value(user, 'architecture', 'dbnet')
    with user.scope(marker='pane-train'):
        user.find(marker='apply-receipts_balanced').click()
        await user.should_see(marker='suggestion-active-receipts_balanced')
    expected = {'architecture': 'dbnet', 'encoder': 'resnet34', 'decoder': 'fpn', 'optimizer': 'adamw',
                'learning_rate': 0.0005, 'batch_size': 8, 'max_epochs': 40, 'precision': '32-true',
                'preprocessing_profile': 'scan_cleanup'}
    for key, value in expected.items():
        assert control(user, 'train', key).value == value, key
    command = preview(user, 'train')
    for token in ('model/encoder=resnet34', 'optimizer=adamw', 'optimizer.lr=0.0005', 'trainer.max_epochs=40',
                  'preprocessing=scan_cleanup'):
        assert token in command


async def test_reset_brings_back_the_schema_and_metadata_defaults(user: User) -> None:
    await open_train(user)
    default = preview(user, 'train')
    set_value(user, 'architecture', 'dbnet')
    set_value(user, 'batch_size', 32)
    assert preview(user, 'train') != default
    with user.scope(marker='pane-train'):
        user.find(marker='reset').click()
    assert preview(user, 'train') == default
    assert control(user, 'train', 'architecture').value == 'dbnet_lite'


async def test_the_command_follows_every_change_without_a_generate_click(user: User) -> None:
    await open_train(user)
    with user.scope(marker='pane-train'):
        user.find(marker='input-exp_name').clear().type('night run')
    assert "exp_name='night run-dbnet_lite-mobilenetv3_large-fpn'" in preview(user, 'train')
    with user.scope(marker='pane-train'):
        user.find(marker='input-append_model_suffix').click()
    assert '"exp_name=\'night run\'" \\\n' in preview(user, 'train')
    set_value(user, 'batch_size', 16)
    set_value(user, 'dataset', 'samples')
    text = preview(user, 'train')
    assert 'data.batch_size=16' in text and 'data=samples' in text
    assert text.startswith('python -m ocr.train \\\n  ')


async def test_the_learning_rate_slider_takes_its_bounds_from_the_optimizer(user: User) -> None:
    await open_train(user)
    slider = control(user, 'train', 'learning_rate')
    adamw = (slider.props['min'], slider.props['max'])
    set_value(user, 'optimizer', 'sgd')
    assert (slider.props['min'], slider.props['max']) != adamw
    assert slider.props['min'] <= slider.value <= slider.props['max']


async def test_form_values_and_the_command_survive_page_switches_and_a_reload(user: User) -> None:
    await open_train(user)
    with user.scope(marker='pane-train'):
        user.find(marker='input-exp_name').clear().type('kept_run')
    set_value(user, 'batch_size', 12)
    command = preview(user, 'train')
    user.find(marker='nav-jobs').click()
    await eventually(lambda: user.client.title.startswith('Jobs'))
    user.find(marker='nav-train').click()
    await eventually(lambda: user.client.title.startswith('Train'))
    assert preview(user, 'train') == command
    await user.open('/train')  # a reload in the same browser tab
    await form_ready(user, 'train')
    await eventually(lambda: control(user, 'train', 'exp_name').value == 'kept_run', message='values restored')
    assert control(user, 'train', 'batch_size').value == 12
    assert preview(user, 'train') == command


async def test_each_browser_tab_keeps_its_own_form(create_user) -> None:
    first, second = create_user(), create_user()
    await first.open('/train')
    await form_ready(first, 'train')
    with first.scope(marker='pane-train'):
        first.find(marker='input-exp_name').clear().type('tab_one')
    await second.open('/train')
    await form_ready(second, 'train')
    assert control(second, 'train', 'exp_name').value == 'ocr_training'
    await first.open('/train')
    await form_ready(first, 'train')
    await eventually(lambda: control(first, 'train', 'exp_name').value == 'tab_one', message='own values restored')


async def test_an_edited_command_is_kept_and_must_stay_a_project_runner(user: User) -> None:
    await open_train(user)
    text = preview(user, 'train') + ' \\\n  trainer=tiny'
    with user:
        in_pane(user, 'train', 'command-text').value = text
    assert in_pane(user, 'train', 'edited-badge').visible
    set_value(user, 'batch_size', 2)
    assert preview(user, 'train') == text, 'form changes do not overwrite hand edits'
    with user:
        in_pane(user, 'train', 'command-text').value = 'rm -rf /tmp/x'
    assert "only the project's runners can be launched" in in_pane(user, 'train', 'command-check').text
    with user.scope(marker='pane-train'):
        user.find(marker='run').click()
        await user.should_see(marker='run-blocked')
        user.find(marker='discard-edits').click()
    assert not in_pane(user, 'train', 'edited-badge').visible
    assert 'data.batch_size=2' in preview(user, 'train')


async def test_download_gives_a_runnable_shell_script(user: User) -> None:
    await open_train(user)
    with user.scope(marker='pane-train'):
        user.find(marker='download').click()
    response = await user.download.next()
    script = response.text
    assert script.startswith('#!/usr/bin/env bash\n')
    assert preview(user, 'train') in script
