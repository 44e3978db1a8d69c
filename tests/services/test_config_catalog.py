"""The config catalog: loaded once, reloaded per file, last good version kept when a file breaks."""

from __future__ import annotations

from pathlib import Path

from services.config_catalog import ConfigCatalog
from services.paths import WorkbenchPaths


def test_it_lists_schemas_metadata_and_option_lists(project: WorkbenchPaths) -> None:
    catalog = ConfigCatalog(project.configs)
    catalog.load()
    assert sorted(catalog.schemas) == ["predict", "test", "train"]
    assert [option.value for option in catalog.options("optimizers")] == ["adam", "adamw", "sgd"]
    assert [option.value for option in catalog.options("preprocessing_profiles")] == [
        "binarized", "none", "photo_document", "scan_cleanup"]
    assert [option.value for option in catalog.options("encoders")][:2] == ["resnet18", "resnet34"]
    assert catalog.group_options("model/encoder") == ("mobilenetv3_large", "mobilenetv3_small", "resnet18", "resnet34")


async def test_a_malformed_schema_keeps_the_last_good_version_and_names_file_and_line(project: WorkbenchPaths) -> None:
    catalog = ConfigCatalog(project.configs)
    await catalog.refresh()
    changes = []
    catalog.changed.subscribe(changes.append)
    schema_file = project.ui_configs / "schemas" / "train.yaml"
    good = schema_file.read_text()
    before = catalog.schema("train")

    schema_file.write_text(good.replace("  - key: wandb\n", "  - key: wandb\n    label: [unclosed\n", 1))
    await catalog.apply_changes([schema_file])

    assert catalog.schema("train") is before
    [problem] = catalog.problems
    assert problem.file == schema_file.resolve()
    assert problem.line == good.splitlines().index("  - key: wandb") + 2  # the line with the unclosed bracket
    assert "malformed YAML" in problem.message
    assert "problems" in changes[-1].kinds

    schema_file.write_text(good.replace("default: ocr_training", "default: receipts_v2"))
    await catalog.apply_changes([schema_file])
    assert catalog.problems == []
    assert catalog.schema("train").field("exp_name").default == "receipts_v2"


def test_a_semantic_error_is_reported_at_the_fields_line(project: WorkbenchPaths) -> None:
    catalog = ConfigCatalog(project.configs)
    catalog.load()
    schema_file = project.ui_configs / "schemas" / "test.yaml"
    text = schema_file.read_text()
    schema_file.write_text(text.replace("options_source: encoders", "options_source: backbones"))
    catalog.reload_files([schema_file])
    [problem] = catalog.problems
    assert problem.line == text.splitlines().index("  - key: encoder") + 1
    assert "unknown options_source 'backbones'" in problem.message
    assert catalog.schema("test") is not None


def test_only_the_changed_file_is_reread(project: WorkbenchPaths, monkeypatch) -> None:
    catalog = ConfigCatalog(project.configs)
    catalog.load()
    read: list[Path] = []
    original = catalog._read_file

    def spy(snapshot, path):
        read.append(path)
        return original(snapshot, path)

    monkeypatch.setattr(catalog, "_read_file", spy)
    meta = project.ui_configs / "optimizers" / "adam.yaml"
    meta.write_text(meta.read_text().replace("max: 0.01, step: 0.00001", "max: 0.02, step: 0.00001"))
    change = catalog.reload_files([meta])
    assert read == [meta.resolve()]
    assert change.kinds == {"optimizer"}
    assert catalog.optimizer("adam").bounds["learning_rate"].max == 0.02


def test_a_new_config_group_option_appears_and_a_deleted_one_goes(project: WorkbenchPaths) -> None:
    catalog = ConfigCatalog(project.configs)
    catalog.load()
    new = project.configs / "preprocessing" / "grayscale.yaml"
    new.write_text("# @package preprocessing\nname: grayscale\nsteps: []\n")
    catalog.reload_files([new])
    assert "grayscale" in [option.value for option in catalog.options("preprocessing_profiles")]
    new.unlink()
    catalog.reload_files([new])
    assert "grayscale" not in [option.value for option in catalog.options("preprocessing_profiles")]


def test_a_recommendation_for_a_missing_field_is_a_problem(project: WorkbenchPaths) -> None:
    meta = project.ui_configs / "architectures" / "dbnet.yaml"
    meta.write_text(meta.read_text().replace("      batch_size: 8\n      max_epochs: 40",
                                             "      batch_size: 8\n      warmup: 3\n      max_epochs: 40"))
    catalog = ConfigCatalog(project.configs)
    catalog.load()
    assert [problem.message for problem in catalog.problems] == [
        "use case 'receipts_balanced' recommends unknown field(s) warmup; they cannot be applied"]
