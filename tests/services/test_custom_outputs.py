"""A workbench started with --outputs shows commands that write there, also when copied to a terminal."""

from services.app_services import build_services
from services.paths import WorkbenchPaths


async def test_commands_name_a_custom_outputs_folder(tmp_path):
    services = build_services(WorkbenchPaths.create(outputs=tmp_path / "my runs"))
    await services.start()
    try:
        await services.wait_ready(10)
        argv = services.builder("train").command({}).argv
        assert f"outputs_dir={tmp_path / 'my runs'}" in argv
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
