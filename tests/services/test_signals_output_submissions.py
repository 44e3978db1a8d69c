"""Small parts: the pub-sub signal, tqdm-aware scrollback, ANSI handling, submission listing."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

from services.ansi import ansi_to_html, strip_ansi
from services.output_buffer import OutputBuffer
from services.paths import PathOutsideRoots
from services.signals import Signal
from services.submissions import list_submission_runs, list_submissions


async def test_signal_calls_sync_and_async_subscribers_and_survives_a_failing_one() -> None:
    signal = Signal("test")
    seen: list[tuple[str, int]] = []

    def broken(value: int) -> None:
        raise RuntimeError("a broken page")

    async def later(value: int) -> None:
        await asyncio.sleep(0)
        seen.append(("async", value))

    signal.subscribe(broken)
    unsubscribe = signal.subscribe(lambda value: seen.append(("sync", value)))
    signal.subscribe(later)
    signal.emit(1)
    assert seen == [("sync", 1)]
    await asyncio.sleep(0.01)
    assert seen == [("sync", 1), ("async", 1)]
    unsubscribe()
    unsubscribe()
    signal.emit(2)
    await asyncio.sleep(0.01)
    assert seen[-1] == ("async", 2) and ("sync", 2) not in seen
    assert signal.subscriber_count == 2


def test_tqdm_redraws_replace_the_current_line() -> None:
    buffer = OutputBuffer(max_lines=3)
    assert buffer.feed("epoch 1\n 10%|#").lines == ["epoch 1"]
    delta = buffer.feed("\r 50%|#####\r")
    assert (delta.lines, delta.partial) == ([], " 50%|#####")
    assert buffer.feed("\n").lines == [" 50%|#####"]  # a \r split from its \n is still one line ending
    assert buffer.feed("a\r\nb\rc\n").lines == ["a", "c"]
    assert list(buffer.lines) == [" 50%|#####", "a", "c"]  # bounded: "epoch 1" scrolled out


def test_a_line_that_never_ends_cannot_grow_without_bound() -> None:
    buffer = OutputBuffer()
    for _ in range(100):
        buffer.feed("\r" + "x" * 1000)
    assert len(buffer.raw_partial) <= 1001
    assert buffer.feed("y" * 20_000).lines


def test_ansi_is_stripped_for_parsing_and_escaped_for_display() -> None:
    line = "\x1b[1m\x1b[31merror:\x1b[0m <b>boom</b>\x1b[K"
    assert strip_ansi(line) == "error: <b>boom</b>"
    assert ansi_to_html(line) == (
        '<span style="color:#cd3131;font-weight:bold">error:</span>'
        " &lt;b&gt;boom&lt;/b&gt;"
    )


def test_a_predict_runs_submissions_are_listed_newest_first(tmp_path: Path) -> None:
    outputs = tmp_path / "outputs"
    folder = outputs / "2026-12-01_20-15-00_ocr_prediction" / "submissions"
    folder.mkdir(parents=True)
    (folder / "submission.json").write_text("{}")
    (folder / "submission.csv").write_text("filename,polygons\n")
    (folder / "notes.txt").write_text("not a submission")
    past = time.time() - 60
    os.utime(folder / "submission.json", (past, past))

    files = list_submissions(folder.parent, [outputs])
    assert [(file.name, file.kind, file.size_text) for file in files] == [
        ("submission.csv", "csv", "18 B"), ("submission.json", "json", "2 B")]
    assert [run.name for run in list_submission_runs([outputs])] == ["2026-12-01_20-15-00_ocr_prediction"]


def test_submissions_outside_the_outputs_folder_are_refused(tmp_path: Path) -> None:
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    with pytest.raises(PathOutsideRoots):
        list_submissions(tmp_path / "elsewhere", [outputs])
    (outputs / "run").mkdir()
    (tmp_path / "secret.json").write_text("{}")
    (outputs / "run" / "submissions").mkdir()
    (outputs / "run" / "submissions" / "leak.json").symlink_to(tmp_path / "secret.json")
    with pytest.raises(PathOutsideRoots):
        list_submissions(outputs / "run", [outputs])
