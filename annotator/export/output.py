"""Writing export files: JSONL streamed into a temporary file, renamed only when complete.

A failed or cancelled export leaves no half-written file, and an earlier export of the same
name stays intact until the new one is finished. Which targets are refused and how the
temporary file is handled is annotator/files.py's business.
"""

from __future__ import annotations

import json
import os
import queue
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from annotator.errors import OutputError
from annotator.files import pending_file

# ensure_ascii=False writes "Müller" and "😀" as such (UTF-8), not as \u escapes.
# allow_nan=False: NaN and Infinity are not JSON; a reader of the file would choke on them.
_ENCODER = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), check_circular=False, allow_nan=False
)
encode = _ENCODER.encode
# The C string encoder json.dumps uses with ensure_ascii=False; returns '"..."'.
encode_string = json.encoder.encode_basestring


_IOV_MAX = 1024  # pieces per writev that Linux and macOS accept


def _write_all(fd: int, pieces: list[bytes]) -> int:
    """Write the pieces in order, straight from their buffers; returns the bytes written."""
    written = 0
    if not hasattr(os, "writev"):  # Windows
        data = b"".join(pieces)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        return len(data)
    for i in range(0, len(pieces), _IOV_MAX):
        group = pieces[i : i + _IOV_MAX]
        size = sum(map(len, group))
        done = os.writev(fd, group)
        if done < size:  # a short write (a signal, nearly full disk): the rest plainly
            view = memoryview(b"".join(group))[done:]
            while view:
                view = view[os.write(fd, view) :]
        written += size
    return written


class JsonlWriter:
    """Streams one JSON object per line, UTF-8, into a binary file.

    Lines (or pieces of lines) are gathered into chunks of about a megabyte that a
    background thread writes with one writev each, without joining them first, and flushes
    to the disk as it goes: the file system work releases the GIL, so on a second core it
    overlaps with building the records, and the final fsync stays short. At most `_QUEUED`
    chunks wait, so memory stays flat. A write error is raised in the caller's thread at its
    next write or at `close`.
    """

    _CHUNK = 1 << 20
    _QUEUED = 4
    _SYNC_EVERY = 64 << 20  # bytes written between two flushes to the disk

    def __init__(self, fh: IO[bytes]) -> None:
        self._fh = fh
        self.count = 0
        self._lines: list[bytes] = []
        self._size = 0
        self._queue: queue.Queue[list[bytes] | None] = queue.Queue(self._QUEUED)
        self._error: Exception | None = None
        self._thread = threading.Thread(target=self._drain, name="export-writer", daemon=True)
        self._thread.start()

    def write_line(self, line: bytes) -> None:
        """Write one record already encoded as a UTF-8 JSON line (ending in a newline)."""
        self.write_records([(line,)])

    def write_records(self, records: list[tuple[bytes, ...]]) -> None:
        """Write records given as pieces of their UTF-8 JSON lines (newline included)."""
        lines = self._lines
        size = self._size
        for pieces in records:
            lines.extend(pieces)
            size += sum(map(len, pieces))
        self._size = size
        self.count += len(records)
        if size >= self._CHUNK:
            self._hand_over()

    def _hand_over(self) -> None:
        if self._error is not None:
            raise self._error
        if self._lines:
            self._queue.put(self._lines)
            self._lines = []
            self._size = 0

    def _drain(self) -> None:
        fd = self._fh.fileno()
        unsynced = 0
        while (chunk := self._queue.get()) is not None:
            if self._error is not None:
                continue  # keep taking chunks so the producer is never blocked
            try:
                unsynced += _write_all(fd, chunk)
                if unsynced >= self._SYNC_EVERY:
                    os.fsync(fd)
                    unsynced = 0
            except Exception as exc:  # keep draining; the caller raises it
                self._error = exc

    def abort(self) -> None:
        """Stop without writing what is left (the file is about to be dropped)."""
        self._lines.clear()
        self._queue.put(None)
        self._thread.join()

    def close(self) -> None:
        """Write what is left and wait for the thread; raises the first write error."""
        try:
            self._hand_over()
        finally:
            self._queue.put(None)
            self._thread.join()
        if self._error is not None:
            raise self._error


@contextmanager
def jsonl_file(path: Path, *, protect: Iterable[Path] = ()) -> Iterator[JsonlWriter]:
    """A JSONL file written atomically: complete after the block, absent after an error.
    `protect`: project files the export must never replace."""
    with pending_file(path, protect=protect) as pending:
        try:
            with pending.path.open("wb", buffering=0) as fh:
                writer = JsonlWriter(fh)
                try:
                    yield writer
                except BaseException:
                    writer.abort()
                    raise
                writer.close()
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror}") from None
        pending.commit()
