"""The JSONL writer: every line in order across its background chunks; write errors reach
the caller as one clear error and leave no file behind."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from annotator.errors import AnnotatorError
from annotator.export import export
from annotator.export.output import JsonlWriter, _write_all, jsonl_file
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


def test_pieces_beyond_one_writev_and_short_writes_arrive_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pieces = [f"{i}|".encode() for i in range(3000)]  # more than one writev takes
    target = tmp_path / "w.bin"
    with target.open("wb", buffering=0) as fh:
        assert _write_all(fh.fileno(), pieces) == sum(map(len, pieces))
    assert target.read_bytes() == b"".join(pieces)

    real_writev = os.writev

    def short_writev(fd: int, group: list[bytes]) -> int:  # the kernel took only a part
        return real_writev(fd, [group[0][:1]])

    monkeypatch.setattr(os, "writev", short_writev)
    with target.open("wb", buffering=0) as fh:
        _write_all(fh.fileno(), pieces)
    assert target.read_bytes() == b"".join(pieces)


def full_disk() -> io.FileIO:
    """A file that fails like a full disk: Linux's /dev/full."""
    return open("/dev/full", "wb", buffering=0)  # noqa: SIM115


def test_a_write_error_in_the_background_reaches_the_caller(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(JsonlWriter, "_CHUNK", 10)
    with full_disk() as fh:
        writer = JsonlWriter(fh)
        with pytest.raises(OSError, match="No space"):
            for _ in range(1000):
                writer.write_line(b'{"a":"0123456789"}\n')
            writer.close()


def test_a_full_disk_during_export_is_one_error_and_no_file(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = Path.open

    def full_disk_open(self: Path, mode: str = "r", *args, **kwargs):
        if self.name.endswith(".part") and "w" in mode:
            return full_disk()
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", full_disk_open)
    out = tmp_path / "stances.jsonl"
    with pytest.raises(AnnotatorError, match=r"cannot write .*stances\.jsonl: No space left"):
        export(corpus.project, corpus.codebook, "stances", out)
    assert not out.exists()
    assert not list(tmp_path.glob(".*.part"))
