"""Opening a project on PostgreSQL: URLs, times, first start, schema upgrades, errors."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from sqlalchemy import inspect, make_url, text

from annotator.cli.app import main
from annotator.errors import ProjectError
from annotator.server.push import push_projects
from annotator.server.roles import init_server
from annotator.store.engine import SCHEMA_VERSION, normalise_url, open_project
from annotator.store.label_reads import labels_for_article
from annotator.store.migrate import revision_of
from tests.agreement.builders import article_id, label, new_project
from tests.postgres.database import PASSWORD, TestDatabase
from tests.store.test_migrations import RELEASED


def test_postgres_urls_use_psycopg_and_others_stay_as_given() -> None:
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgres://u:p@h:5433/db") == "postgresql+psycopg://u:p@h:5433/db"
    assert normalise_url("postgresql+psycopg2://u@h/db") == "postgresql+psycopg2://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_an_unreachable_server_is_one_clear_error() -> None:
    with pytest.raises(ProjectError, match="cannot open project|no database driver") as exc:
        open_project("postgresql://nobody:secret@127.0.0.1:1/nothing?connect_timeout=2")
    assert "secret" not in str(exc.value)


@pytest.mark.postgres
def test_the_password_is_never_shown(pg: TestDatabase, capsys, monkeypatch) -> None:
    anna = pg.role("anna")
    with pytest.raises(ProjectError, match="holds no project this role can see"):
        open_project(pg.url(anna))
    init_server(pg.url(), annotators={"anna": anna})
    with open_project(pg.url(anna)) as project:
        assert PASSWORD not in project.db and project.url is not None
        assert make_url(project.url).password == PASSWORD
    monkeypatch.setenv("ANNOTATOR_DB", pg.url())
    main(["info"])
    out = capsys.readouterr().out
    assert "postgresql+psycopg://" in out and "***" in out


@pytest.mark.postgres
def test_times_are_stored_in_utc_whatever_the_server_zone(pg: TestDatabase) -> None:
    url = make_url(pg.url()).update_query_dict(
        {"options": f"-csearch_path={pg.schema} -ctimezone=America/New_York"}
    )
    with new_project(url.render_as_string(hide_password=False)) as project:
        label(project, "anna", "a1", "NATO", "defence_spending", "favor")
        (lab,) = labels_for_article(project, article_id(project, "a1"))
        with project.engine.connect() as conn:
            server_utc = conn.execute(text("SELECT now() AT TIME ZONE 'UTC'")).scalar_one()
    assert lab.updated_at is not None
    assert abs(lab.updated_at.replace(tzinfo=None) - server_utc) < timedelta(minutes=1)
    assert abs(server_utc - datetime.utcnow()) < timedelta(minutes=1)  # noqa: DTZ003


@pytest.mark.postgres
def test_several_first_starts_at_once_create_one_schema(pg: TestDatabase) -> None:
    def start(_: int) -> str | None:
        with open_project(pg.url()) as project:
            return project.info("schema_version")

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(start, range(4))) == [str(SCHEMA_VERSION)] * 4


@pytest.mark.postgres
def test_a_schema_1_database_is_upgraded_by_its_owner_only(pg: TestDatabase, tmp_path) -> None:
    anna = pg.role("anna")
    with open_project(pg.url()) as server:
        push_projects(server, [RELEASED[0]])  # the schema-1 project kept in tests/data
    init_server(pg.url(), annotators={"anna": anna})
    with open_project(pg.url()).engine.begin() as conn:  # back to what schema 1 looked like
        conn.execute(text("ALTER TABLE annotator DROP COLUMN db_role CASCADE"))
        conn.execute(text("ALTER TABLE annotator DROP COLUMN uid CASCADE"))
        conn.execute(text("ALTER TABLE article DROP COLUMN segments CASCADE"))
        conn.execute(text("ALTER TABLE annotator DROP COLUMN kind CASCADE"))
        conn.execute(text("ALTER TABLE actor DROP COLUMN merged_into CASCADE"))
        for table in (
            "assignment",
            "curation",
            "goldorigin",
            "actormerge",
            "suggestion",
            "stancemodel",
        ):
            conn.execute(text(f"DROP TABLE {table} CASCADE"))
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(text("UPDATE projectinfo SET value = '1' WHERE key = 'schema_version'"))

    with pytest.raises(ProjectError, match="only its owner can upgrade it"):
        open_project(pg.url(anna))
    with open_project(pg.url()) as project:
        assert project.info("schema_version") == str(SCHEMA_VERSION)
        with project.engine.connect() as conn:
            rev = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            columns = {c["name"] for c in inspect(conn).get_columns("annotator")}
            columns |= {f"article.{c['name']}" for c in inspect(conn).get_columns("article")}
        assert rev == revision_of(SCHEMA_VERSION) and "db_role" in columns
        assert "article.segments" in columns
        labels = labels_for_article(project, article_id(project, "v1-article"))
    assert [(lab.annotator, lab.actor, lab.state.stance, lab.state.note) for lab in labels] == [
        ("anna", "Boris Pistorius", "favor", "klar")
    ]
    open_project(pg.url()).close()  # a second open changes nothing more
