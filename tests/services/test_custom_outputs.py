"""A workbench started with --outputs shows commands that write there, also when copied to a terminal."""

from hydra.core.override_parser.overrides_parser import OverridesParser

from services.app_services import build_services
from services.paths import WorkbenchPaths


async def test_commands_name_a_custom_outputs_folder(tmp_path):
    services = build_services(WorkbenchPaths.create(outputs=tmp_path / "my runs"))
    await services.start()
    try:
        await services.wait_ready(10)
        argv = services.builder("train").command({}).argv
        token = next(token for token in argv if token.startswith("outputs_dir="))
        parsed = OverridesParser.create().parse_overrides([token])[0]
        assert parsed.value() == str(tmp_path / "my runs")  # quoted for Hydra because of the space
    finally:
        await services.stop()


async def test_default_outputs_folder_adds_nothing():
    services = build_services(WorkbenchPaths.create())
    await services.start()
    try:
        await services.wait_ready(10)
        assert not any(token.startswith("outputs_dir=") for token in services.builder("test").command({}).argv)
    finally:
        await services.stop()
