"""Writing export files: a temporary file next to the target, renamed only when complete.

A failed or cancelled export leaves no half-written file, and an earlier export of the same
name stays intact until the new one is finished.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from annotator.errors import AnnotatorError

# ensure_ascii=False writes "Müller" and "😀" as such (UTF-8), not as \u escapes.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)
encode = _ENCODER.encode
# The C string encoder json.dumps uses with ensure_ascii=False; returns '"..."'.
encode_string = json.encoder.encode_basestring  # type: ignore[attr-defined]


def _prepare(path: Path) -> None:
    if path.is_dir():
        raise AnnotatorError(f"{path} is a folder; name the file to write")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AnnotatorError(f"cannot create the folder {path.parent}: {exc.strerror}") from None


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path to write; it replaces `path` only if the block succeeds."""
    _prepare(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise AnnotatorError(f"cannot write to {path.parent}: {exc.strerror}") from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def commit(tmp_path: Path, path: Path) -> None:
    """Make a finished temporary file the real one (atomic on the same file system)."""
    try:
        with tmp_path.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_path, path)
    except OSError as exc:
        tmp_path.unlink(missing_ok=True)
        raise AnnotatorError(f"cannot write {path}: {exc.strerror}") from None


class JsonlWriter:
    """Streams one JSON object per line, UTF-8, into a binary file."""

    def __init__(self, fh: IO[bytes]) -> None:
        self._write = fh.write
        self.count = 0

    def write(self, record: dict[str, Any]) -> None:
        self._write(encode(record).encode("utf-8") + b"\n")
        self.count += 1

    def write_line(self, line: bytes) -> None:
        """Write one record already encoded as a UTF-8 JSON line (ending in a newline)."""
        self._write(line)
        self.count += 1


@contextmanager
def jsonl_file(path: Path) -> Iterator[JsonlWriter]:
    """A JSONL file written atomically: complete after the block, absent after an error."""
    with atomic_path(path) as tmp:
        try:
            with tmp.open("wb", buffering=1 << 20) as fh:
                yield JsonlWriter(fh)
        except OSError as exc:
            raise AnnotatorError(f"cannot write {path}: {exc.strerror}") from None
        commit(tmp, path)
