"""The JSONL writer: every line in order across its background chunks; write errors reach
the caller as one clear error and leave no file behind."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from annotator.errors import AnnotatorError
from annotator.export import export
from annotator.export.output import JsonlWriter, jsonl_file
from tests.export.corpus import Corpus


def test_every_line_arrives_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Small chunks and a tiny queue: many hand-overs, and the producer has to wait.
    monkeypatch.setattr(JsonlWriter, "_CHUNK", 100)
    monkeypatch.setattr(JsonlWriter, "_QUEUED", 1)
    monkeypatch.setattr(JsonlWriter, "_SYNC_EVERY", 1000)
    lines = [f'{{"n":{i},"t":"Größe {"ä" * (i % 37)}"}}\n'.encode() for i in range(5000)]
    out = tmp_path / "x.jsonl"
    with jsonl_file(out) as writer:
        for line in lines:
            writer.write_line(line)
    assert writer.count == len(lines)
    assert out.read_bytes() == b"".join(lines)
    assert not list(tmp_path.glob(".*.part"))


class _FullDisk(io.RawIOBase):
    """A file that takes `room` bytes, then fails like a full disk."""

    def __init__(self, room: int) -> None:
        self.room = room

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if len(data) > self.room:
            raise OSError(28, "No space left on device")
        self.room -= len(data)
        return len(data)


def test_a_write_error_in_the_background_reaches_the_caller(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(JsonlWriter, "_CHUNK", 10)
    writer = JsonlWriter(_FullDisk(room=50))  # type: ignore[arg-type]
    with pytest.raises(OSError, match="No space"):
        for _ in range(1000):
            writer.write_line(b'{"a":"0123456789"}\n')
        writer.close()


def test_a_full_disk_during_export_is_one_error_and_no_file(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = Path.open

    def full_disk_open(self: Path, mode: str = "r", *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.name.endswith(".part") and "w" in mode:
            return _FullDisk(room=300)
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", full_disk_open)
    monkeypatch.setattr(JsonlWriter, "_CHUNK", 100)
    out = tmp_path / "stances.jsonl"
    with pytest.raises(AnnotatorError, match=r"cannot write .*stances\.jsonl: No space left"):
        export(corpus.project, corpus.codebook, "stances", out)
    assert not out.exists()
    assert not list(tmp_path.glob(".*.part"))
