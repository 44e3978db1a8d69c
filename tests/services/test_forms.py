"""Command Builder forms: visibility, validation messages, options, metadata defaults, Apply, suffix, autofill."""

from __future__ import annotations

from pathlib import Path

import pytest
from services_fixtures import context_from, sidecar

from services.config_catalog import ConfigCatalog
from services.forms.editing import apply_suggestion, set_value
from services.forms.resolver import ResolvedForm, resolve_form
from services.forms.schema import FormSchema, parse_schema
from services.paths import WorkbenchPaths
from services.yaml_files import ConfigFileError, load_yaml


@pytest.fixture
def train(shipped_catalog: ConfigCatalog) -> FormSchema:
    schema = shipped_catalog.schema("train")
    assert schema is not None
    return schema


def overrides_of(form: ResolvedForm) -> dict[str, object]:
    return {item.key: item.value for item in form.overrides if not isinstance(item, str)}


# ---- visibility ---------------------------------------------------------------------------------------------------
def test_resume_checkpoint_is_hidden_until_resume_is_ticked(train, shipped_catalog) -> None:
    context = context_from(shipped_catalog)
    hidden = resolve_form(train, {"checkpoint_path": "outputs/x/checkpoints/best.ckpt"}, context)
    assert not hidden.field("checkpoint_path").visible
    assert "resume" not in overrides_of(hidden)

    shown = resolve_form(train, {"resume_training": True}, context)
    assert shown.field("checkpoint_path").visible


# ---- validation messages ------------------------------------------------------------------------------------------
def test_required_if_names_the_field_by_its_label(train, shipped_catalog) -> None:
    form = resolve_form(train, {"resume_training": True}, context_from(shipped_catalog))
    assert form.errors == {"checkpoint_path": ("'Checkpoint to resume' is required, but there is nothing to choose "
                                              "from (no checkpoints found).",)}
    assert not form.ok


@pytest.mark.parametrize(
    ("values", "key", "message"),
    [
        ({"exp_name": ""}, "exp_name", "'Experiment name' is required."),
        ({"exp_name": "ab"}, "exp_name", "'Experiment name' must be at least 3 characters long."),
        ({"exp_name": "x" * 81}, "exp_name", "'Experiment name' must be at most 80 characters long."),
        ({"exp_name": "two\nlines"}, "exp_name",
         "'Experiment name' must not contain control characters (such as newlines or tabs)."),
        ({"exp_name": "run-${now:%H}"}, "exp_name",
         "'Experiment name' must not contain '${' (Hydra would read it as an interpolation)."),
        ({"num_nodes": 0}, "num_nodes", "'Number of nodes' must be between 1 and 64."),
        ({"seed": -1}, "seed", "'Seed' must be between 0 and 4294967295."),
        ({"seed": 1.5}, "seed", "'Seed' must be a whole number."),
        ({"seed": "forty-two"}, "seed", "'Seed' must be a number."),
        ({"num_nodes": None}, "num_nodes", "'Number of nodes' is required."),
    ],
)
def test_validation_messages_per_field(train, shipped_catalog, values, key, message) -> None:
    form = resolve_form(train, values, context_from(shipped_catalog))
    assert form.field(key).errors == (message,)
    assert list(form.errors) == [key]


def test_a_fresh_train_form_has_no_errors_and_a_complete_command(train, shipped_catalog) -> None:
    form = resolve_form(train, {}, context_from(shipped_catalog))
    assert form.ok
    assert form.command.text.splitlines()[0] == "python -m ocr.train \\"
    assert overrides_of(form)["model/architecture"] == "dbnet_lite"


def test_image_folder_must_exist_and_stay_inside_the_allowed_folders(shipped_catalog, tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "configs").mkdir(parents=True)
    (root / "data" / "samples" / "images").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (root / "data" / "escape").symlink_to(tmp_path / "elsewhere")
    paths = WorkbenchPaths.create(project_root=root)
    predict = shipped_catalog.schema("predict")
    context = context_from(shipped_catalog, paths=paths)

    def errors(image_dir: str) -> tuple[str, ...]:
        return resolve_form(predict, {"image_dir": image_dir}, context).field("image_dir").errors

    assert errors("data/samples/images") == ()
    assert errors("data/samples/../samples/images/") == ()
    assert errors("data/missing") == ("'Image folder': no such folder data/missing.",)
    assert errors("../../etc") == ("'Image folder' must be inside ., data, outputs.",)
    assert errors("data/escape") == ("'Image folder' must be inside ., data, outputs.",)
    assert overrides_of(resolve_form(predict, {"image_dir": "data/samples/../samples/images/"}, context))[
        "image_dir"] == "data/samples/images"


# ---- options and metadata -----------------------------------------------------------------------------------------
def test_components_are_filtered_by_the_architecture(train, shipped_catalog) -> None:
    context = context_from(shipped_catalog)
    lite = resolve_form(train, {"architecture": "dbnet_lite"}, context)
    full = resolve_form(train, {"architecture": "dbnet"}, context)
    assert list(lite.field("encoder").option_map) == ["mobilenetv3_large", "mobilenetv3_small"]
    assert list(full.field("encoder").option_map) == ["resnet18", "resnet34"]
    assert full.field("architecture").option_map["dbnet"] == "dbnet · DBNet (ResNet)"


def test_defaults_follow_the_architecture_until_the_user_picks(train, shipped_catalog) -> None:
    context = context_from(shipped_catalog)
    assert resolve_form(train, {"architecture": "dbnet"}, context).values["encoder"] == "resnet18"
    assert resolve_form(train, {"architecture": "dbnet_lite"}, context).values["encoder"] == "mobilenetv3_large"
    picked = resolve_form(train, {"architecture": "dbnet", "encoder": "resnet34"}, context)
    assert picked.values["encoder"] == "resnet34"


def test_changing_the_architecture_drops_picks_it_cannot_use(train, shipped_catalog) -> None:
    context = context_from(shipped_catalog)
    values = set_value(train, {"architecture": "dbnet", "encoder": "resnet34", "decoder": "unet"},
                       "architecture", "dbnet_lite", context)
    assert values == {"architecture": "dbnet_lite", "decoder": "unet"}
    form = resolve_form(train, values, context)
    assert (form.values["encoder"], form.values["decoder"]) == ("mobilenetv3_large", "unet")
    assert form.field("encoder").notice is None


def test_a_stale_incompatible_value_falls_back_with_a_notice(train, shipped_catalog) -> None:
    form = resolve_form(train, {"architecture": "dbnet_lite", "encoder": "resnet34"}, context_from(shipped_catalog))
    assert form.values["encoder"] == "mobilenetv3_large"
    assert form.field("encoder").notice == "'resnet34' is not available here; using 'mobilenetv3_large' instead."


def test_help_includes_the_architecture_notes_and_field_help(train, shipped_catalog) -> None:
    form = resolve_form(train, {"architecture": "dbnet"}, context_from(shipped_catalog))
    assert "Best on scanned or flat receipts" in form.field("architecture").help
    assert "resnet34 gains recall" in form.field("encoder").help


def test_learning_rate_slider_takes_its_bounds_from_the_optimizer(train, shipped_catalog) -> None:
    context = context_from(shipped_catalog)
    adamw = resolve_form(train, {"architecture": "dbnet", "optimizer": "adamw"}, context).field("learning_rate")
    sgd = resolve_form(train, {"architecture": "dbnet", "optimizer": "sgd"}, context).field("learning_rate")
    assert (adamw.min, adamw.max, adamw.step, adamw.value) == (5e-6, 5e-3, 5e-6, 3e-4)
    assert (sgd.min, sgd.max, sgd.value) == (1e-4, 0.1, 0.01)
    # The architecture's tuned rate applies with its own default optimizer (dbnet: adam).
    assert resolve_form(train, {"architecture": "dbnet"}, context).values["learning_rate"] == 0.001


def test_a_learning_rate_outside_the_new_optimizers_range_is_reset(train, shipped_catalog) -> None:
    context = context_from(shipped_catalog)
    values = set_value(train, {"optimizer": "sgd", "learning_rate": 0.05}, "optimizer", "adamw", context)
    assert "learning_rate" not in values
    clamped = resolve_form(train, {"optimizer": "adamw", "learning_rate": 0.05}, context).field("learning_rate")
    assert clamped.value == 0.005
    assert clamped.notice == "0.05 is outside the allowed range 5e-06–0.005; using 0.005."


def test_the_components_box_shows_what_the_user_picked(train, shipped_catalog) -> None:
    form = resolve_form(train, {"architecture": "dbnet", "encoder": "resnet34", "decoder": "unet"},
                        context_from(shipped_catalog))
    assert form.field("architecture_components").info_text == (
        "Encoder: resnet34 · Decoder: unet · Head: db_head · Loss: db_loss")


# ---- suggested setups ---------------------------------------------------------------------------------------------
def test_every_suggested_setup_applies_every_key(train, shipped_catalog) -> None:
    context = context_from(shipped_catalog)
    checked = 0
    for architecture in shipped_catalog.architectures.values():
        start = {"architecture": architecture.name}
        for use_case in architecture.use_cases:
            form = resolve_form(train, apply_suggestion(train, start, use_case.key, context), context)
            for key, value in use_case.recommendations.items():
                assert form.values[key] == value, (architecture.name, use_case.key, key)
            assert [s.key for s in form.suggestions if s.active] == [use_case.key]
            checked += 1
    assert checked >= 5


def test_apply_sets_the_preprocessing_profile_value_not_its_label(train, shipped_catalog) -> None:
    context = context_from(shipped_catalog)
    form = resolve_form(train, apply_suggestion(train, {"architecture": "dbnet"}, "receipts_balanced", context),
                        context)
    assert overrides_of(form)["preprocessing"] == "scan_cleanup"


def test_shipped_metadata_has_no_problems(shipped_catalog) -> None:
    assert [str(problem) for problem in shipped_catalog.problems] == []


# ---- experiment-name suffix ---------------------------------------------------------------------------------------
def test_suffix_label_says_exactly_what_is_appended(train, shipped_catalog) -> None:
    form = resolve_form(train, {"architecture": "dbnet", "encoder": "resnet34", "decoder": "unet"},
                        context_from(shipped_catalog))
    assert form.field("append_model_suffix").label == "Append -dbnet-resnet34-unet to the experiment name"
    assert overrides_of(form)["exp_name"] == "ocr_training-dbnet-resnet34-unet"


def test_suffix_is_appended_once_to_the_raw_name_before_quoting(train, shipped_catalog) -> None:
    context = context_from(shipped_catalog)
    base = {"architecture": "dbnet", "encoder": "resnet18", "decoder": "fpn"}
    spaced = resolve_form(train, {**base, "exp_name": "my run"}, context)
    assert overrides_of(spaced)["exp_name"] == "my run-dbnet-resnet18-fpn"
    assert "\"exp_name='my run-dbnet-resnet18-fpn'\"" in spaced.command.text
    already = resolve_form(train, {**base, "exp_name": "my run-dbnet-resnet18-fpn"}, context)
    assert overrides_of(already)["exp_name"] == "my run-dbnet-resnet18-fpn"
    off = resolve_form(train, {**base, "append_model_suffix": False}, context)
    assert overrides_of(off)["exp_name"] == "ocr_training"


# ---- checkpoints --------------------------------------------------------------------------------------------------
def test_test_form_components_come_from_the_chosen_checkpoint(shipped_catalog) -> None:
    test = shipped_catalog.schema("test")
    value = "outputs/run/checkpoints/best.ckpt"
    meta = sidecar(architecture="dbnet", encoder="resnet34", decoder="unet", preprocessing="scan_cleanup")
    context = context_from(shipped_catalog, {value: meta})
    values = set_value(test, {"encoder": "resnet18"}, "checkpoint", value, context)
    form = resolve_form(test, values, context)
    assert [form.values[key] for key in ("architecture", "encoder", "decoder", "preprocessing_profile")] == [
        "dbnet", "resnet34", "unet", "scan_cleanup"]
    assert form.field("encoder").from_checkpoint
    # Unchanged components are left out, so the runner uses the checkpoint's exact model config.
    assert not [key for key in overrides_of(form) if key.startswith("model/")]
    assert overrides_of(form)["checkpoint"] == value
    assert overrides_of(form)["preprocessing"] == "scan_cleanup"


def test_changing_one_component_writes_all_of_them(shipped_catalog) -> None:
    test = shipped_catalog.schema("test")
    value = "outputs/run/checkpoints/best.ckpt"
    context = context_from(shipped_catalog, {value: sidecar(architecture="dbnet", encoder="resnet34")})
    form = resolve_form(test, {"checkpoint": value, "decoder": "unet"}, context)
    model = {key: val for key, val in overrides_of(form).items() if key.startswith("model/")}
    assert model == {"model/architecture": "dbnet", "model/encoder": "resnet34", "model/decoder": "unet",
                     "model/head": "db_head", "model/loss": "db_loss"}


def test_resuming_training_keeps_the_checkpoints_architecture(train, shipped_catalog) -> None:
    value = "outputs/run/checkpoints/last.ckpt"
    context = context_from(shipped_catalog, {value: sidecar(architecture="dbnet", encoder="resnet34")})
    form = resolve_form(train, {"resume_training": True, "checkpoint_path": value}, context)
    assert overrides_of(form)["resume"] == value
    assert (overrides_of(form)["model/architecture"], overrides_of(form)["model/encoder"]) == ("dbnet", "resnet34")


def test_checkpoint_picker_is_not_auto_selected(shipped_catalog) -> None:
    test = shipped_catalog.schema("test")
    context = context_from(shipped_catalog, {"outputs/a/checkpoints/best.ckpt": sidecar()})
    form = resolve_form(test, {}, context)
    assert form.values["checkpoint"] is None
    assert form.field("checkpoint").errors == ("'Checkpoint' is required.",)


# ---- schema files -------------------------------------------------------------------------------------------------
def test_a_condition_naming_a_later_field_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "title: Bad\nrunner: ocr.train\nfields:\n"
        "  - key: a\n    type: checkbox\n    visible_if: b == true\n"
        "  - key: b\n    type: checkbox\n"
    )
    with pytest.raises(ConfigFileError) as caught:
        parse_schema(load_yaml(path), path)
    assert caught.value.problem.line == 4
    assert "refers to 'b', which is not an earlier field" in caught.value.problem.message


def test_unknown_field_keys_are_typos_not_silently_ignored(tmp_path: Path) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text("title: T\nrunner: ocr.test\nfields:\n  - key: a\n    type: text\n    overide: exp_name\n")
    with pytest.raises(ConfigFileError, match="unknown field 'a' key\\(s\\) 'overide'"):
        parse_schema(load_yaml(path), path)


def test_a_checkpoints_component_stays_selectable_even_if_metadata_does_not_list_it(shipped_catalog) -> None:
    predict = shipped_catalog.schema("predict")
    value = "outputs/odd/checkpoints/best.ckpt"
    context = context_from(shipped_catalog, {value: sidecar(architecture="dbnet_lite", encoder="resnet18")})
    form = resolve_form(predict, {"checkpoint": value}, context)
    assert form.values["encoder"] == "resnet18" and form.field("encoder").from_checkpoint
    assert "resnet18" in form.field("encoder").option_map
    assert not [key for key in overrides_of(form) if key.startswith("model/")]
