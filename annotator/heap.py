"""Keeping the garbage collector off the long-lived heap during a batch command.

Import and export create and drop millions of small objects. Each full collection would
walk everything else the process holds as well (spaCy, SQLAlchemy, the highlighter's
lexicon): hundreds of thousands of objects that never die. Parking those in the permanent
generation for the length of the job made the import about a quarter faster and halved the
time an export spends reading the store.

Freezing is process-wide, so only a process that runs one job and ends uses it: the CLI's
import and export commands (cli/common.batch_job) and the benchmarks that measure them. The
window never does: there the frozen heap would also hold on to the GUI's garbage.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # jobs inside the block; the GUI may run an import and an export at once


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Freeze what exists now; unfreeze when the last job that froze it finishes."""
    global _depth
    with _lock:
        gc.freeze()  # also moves what earlier jobs left since; harmless
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.unfreeze()
