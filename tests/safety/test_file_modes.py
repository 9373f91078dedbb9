"""Output files get the mode the user's umask gives new files, like any program's output:
a coder can open the package her lead made for her on a shared machine (umask 022), and a
lead who wants them private sets umask 077 (issue 25 item 2)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from annotator.assignments.package import write_package
from annotator.assignments.plan import PlanRequest
from annotator.assignments.service import plan_project
from annotator.codebook import Codebook
from annotator.export.run import export
from annotator.files import pending_file
from annotator.network import io
from annotator.network.build import build_networks
from annotator.network.options import NetworkOptions
from annotator.store.backup import backup_project, rotating_daily_backup
from annotator.store.engine import Project
from tests.agreement.builders import label, new_project
from tests.network.fixtures import debate

UMASKS = [0o022, 0o077]


@pytest.fixture(params=UMASKS, ids=lambda u: f"umask{u:03o}")
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


@pytest.fixture
def lead(tmp_path: Path) -> Iterator[Project]:
    project = new_project(tmp_path / "lead.db")
    label(project, "anna", "a1", "Carlo Masala", "ground_troops", "favor")
    plan_project(project, PlanRequest(("anna", "ben"), 0.0, 2, seed=1))
    yield project
    project.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def expected(umask: int) -> int:
    return 0o666 & ~umask


def test_a_pending_file_follows_the_umask(tmp_path: Path, umask: int) -> None:
    with pending_file(tmp_path / "out.txt") as pending:
        pending.path.write_text("x", encoding="utf-8")
        assert mode(pending.path) == expected(umask)  # also while written
        pending.commit()
    assert mode(tmp_path / "out.txt") == expected(umask)


def test_exports_and_network_files_follow_the_umask(
    lead: Project, codebook: Codebook, tmp_path: Path, umask: int
) -> None:
    out = tmp_path / "shared"
    export(lead, codebook, "stances", out / "stances.jsonl")
    export(lead, codebook, "documents", out / "documents.jsonl")
    (network,) = build_networks(debate(), codebook, NetworkOptions()).networks
    io.write_graphml(network, out / "net.graphml")
    for name in ("stances.jsonl", "documents.jsonl", "net.graphml"):
        assert mode(out / name) == expected(umask), name


def test_backups_and_packages_follow_the_umask(
    lead: Project, codebook: Codebook, tmp_path: Path, umask: int
) -> None:
    made = [
        backup_project(lead, tmp_path / "copy.db"),
        rotating_daily_backup(lead, today=date(2025, 1, 2)),  # the window's, at start
        write_package(lead, "anna", tmp_path / "anna.db", codebook).path,
    ]
    for path in made:
        assert path is not None
        assert mode(path) == expected(umask), path.name
    # and nothing SQLite left beside them is readable when the copy is not
    assert not [p for p in tmp_path.rglob("*-journal")]
