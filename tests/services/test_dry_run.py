"""Hydra compose dry-run: readable messages for unknown options, groups and keys; shipped forms compose."""

from __future__ import annotations

import pytest
from services_fixtures import SHIPPED_CONFIGS, context_from, sidecar

from services.config_catalog import ConfigCatalog
from services.dry_run import dry_run, dry_run_command
from services.forms.editing import apply_suggestion
from services.forms.resolver import resolve_form


@pytest.mark.parametrize("use_precheck", [True, False])
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (["model/encoder=foo"],
         "Unknown option 'foo' for model/encoder; available: mobilenetv3_large, mobilenetv3_small, resnet18, resnet34"),
        (["optimizer=nadam"], "Unknown option 'nadam' for optimizer; available: adam, adamw, sgd"),
        (["model/backbone=resnet18"], "Unknown config group 'model/backbone'."),
        (["trainer.max_epcohs=3"],
         "Unknown key 'trainer.max_epcohs' in train.yaml. Did you mean 'trainer.max_epochs'?"),
        (["checkpoint_path=x.ckpt"], "Unknown key 'checkpoint_path' in train.yaml."),
        (["exp_name='unclosed"], "Invalid override syntax"),
        (["exp_name='${missing}'"], "The composed config does not resolve (in 'exp_name')"),
    ],
)
def test_bad_overrides_get_one_readable_message(
    shipped_catalog: ConfigCatalog, overrides: list[str], message: str, use_precheck: bool
) -> None:
    groups = shipped_catalog.groups if use_precheck else None
    result = dry_run(SHIPPED_CONFIGS, "train", overrides, groups)
    assert not result.ok
    assert result.message.startswith(message), result.message


def test_every_shipped_form_composes_with_its_defaults_and_every_suggested_setup(shipped_catalog) -> None:
    checkpoint = "data/checkpoints/dbnet_lite_synth.ckpt"
    context = context_from(shipped_catalog, {checkpoint: sidecar()})
    commands = []
    for name in ("train", "test", "predict"):
        schema = shipped_catalog.schema(name)
        commands.append(resolve_form(schema, {"resume_training": True, "checkpoint_path": checkpoint}, context))
        commands.append(resolve_form(schema, {"checkpoint": checkpoint, "encoder": "mobilenetv3_small"}, context))
    train = shipped_catalog.schema("train")
    for architecture in shipped_catalog.architectures.values():
        for use_case in architecture.use_cases:
            values = apply_suggestion(train, {"architecture": architecture.name}, use_case.key, context)
            commands.append(resolve_form(train, values, context))
    for form in commands:
        result = dry_run_command(SHIPPED_CONFIGS, form.command, shipped_catalog.groups)
        assert result.ok, (form.schema.name, result.message)
    composed = dry_run_command(SHIPPED_CONFIGS, commands[-1].command).config
    assert composed["model"]["encoder"]["name"] == commands[-1].values["encoder"]
