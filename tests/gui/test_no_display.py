"""Without a display the window does not start: one line says why and what to try, exit
code 2 (an InputError), instead of Qt's abort (exit 134) blaming libxcb-cursor0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 / Wayland")


def start_window(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`annotator` (no command: the window) as a user starts it, with `env` as the display
    settings and none of the test run's own (pytest-qt's offscreen platform)."""
    clean = {k: v for k, v in os.environ.items()
             if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(tmp_path / "p.db")],
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def free_display() -> str:
    """A display number no X server listens on."""
    for number in range(500, 600):
        if not Path(f"/tmp/.X11-unix/X{number}").exists():
            return f":{number}"
    raise AssertionError("no free display number")


def test_no_display_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    done = start_window(tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert "no display" in done.stderr and "DISPLAY is not set" in done.stderr
    assert "QT_QPA_PLATFORM=offscreen" in done.stderr and "desktop" in done.stderr
    assert "xcb" not in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "p.db").exists()  # it stopped before opening anything


def test_a_display_without_an_x_server_is_named(tmp_path: Path) -> None:
    display = free_display()
    done = start_window(tmp_path, DISPLAY=display)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert f"cannot connect to the display {display}" in done.stderr


def test_without_libxcb_the_server_socket_is_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.gui import app

    monkeypatch.setattr(app.ctypes.util, "find_library", lambda _name: None)
    assert not app._x_server_answers(free_display())
    assert app._x_server_answers("weird-display")  # a form it does not know: Qt decides
