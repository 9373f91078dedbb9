"""Shared fixtures. Every test runs with its own ANNOTATOR_HOME, never the user's files."""

from __future__ import annotations

import os

# Qt tests always run offscreen (set before pytest-qt creates the QApplication).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The lost-save guard (annotator/file_guard.py): this process refuses, and every process a
# test starts aborts on, opening a project file outside SQLite while a connection holds it.
from annotator import file_guard  # noqa: E402

assert file_guard.install(), "the file guard needs /proc/self/fd (Linux)"
os.environ[file_guard.ENV] = "abort"

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from annotator.codebook import Codebook, load_codebook  # noqa: E402
from annotator.ingest.readers import text_hash  # noqa: E402
from annotator.store.engine import Project, open_project  # noqa: E402
from annotator.store.models import Actor, Article  # noqa: E402

# Long randomized tests (the chaos trials, fuzzing, the 50 MB file) run a few rounds by
# default, so the README's test command takes minutes; CI adds --full (.ci/run) and they run
# at their full size. The size is read when a test module is imported, hence the variable.
FULL_ENV = "ANNOTATOR_TEST_FULL"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--full",
        action="store_true",
        help="run the long randomized tests at full size, as CI does (default: a few rounds)",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--full"):
        os.environ[FULL_ENV] = "1"


def pytest_report_header(config: pytest.Config) -> str:
    if full_run():
        return "long randomized tests: full size (--full)"
    return "long randomized tests: a few rounds each (--full for CI's size)"


def full_run() -> bool:
    return os.environ.get(FULL_ENV) == "1"


def sized(quick: int, full: int) -> int:
    """A long test's size: `full` under --full (CI), else `quick`."""
    return full if full_run() else quick


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ANNOTATOR_HOME", str(home))
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    return home


REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="session")
def _checkout_untouched() -> None:
    """Tests write only into temporary folders: the checkout's exports/ stays as it was."""
    before = sorted(p.name for p in (REPO / "exports").iterdir())
    yield
    after = sorted(p.name for p in (REPO / "exports").iterdir())
    assert after == before, f"tests wrote into {REPO / 'exports'}: {set(after) - set(before)}"


@pytest.fixture(autouse=True)
def _file_guard() -> None:
    """Fail any test in which a project file was opened behind SQLite's back, also when
    the refusal was swallowed (a worker thread, a broad except)."""
    before = len(file_guard.violations)
    yield
    new = file_guard.violations[before:]
    assert not new, "project file opened outside SQLite: " + "; ".join(new)


@pytest.fixture
def codebook() -> Codebook:
    return load_codebook()


# The storage tests run on SQLite always and on PostgreSQL too when a server is configured
# (tests/postgres/database.py says how; without one the postgres variants skip and say why).
# Elsewhere `project` stays SQLite only and the test ids are unchanged.
POSTGRES_SUITES = ("tests/store/", "tests/test_labelling.py", "tests/ingest/test_importer.py")
SQLITE_ONLY = {  # they work on the project file itself
    "tests/store/test_backup.py": "backups copy the project file",
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "project" not in metafunc.fixturenames:
        return
    where = metafunc.definition.nodeid
    if where.startswith(POSTGRES_SUITES) and not any(where.startswith(k) for k in SQLITE_ONLY):
        metafunc.parametrize("project", ["sqlite", "postgres"], indirect=True)


@pytest.fixture
def project(request: pytest.FixtureRequest, tmp_path: Path) -> Project:
    if getattr(request, "param", "sqlite") == "postgres":
        from tests.postgres.database import fresh_database

        with fresh_database() as database:
            p = open_project(database.url())
            yield p
            p.close()
        return
    p = open_project(str(tmp_path / "project.db"))
    yield p
    p.close()


def add_article(project: Project, external_id: str, text: str, title: str = "T") -> int:
    """Insert an article directly (no NLP): for store-level tests."""
    with project.write() as s:
        a = Article(external_id=external_id, title=title, text=text, text_sha256=text_hash(text))
        s.add(a)
        s.flush()
        return a.id


def add_actor(project: Project, name: str, label: str = "PER") -> int:
    with project.write() as s:
        a = Actor(name=name, label=label, type="person")
        s.add(a)
        s.flush()
        return a.id
