"""The composition root's safe defaults: loopback bind, port 8080, and a storage secret that is never a literal."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

import main


def test_the_app_binds_to_loopback_on_8080_unless_told_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ('OCRW_OUTPUTS', 'OCRW_CONFIGS', 'OCRW_DATA'):
        monkeypatch.delenv(name, raising=False)
    args = main.parse_args([])
    assert (args.host, args.port, args.native) == ('127.0.0.1', 8080, False)
    assert (args.outputs, args.configs, args.data) == (None, None, None)
    args = main.parse_args(['--host', '0.0.0.0', '--port', '9000', '--native', '--outputs', 'o', '--configs', 'c',
                            '--data', 'd'])
    assert (args.host, args.port, args.native, args.outputs, args.configs, args.data) == \
        ('0.0.0.0', 9000, True, 'o', 'c', 'd')


def test_only_loopback_answers_go_uncompressed() -> None:
    assert all(main.is_loopback(host) for host in ('127.0.0.1', '127.0.0.2', '::1', 'localhost'))
    assert not any(main.is_loopback(host) for host in ('0.0.0.0', '192.168.1.20', '::', 'workbench.lan'))


def test_the_folders_can_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('OCRW_OUTPUTS', '/tmp/runs')
    assert main.parse_args([]).outputs == '/tmp/runs'


def test_the_storage_secret_is_generated_once_into_a_private_file(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv('OCRW_STORAGE_SECRET', raising=False)
    secret_file = tmp_path / 'config' / 'ocr-workbench' / 'storage_secret'
    monkeypatch.setattr(main, 'SECRET_FILE', secret_file)
    first = main.storage_secret()
    assert len(first) >= 32
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert main.storage_secret() == first, 'the same secret on the next start'
    monkeypatch.setenv('OCRW_STORAGE_SECRET', 'from-the-environment')
    assert main.storage_secret() == 'from-the-environment'
