"""Every way to lose or corrupt data that issue 11 found, each as a test that failed before.

Each test names the finding. "Refused" means: one clear line on stderr (or a specific
exception from the core), a non-zero exit, and the project byte-for-byte and row-for-row as
it was (tests/safety/refusal.py).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import func, select

from annotator.codebook import load_codebook
from annotator.errors import AnnotatorError, CodebookError, InputError
from annotator.export import export
from annotator.files import PART_SUFFIX
from annotator.ingest import importer
from annotator.store.actors import add_manual_mention
from annotator.store.annotators import get_or_create_annotator
from annotator.store.engine import open_project
from annotator.store.labels import CellKey, CellState, put_cell
from annotator.store.merge import merge_projects
from annotator.store.models import Actor, ActorAlias, Article, Evidence, StanceAnnotation
from tests.conftest import add_actor, add_article
from tests.safety.conftest import REPO, writer_env
from tests.safety.refusal import (
    assert_one_clear_line,
    assert_refused,
    make_labelled_project,
    run_cli,
    snapshot,
)


@pytest.fixture
def labelled(tmp_path: Path) -> str:
    return make_labelled_project(tmp_path / "project.db")


# ------------------------------------------------------------------ export over files


@pytest.mark.parametrize("companion", ["", "-wal", "-shm", "-journal"])
def test_export_onto_the_project_or_its_companions_is_refused(
    labelled: str, companion: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = labelled + companion
    assert_refused(labelled, ["export", "--format", "documents", "-o", target], capsys,
                   "project's own file")  # fmt: skip
    assert Path(labelled).stat().st_size > 0


def test_export_onto_another_project_is_refused(
    labelled: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = make_labelled_project(tmp_path / "other.db")
    before = snapshot(other)
    assert_refused(labelled, ["export", "--format", "stances", "-o", other], capsys, "database")
    assert snapshot(other) == before


@pytest.mark.parametrize("kind", ["char device", "fifo", "folder"])
def test_export_never_replaces_a_device_a_pipe_or_a_folder(
    labelled: str, tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out"
    if kind == "char device":
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root (CI runs as root)")
        os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a second /dev/null
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target.mkdir()
    mode = target.stat().st_mode
    assert_refused(labelled, ["export", "--format", "documents", "-o", str(target)], capsys,
                   "not a regular file|is a folder")  # fmt: skip
    assert target.stat().st_mode == mode  # still the device / pipe / folder


def test_agreement_csv_onto_the_project_is_refused(
    labelled: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert_refused(labelled, ["agreement", "--csv", labelled], capsys, "project's own file")


def test_import_of_the_project_file_itself_is_refused(
    labelled: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert_refused(labelled, ["import", labelled], capsys, "project file itself")


# ------------------------------------------------------------------ leftovers of killed runs

_HOLD_OPEN = """
import os, sys
from annotator.files import pending_file
with pending_file(sys.argv[1]) as pending:
    pending.path.write_bytes(b"x" * 1000)
    os.write(1, (str(pending.path) + "\\n").encode())
    sys.stdin.read()  # until the test kills us
"""


def _writer_killed_mid_write(target: Path) -> Path:
    """A real process writing `target`, SIGKILLed mid-write: its temporary file is left."""
    proc = subprocess.Popen([sys.executable, "-c", _HOLD_OPEN, str(target)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env=writer_env(), cwd=REPO)  # fmt: skip
    assert proc.stdout is not None
    part = Path(proc.stdout.readline().strip())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    return part


def test_a_killed_export_leaves_nothing_behind_after_the_next_run(
    labelled: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "exports"
    out.mkdir()
    part = _writer_killed_mid_write(out / "stances.jsonl")
    assert part.exists() and part.name.endswith(PART_SUFFIX)
    code, err, _ = run_cli(["--db", labelled, "export", "--format", "stances", "-o",
                            str(out / "stances.jsonl")], capsys)  # fmt: skip
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["stances.jsonl"]


def test_a_temporary_file_still_being_written_is_kept(tmp_path: Path) -> None:
    from annotator.files import clean_leftovers, pending_file

    with pending_file(tmp_path / "a.jsonl") as pending:
        assert clean_leftovers(tmp_path) == []
        assert pending.path.exists()


def test_a_killed_backup_leaves_nothing_behind_after_the_next_run(
    labelled: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    part = _writer_killed_mid_write(folder / "project.db.backup")
    assert part.exists()
    code, err, out = run_cli(["--db", labelled, "backup", str(folder)], capsys)
    assert code == 0, err
    assert [p for p in folder.iterdir() if p.name.startswith(".")] == []


# ------------------------------------------------------------------ names and patterns

LONG = "Vereinigung " * 50  # 600 characters


def _jsonl(path: Path, *records: dict) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n",
                    encoding="utf-8")  # fmt: skip
    return path


def test_a_labelled_import_with_an_absurdly_long_actor_name_is_refused(
    labelled: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "Die Vereinigung fordert mehr Geld."
    stance = {"actor": LONG, "annotator": "ben", "target": "defence_spending", "stance": "favor"}
    src = _jsonl(tmp_path / "in.jsonl", {"id": "x", "text": text, "stances": [stance]})
    assert_refused(labelled, ["import", str(src)], capsys, "at most 200")


def test_an_absurd_name_already_stored_does_not_break_later_imports(
    labelled: str, tmp_path: Path
) -> None:
    # A project written before the limit may hold one: the highlighter must still build.
    with open_project(labelled, create=False) as project:
        with project.write() as s:
            actor = Actor(name="Vereinigung", type="org", label="ORG", origin="manual")
            s.add(actor)
            s.flush()
            s.add(ActorAlias(actor_id=actor.id, alias="V" * 4000))
        src = _jsonl(tmp_path / "in.jsonl", {"id": "n", "text": "Die Vereinigung tagt."})
        report = importer.import_paths(project, [src])
    assert report.added == 1


def test_marking_a_whole_paragraph_as_an_actor_is_refused(labelled: str) -> None:
    with open_project(labelled, create=False) as project:
        text = "Pistorius sagt: " + "viel " * 100
        article = add_article(project, "long", text)
        with pytest.raises(InputError, match="at most 200"):
            add_manual_mention(project, article, 0, len(text), actor_name="Pistorius")
        with project.session() as s:
            assert s.exec(select(func.count()).select_from(ActorAlias)).one() == 0


def test_a_codebook_with_an_absurd_cue_word_is_refused(tmp_path: Path) -> None:
    book = (REPO / "resources" / "codebook.toml").read_text(encoding="utf-8")
    bad = tmp_path / "codebook.toml"
    bad.write_text(book.replace("cues = [", f'cues = ["{LONG}", ', 1), encoding="utf-8")
    with pytest.raises(CodebookError, match="at most 200"):
        load_codebook(bad)


# ------------------------------------------------------------------ merge


def _copy_with_sql(src: str, dest: Path, *sql: str) -> Path:
    shutil.copy(src, dest)
    conn = sqlite3.connect(dest)
    try:
        for statement in sql:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()
    return dest


@pytest.fixture
def lead(tmp_path: Path) -> str:
    path = tmp_path / "lead.db"
    open_project(str(path)).close()
    return str(path)


@pytest.mark.parametrize(
    ("sql", "match"),
    [
        ("UPDATE stanceannotation SET target = 'pizza'", "target 'pizza'"),
        ("UPDATE stanceannotation SET stance = 'maybe'", "stance 'maybe'"),
        ('UPDATE evidence SET "end" = 100000', "evidence .* outside the text"),
        ('UPDATE mention SET "end" = 100000', "outside the text"),
        ("UPDATE actor SET name = '" + "x" * 600 + "'", "at most 200"),
        ("UPDATE article SET text = 'anders'", "does not match its hash"),
        ("UPDATE article SET meta = '{\"x\": NaN}'", "not valid JSON|not a JSON"),
    ],
)
def test_merge_checks_every_label_like_an_import(
    labelled: str, lead: str, tmp_path: Path, sql: str, match: str,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    if "mention" in sql:  # the labelled project has no mention yet
        with open_project(labelled, create=False) as project:
            add_manual_mention(project, 1, 0, 9, actor_name="Boris Pistorius")
    bad = _copy_with_sql(labelled, tmp_path / "bad.db", sql)
    line = assert_refused(lead, ["merge", labelled, str(bad)], capsys, match)
    assert "bad.db" in line and "nothing was merged" in line


def test_a_damaged_second_file_merges_nothing_and_is_the_one_named(
    labelled: str, lead: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damaged = tmp_path / "damaged.db"
    shutil.copy(labelled, damaged)
    conn = sqlite3.connect(damaged)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(damaged.read_bytes())
    data[2 * page + 8 : 3 * page] = os.urandom(page - 8)  # page 3's cells: garbage
    damaged.write_bytes(bytes(data))
    line = assert_refused(lead, ["merge", labelled, str(damaged)], capsys, "damaged")
    assert "damaged.db" in line and "project.db" not in line.split("damaged.db")[0]


def test_a_namesake_does_not_overwrite_another_annotators_labels(
    labelled: str, lead: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Ben's own project, in which he also calls himself "anna" (so his own identity), with
    # a newer label on the same cell: before, it replaced anna's ("taken from the file").
    ben = _copy_with_sql(
        labelled,
        tmp_path / "ben.db",
        "UPDATE annotator SET uid = 'ben-uid'",
        "UPDATE stanceannotation SET stance = 'against', updated_at = '2999-01-01'",
    )
    code, err, _ = run_cli(["--db", lead, "merge", labelled], capsys)
    assert code == 0, err
    line = assert_refused(lead, ["merge", str(ben)], capsys, "not the 'anna' of this project")
    assert "--rename anna=" in line
    code, err, out = run_cli(["--db", lead, "merge", str(ben), "--rename", "anna=anna-ben"], capsys)
    assert code == 0, err
    with open_project(lead, create=False) as project, project.session() as s:
        rows = s.exec(select(StanceAnnotation.stance, StanceAnnotation.annotator_id)).all()
    assert sorted(r[0] for r in rows) == ["against", "favor"]  # both kept, side by side


def test_merging_a_file_while_it_is_written_reads_one_commit(tmp_path: Path, lead: str) -> None:
    """A writer process flips a label between two states, each one commit changing stance,
    evidence and note; every merge must see one state whole, never a mix."""
    db = make_labelled_project(tmp_path / "busy.db")
    states = {
        "favor": ((0, 9), (10, 14), "A"),
        "against": ((20, 25), (30, 35), "B"),
    }
    script = f"""
import os, sys
from annotator.store.engine import open_project
from annotator.store.labels import CellKey, CellState, put_cell
from annotator.store.annotators import get_or_create_annotator
states = {states!r}
project = open_project({db!r}, create=False)
anna = get_or_create_annotator(project, "anna")
key = CellKey(1, 1, "defence_spending")
for n in range(1 << 30):
    for stance, (a, b, note) in states.items():
        put_cell(project, anna, key, CellState(stance, (a, b), note))
    if n == 0:
        os.write(1, b"ready\\n")
"""
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                            env=writer_env(), cwd=REPO)  # fmt: skip
    try:
        assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
        with open_project(lead, create=False) as project:
            for _ in range(10):
                merge_projects(project, [db])
                with project.session() as s:
                    (label,) = s.exec(select(StanceAnnotation)).all()
                    spans = tuple(sorted(
                        (e.start, e.end) for e in s.exec(
                            select(Evidence).where(Evidence.annotation_id == label.id))
                    ))  # fmt: skip
                a, b, note = states[label.stance]
                assert (spans, label.note) == ((a, b), note), f"mixed commits: {label} {spans}"
    finally:
        proc.kill()
        proc.wait(timeout=30)


# ------------------------------------------------------------------ import


_CLI = "import sys; from annotator.cli.app import main; main(sys.argv[1:])"


def test_two_imports_of_the_same_texts_at_once_store_each_text_once(
    tmp_path: Path, labelled: str
) -> None:
    texts = [f"Boris Pistorius sagte am Tag {i}: mehr Geld." for i in range(300)]
    files = []
    for who in ("a", "b"):  # the same texts under different ids
        records = ({"id": f"{who}-{i}", "text": t} for i, t in enumerate(texts))
        files.append(_jsonl(tmp_path / f"{who}.jsonl", *records))
    files.append(files[0])  # and the same file twice
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _CLI, "--db", labelled, "import", str(f)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=writer_env(),
            cwd=REPO,
        )  # fmt: skip
        for f in files
    ]
    outcomes = [p.communicate(timeout=300) + (p.returncode,) for p in procs]
    for _out, err, code in outcomes:
        assert code == 0, err  # never "unexpected IntegrityError"
    conn = sqlite3.connect(labelled)
    try:
        rows = conn.execute("SELECT count(*), count(DISTINCT text_sha256) FROM article").fetchone()
    finally:
        conn.close()
    assert rows == (301, 301)  # the labelled project's one article plus each text once


def test_a_file_that_changes_during_the_import_is_refused(labelled: str, tmp_path: Path) -> None:
    text = "Pistorius sagt etwas."
    src = _jsonl(tmp_path / "in.jsonl", {"id": "n", "text": text, "stances": [
        {"actor": "Boris Pistorius", "annotator": "ben", "target": "defence_spending",
         "stance": "favor"}]})  # fmt: skip

    def swap_after_the_check(done: int, total: int) -> None:
        if done == 0:  # pass 1 has checked the file; now it changes
            _jsonl(src, {"id": "n", "text": text, "stances": [
                {"actor": "Boris Pistorius", "annotator": "ben", "target": "pizza",
                 "stance": "maybe"}]})  # fmt: skip

    with open_project(labelled, create=False) as project:
        with pytest.raises(InputError, match="target 'pizza'"):
            importer.import_paths(project, [src], progress=swap_after_the_check)
        with project.session() as s:
            assert s.exec(select(func.count()).select_from(Article)).one() == 1


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_in_metadata_is_refused_at_import(
    labelled: str, tmp_path: Path, constant: str, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "n", "text": "Ein Text.", "meta": {"score": ' + constant + "}}\n",
                   encoding="utf-8")  # fmt: skip
    assert_refused(labelled, ["import", str(src)], capsys, f"in.jsonl:1: .*{constant}")


def test_metadata_nested_900_deep_is_refused_at_import(
    labelled: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meta = '{"a": ' * 900 + "1" + "}" * 900
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "n", "text": "Ein Text.", "meta": ' + meta + "}\n", encoding="utf-8")
    assert_refused(labelled, ["import", str(src)], capsys, "nested")


@pytest.mark.parametrize(
    ("meta", "fmt"), [({"score": math.nan}, "documents"), ({"score": math.inf}, "spacy")]
)
def test_bad_metadata_stored_by_an_older_version_is_a_clear_export_error(
    tmp_path: Path, meta: dict, fmt: str
) -> None:
    with open_project(str(tmp_path / "p.db")) as project:
        with project.write() as s:
            s.add(Article(external_id="old", title="T", text="Ein Text.", meta=meta,
                          text_sha256="h"))  # fmt: skip
        with pytest.raises(AnnotatorError, match="article 'old'.*cannot be exported"):
            export(project, load_codebook(), fmt, tmp_path / f"out.{fmt}")
    assert not (tmp_path / f"out.{fmt}").exists()


def test_a_damaged_page_is_one_clear_line(
    labelled: str, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(labelled)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'article'").fetchone()[0]
    conn.close()
    data = bytearray(Path(labelled).read_bytes())
    start = (root - 1) * page
    data[start : start + page] = b"\xff" * page  # the article table's page: garbage
    Path(labelled).write_bytes(bytes(data))
    code, err, _ = run_cli(["--db", labelled, "articles"], capsys)
    assert_one_clear_line(code, err, "damaged|malformed")


def test_labels_written_by_the_labelling_path_have_a_history(labelled: str) -> None:
    """The single writer: every stored label has the event that made it (import included)."""
    with open_project(labelled, create=False) as project:
        anna = get_or_create_annotator(project, "anna")
        actor = add_actor(project, "Carlo Masala")
        put_cell(project, anna, CellKey(1, actor, "ground_troops"), CellState("neutral"))
    conn = sqlite3.connect(labelled)
    try:
        orphans = conn.execute(
            "SELECT count(*) FROM stanceannotation s WHERE NOT EXISTS (SELECT 1 FROM labelevent"
            " e WHERE e.annotator_id = s.annotator_id AND e.article_id = s.article_id"
            " AND e.actor_id = s.actor_id AND e.target = s.target)"
        ).fetchone()[0]
    finally:
        conn.close()
    assert orphans == 0
