"""The two callbacks every long piece of work takes (import, export, merge, re-highlighting).

The core never draws anything: it calls `progress(done, total)` now and then and stops at
the next safe point when `cancelled()` returns True. The CLI passes a progress bar, the
window a progress dialog with a Cancel button (gui/tasks.py), tests plain functions.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]
