"""Files the tool writes (exports, backups, reports), and the project files it never touches.

One path for every output file, so the rules hold everywhere:
- The target must be a regular file or not exist yet: a folder, a device (/dev/null,
  /dev/full), a pipe or a socket is refused, never replaced by a regular file.
- The open project, its -wal/-shm/-journal, and any other SQLite database are refused: an
  export "over" a project would replace it, and opening it outside SQLite would drop SQLite's
  locks (annotator/file_guard.py). Whether a file is a database is asked of SQLite itself.
- The content goes to a hidden temporary file beside the target, is synced, and only then
  renamed over the target: a crash or a full disk never leaves a half-written file under the
  real name. While it is written the temporary file carries an exclusive `flock`, so the next
  run can tell a leftover of a killed process (no lock) from one still being written, and
  removes the leftovers.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from annotator.errors import AnnotatorError, InputError

try:
    import fcntl
except ImportError:  # Windows: no flock; leftovers are then only removed by age
    fcntl = None  # type: ignore[assignment]

COMPANIONS = ("-wal", "-shm", "-journal")
PART_SUFFIX = ".part"
# Temporary files of older versions held no lock: removed only when clearly abandoned.
_UNLOCKED_LEFTOVERS = (".partial",)
_ABANDONED_AFTER_S = 3600


def project_files(db_path: Path) -> list[Path]:
    """The project file and the companions SQLite keeps beside it."""
    return [db_path, *(db_path.with_name(db_path.name + s) for s in COMPANIONS)]


def _same_file(a: Path, b: Path) -> bool:
    # stat, not open: comparing never touches a descriptor of either file.
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def sqlite_tables(path: Path) -> set[str] | None:
    """The tables of the SQLite database at `path`, or None if it is no SQLite database.

    Read by SQLite, read-only, never with open(): see annotator/file_guard.py.
    """
    uri = f"file:{quote(str(Path(path).resolve()))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        return None
    try:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        return {r[0] for r in rows}
    except sqlite3.DatabaseError:
        return None  # not a database, or damaged beyond reading: not ours to write over
    finally:
        conn.close()


def is_database(path: Path) -> bool:
    """Whether SQLite reads `path` as a database, asked without side effects: `immutable`
    takes no locks and creates no -wal/-shm beside the file (a read-only open of a WAL
    database left both behind when the tool refused to write over a coder's package)."""
    uri = f"file:{quote(str(Path(path).resolve()))}?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        return False
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def check_output(path: str | os.PathLike[str], *, protect: Iterable[Path] = ()) -> Path:
    """Refuse an output target the tool must not write over; return it as a Path."""
    target = Path(path).expanduser()
    for db in protect:
        for own in project_files(Path(db)):
            if _same_file(target, own):
                raise InputError(f"{target} is the project's own file; name another file to write")
    try:
        st = target.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror}") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"{target} is a folder; name the file to write")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(
                f"{target} is not a regular file (a device, pipe or socket); name a file to write"
            )
        if st.st_size and is_database(target):
            raise InputError(f"{target} is a database (a project?); name another file to write")
    for suffix in COMPANIONS:
        if target.name.endswith(suffix):
            main = target.with_name(target.name[: -len(suffix)])
            if main.is_file() and is_database(main):
                raise InputError(f"{target} belongs to the database {main}; name another file")
    return target


def _lock(fd: int) -> bool:
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _still_there(path: Path, fd: int) -> bool:
    try:
        a, b = os.stat(path), os.fstat(fd)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def clean_leftovers(folder: Path) -> list[Path]:
    """Remove temporary files that killed runs left in `folder`; return what was removed.

    A temporary file still locked belongs to a run in progress (here or in another process)
    and is kept.
    """
    removed: list[Path] = []
    try:
        candidates = sorted(p for p in folder.iterdir() if p.name.startswith("."))
    except OSError:
        return removed
    now = time.time()
    for p in candidates:
        if p.name.endswith(PART_SUFFIX):
            if _remove_if_unlocked(p):
                removed.append(p)
        elif p.name.endswith(_UNLOCKED_LEFTOVERS):
            with contextlib.suppress(OSError):
                if now - p.stat().st_mtime > _ABANDONED_AFTER_S:
                    p.unlink()
                    removed.append(p)
        elif (
            p.name.endswith(PART_SUFFIX + "-journal")
            and not p.with_name(p.name.removesuffix("-journal")).exists()
        ):
            # SQLite's journal of a backup's temporary file: stale once that file is gone.
            with contextlib.suppress(OSError):
                p.unlink()
                removed.append(p)
    return removed


def _remove_if_unlocked(p: Path) -> bool:
    if fcntl is None:
        try:
            if time.time() - p.stat().st_mtime <= _ABANDONED_AFTER_S:
                return False
            p.unlink()
        except OSError:
            return False
        return True
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        if not _lock(fd) or not _still_there(p, fd):
            return False
        p.unlink()
        return True
    except OSError:
        return False
    finally:
        os.close(fd)  # also releases the lock


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` survive a power cut (not possible, nor needed, on Windows)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class PendingFile:
    """A locked temporary file that becomes `target` on `commit()`."""

    def __init__(self, target: Path, tmp: Path, fd: int) -> None:
        self.target = target
        self.path = tmp
        self._fd = fd
        self.committed = False

    def commit(self) -> None:
        """Sync the finished temporary file and rename it over the target (atomic)."""
        try:
            os.fsync(self._fd)
            os.replace(self.path, self.target)
            fsync_dir(self.target.parent)
        except OSError as exc:
            raise AnnotatorError(f"cannot write {self.target}: {_reason(exc)}") from None
        self.committed = True


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _create_locked(target: Path) -> tuple[Path, int]:
    for _ in range(10):
        try:
            fd, name = tempfile.mkstemp(
                dir=target.parent, prefix=f".{target.name}.", suffix=PART_SUFFIX
            )
        except OSError as exc:
            raise AnnotatorError(f"cannot write to {target.parent}: {_reason(exc)}") from None
        tmp = Path(name)
        # A cleaner in another process may have taken the file between its creation and
        # the lock: then it is gone (or replaced) and we make another.
        if _lock(fd) and _still_there(tmp, fd):
            return tmp, fd
        os.close(fd)
    raise AnnotatorError(f"cannot write to {target.parent}: temporary files keep vanishing")


@contextmanager
def pending_file(
    path: str | os.PathLike[str], *, protect: Iterable[Path] = ()
) -> Iterator[PendingFile]:
    """Check `path` (see `check_output`), clean leftovers beside it, and yield a locked
    temporary file to write; call `commit()` on it to make it the real file. Without a
    commit (an error, a cancel) the temporary file is removed."""
    target = check_output(path, protect=protect)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AnnotatorError(f"cannot create the folder {target.parent}: {_reason(exc)}") from None
    clean_leftovers(target.parent)
    tmp, fd = _create_locked(target)
    pending = PendingFile(target, tmp, fd)
    try:
        yield pending
    finally:
        if not pending.committed:
            with contextlib.suppress(OSError):
                tmp.unlink()
        os.close(fd)
