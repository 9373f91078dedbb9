"""A project file's leads (store/leads.py, `annotator lead`): the first person to open the
project leads it, leads add and remove others, the lead's views are closed to the rest
with the reason; in team mode the server's roles decide (issue 25 item 6)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.errors import ConflictError, InputError
from annotator.store.annotators import get_or_create_annotator
from annotator.store.engine import Project, open_project
from annotator.store.leads import (
    LEADS_KEY,
    add_lead,
    ensure_lead,
    has_leads_chosen,
    is_lead,
    lead_only_reason,
    leads,
    remove_lead,
)
from annotator.store.models import Annotator
from tests.cli.test_cli import run


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[Project]:
    """A project file several annotators open (not parametrised for PostgreSQL)."""
    p = open_project(str(tmp_path / "shared.db"))
    yield p
    p.close()


def test_the_first_to_open_the_project_leads_it_the_others_see_why_not(shared: Project) -> None:
    assert not has_leads_chosen(shared) and leads(shared) == []
    assert ensure_lead(shared, "lena") is True
    assert ensure_lead(shared, "anna") is False  # the second one does not become a lead
    assert leads(shared) == ["lena"] and has_leads_chosen(shared)
    assert is_lead(shared, "lena") and not is_lead(shared, "anna")
    assert not is_lead(shared, "nobody")
    assert lead_only_reason(shared, "lena") is None
    reason = lead_only_reason(shared, "anna")
    assert reason == (
        "Only the project's leads (lena) may use this: it shows or changes everybody's work, "
        "and annotation stays blind. A lead makes you one with `annotator lead add anna`."
    )
    assert "lead add NAME" in (lead_only_reason(shared, None) or "")  # nobody chosen yet


def test_an_existing_annotator_who_opens_first_leads_by_identity(shared: Project) -> None:
    get_or_create_annotator(shared, "anna")  # labelled before this version had leads
    assert ensure_lead(shared, "anna")
    # A rename keeps the person a lead; a newcomer with her old name is not.
    with shared.write() as s:
        row = s.get(Annotator, get_or_create_annotator(shared, "anna"))
        assert row is not None
        row.name = "anna-m"
    assert is_lead(shared, "anna-m") and leads(shared) == ["anna-m"]
    assert not is_lead(shared, "anna")  # get_or_create now makes a new person
    get_or_create_annotator(shared, "anna")
    assert not is_lead(shared, "anna")


def test_leads_are_added_and_removed_but_never_the_last(shared: Project) -> None:
    ensure_lead(shared, "lena")
    assert add_lead(shared, "tom") == ["lena", "tom"]
    assert add_lead(shared, "tom") == ["lena", "tom"]  # twice is once
    assert remove_lead(shared, "lena") == ["tom"]
    with pytest.raises(ConflictError, match="only lead: add another lead first"):
        remove_lead(shared, "tom")
    with pytest.raises(InputError, match=r"'anna' is not a lead of this project \(leads: tom\)"):
        remove_lead(shared, "anna")
    with pytest.raises(InputError, match="reserved for the curated gold standard"):
        add_lead(shared, "gold")
    assert leads(shared) == ["tom"]


def test_two_windows_opening_at_once_make_one_lead(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.db")
    open_project(path).close()
    projects = [open_project(path) for _ in range(2)]
    barrier = threading.Barrier(2)
    results: dict[str, bool] = {}

    def open_as(project: Project, name: str) -> None:
        barrier.wait()
        results[name] = ensure_lead(project, name)

    threads = [
        threading.Thread(target=open_as, args=(p, n))
        for p, n in zip(projects, ("anna", "ben"), strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) == [False, True]
    assert len(leads(projects[0])) == 1
    for p in projects:
        p.close()


def test_a_damaged_list_makes_nobody_a_lead_until_one_is_added(shared: Project) -> None:
    from annotator.store.models import ProjectInfo

    ensure_lead(shared, "lena")
    with shared.write() as s:
        s.merge(ProjectInfo(key=LEADS_KEY, value="{not json"))
    assert not is_lead(shared, "lena") and not ensure_lead(shared, "anna")
    assert add_lead(shared, "lena") == ["lena"]
    assert json.loads(shared.info(LEADS_KEY) or "")["uids"]


def test_the_lead_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "p.db")
    open_project(db).close()
    code, out, _ = run(["--db", db, "lead", "list"], capsys)
    assert code == 0 and "no leads yet: the first person to open the project" in out
    assert run(["--db", db, "lead", "add", "lena"], capsys)[:2] == (0, "leads: lena\n")
    assert run(["--db", db, "lead", "add", "tom"], capsys)[:2] == (0, "leads: lena, tom\n")
    assert run(["--db", db, "lead", "list"], capsys)[:2] == (0, "lena\ntom\n")
    assert run(["--db", db, "lead", "remove", "lena"], capsys)[:2] == (0, "leads: tom\n")
    code, _, err = run(["--db", db, "lead", "remove", "tom"], capsys)
    assert code == 3 and "only lead" in err
    code, _, err = run(["--db", db, "lead", "remove", "anna"], capsys)
    assert code == 2 and "'anna' is not a lead" in err
    code, _, err = run(["--db", str(tmp_path / "typo.db"), "lead", "list"], capsys)
    assert code == 4 and not (tmp_path / "typo.db").exists()


def test_in_team_mode_the_servers_roles_decide(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.postgres.database import fresh_database

    with fresh_database() as database:
        url = database.url()
        with open_project(url) as project:
            assert ensure_lead(project, "anna") and is_lead(project, "anna")
            assert lead_only_reason(project, "anna") is None
            with pytest.raises(InputError, match="the roles decide who leads"):
                add_lead(project, "anna")
            assert project.info(LEADS_KEY) is None  # nothing recorded on the server
        code, _, err = run(["--db", url, "lead", "list"], capsys)
        assert code == 2 and "server init --lead ROLE" in err
