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
  removes the leftovers. Only names the tool makes (a marker and a random part) are ever
  removed: a user's own hidden files in the folder (".notes.part") are not the tool's.
- The file's mode follows the umask (0644 under 022), as any other program's output does.

A file the tool is given to read (a codebook, a gold file) must be a regular file as well
(`check_input`): opening a named pipe waits for a writer, forever.

Scratch folders (`scratch_folder`: snapshots of a merge, a package being built) work the
same way in the system's temporary folder: a lock on a file inside while in use, and a new
one removes the tool's earlier folders whose lock nobody holds (kill -9 had left 18 MB each).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import sqlite3
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from annotator.errors import InputError, OutputError

try:
    import fcntl
except ImportError:  # Windows: no flock; leftovers are told by age or by deleting
    fcntl = None  # type: ignore[assignment]

COMPANIONS = ("-wal", "-shm", "-journal")
# A temporary file is ".TARGET.annotator-RANDOM.part" (8 random hex digits); with
# "-journal", SQLite's journal of a backup written to it.
PART_MARK = ".annotator-"
PART_SUFFIX = ".part"
_OWN_PART = re.compile(
    rf"\A\..+{re.escape(PART_MARK)}[a-z0-9_]+{re.escape(PART_SUFFIX)}(-journal)?\Z"
)
_ABANDONED_AFTER_S = 3600  # without flock (Windows): a leftover is one this old
SCRATCH_PREFIX = "annotator-scratch-"
_SCRATCH_LOCK = ".lock"
# Snapshot folders of versions before scratch_folder (TemporaryDirectory, no lock): removed
# when a day old, which no merge or package run takes.
_OLD_SCRATCH = re.compile(r"\Aannotator-(merge|package)-[a-z0-9_]{8}\Z")
_OLD_SCRATCH_AFTER_S = 24 * 3600


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
        # A folder on the way that is a file, or one that cannot be entered: the output
        # cannot be written (exit 5), as when creating the folder or the file fails below.
        raise OutputError(f"cannot write {target}: {_reason(exc)}") from None
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


def check_input(path: str | os.PathLike[str]) -> Path:
    """Refuse an input that is a folder, a device, a pipe or a socket before anything opens
    it; return it as a Path. A missing or unreadable file is left to its reader to name."""
    source = Path(path).expanduser()
    try:
        st = source.stat()
    except OSError:
        return source
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{source} is a folder; name the file to read")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(
            f"{source} is not a regular file (a device, pipe or socket); name a file to read"
        )
    return source


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
    """Remove the temporary files that killed runs of the tool left in `folder`; return
    what was removed. One still locked belongs to a run in progress and is kept."""
    removed: list[Path] = []
    try:
        candidates = sorted(p for p in folder.iterdir() if _OWN_PART.match(p.name))
    except OSError:
        return removed
    for p in candidates:
        if not p.name.endswith("-journal"):
            if _remove_if_unlocked(p):
                removed.append(p)
        elif not p.with_name(p.name.removesuffix("-journal")).exists():
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
            raise OutputError(f"cannot write {self.target}: {_reason(exc)}") from None
        self.committed = True


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _new_part(target: Path) -> tuple[Path, int]:
    """Create the temporary file as any program creates its output: mode 0666 less the
    umask (0644 under 022, 0600 under 077). mkstemp's fixed 0600 made every export, backup
    and package private to whoever wrote it, so a coder could not open the package her lead
    had made for her on a shared machine. O_EXCL and O_NOFOLLOW as in mkstemp."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = target.parent / f".{target.name}{PART_MARK}{secrets.token_hex(4)}{PART_SUFFIX}"
        try:
            return tmp, os.open(tmp, flags, 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"cannot write to {target.parent}: {_reason(exc)}") from None
    raise OutputError(f"cannot write to {target.parent}: no free temporary file name")


def _create_locked(target: Path) -> tuple[Path, int]:
    for _ in range(10):
        tmp, fd = _new_part(target)
        # A cleaner in another process may have taken the file between its creation and
        # the lock: then it is gone (or replaced) and we make another.
        if _lock(fd) and _still_there(tmp, fd):
            return tmp, fd
        os.close(fd)
    raise OutputError(f"cannot write to {target.parent}: temporary files keep vanishing")


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
        raise OutputError(f"cannot create the folder {target.parent}: {_reason(exc)}") from None
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


@contextmanager
def scratch_folder(prefix: str, *, base: Path | None = None) -> Iterator[Path]:
    """A private temporary folder for one run (in `base`, by default the system's temporary
    folder), removed afterwards. It holds a lock while in use, so a later call can tell
    a killed run's folder from a live one; each call first removes those leftovers."""
    where = Path(base) if base is not None else Path(tempfile.gettempdir())
    clean_scratch(where)
    folder, fd = _make_scratch(where, prefix)
    try:
        yield folder
    finally:
        os.close(fd)  # first: Windows deletes no open file
        shutil.rmtree(folder, ignore_errors=True)


def _make_scratch(where: Path, prefix: str) -> tuple[Path, int]:
    for _ in range(10):
        try:
            folder = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{prefix}-", dir=where))
        except OSError as exc:
            raise OutputError(
                f"cannot make a temporary folder in {where}: {_reason(exc)}"
            ) from None
        lock = folder / _SCRATCH_LOCK
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError:
            continue  # a cleaner took the folder before it had its lock: make another
        if _lock(fd) and _still_there(lock, fd):
            return folder, fd
        os.close(fd)
    raise OutputError(f"cannot make a temporary folder in {where}: its folders keep vanishing")


def clean_scratch(where: Path) -> list[Path]:
    """Remove the tool's scratch folders in `where` that no live run holds; return them.
    Only this user's folders with the tool's names are looked at."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(where))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        own = entry.name.startswith(SCRATCH_PREFIX)
        if not own and not _OLD_SCRATCH.match(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != getattr(os, "getuid", lambda: 0)():
            continue
        path = Path(entry.path)
        if own:
            gone = _remove_dead_scratch(path)
        else:
            gone = now - st.st_mtime > _OLD_SCRATCH_AFTER_S and _rmtree(path)
        if gone:
            removed.append(path)
    return removed


def _rmtree(folder: Path) -> bool:
    shutil.rmtree(folder, ignore_errors=True)
    return True


def _remove_dead_scratch(folder: Path) -> bool:
    lock = folder / _SCRATCH_LOCK
    if fcntl is None:
        # Windows: a live run holds its lock file open, and an open file cannot be deleted.
        try:
            lock.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            return False
        return _rmtree(folder)
    try:
        fd: int | None = os.open(lock, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        fd = None  # killed before it had a lock (or being made: its maker makes another)
    except OSError:
        return False
    try:
        if fd is not None and not (_lock(fd) and _still_there(lock, fd)):
            return False
        return _rmtree(folder)  # under our lock: no new owner can take it meanwhile
    finally:
        if fd is not None:
            os.close(fd)
