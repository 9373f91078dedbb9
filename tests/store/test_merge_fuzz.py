"""Fuzzing merge sources, as tests/ingest/test_fuzz.py fuzzes the importers.

An annotator's project file is changed row by row the way a bug, another tool or a
hand-edit could change it; merging it must either work and leave a project every reader
can use (agreement, export), or be refused (InputError, ProjectError) and change nothing.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.agreement import agreement_report
from annotator.codebook import load_codebook
from annotator.errors import ConflictError, InputError, ProjectError
from annotator.export import export
from annotator.store.engine import open_project
from annotator.store.merge import merge_projects
from tests.conftest import sized
from tests.safety.refusal import make_labelled_project, snapshot

CODEBOOK = load_codebook()
STANCES = CODEBOOK.stance_ids
METAS = ["{}", '{"a": NaN}', "[1]", "null", '{"a": {"b": 1}}', "x"]

texts = st.one_of(
    st.sampled_from(["", " ", "anna", "x" * 300, "a\nb", "Boris Pistorius", "favor", "pizza"]),
    st.text(max_size=30),
)
numbers = st.one_of(st.integers(-5, 60), st.sampled_from([10**6, -(10**9)]))
# (table, column, values): what a damaged or foreign file may hold in that column.
CHANGES = [
    ("stanceannotation", "target", st.one_of(texts, st.sampled_from(CODEBOOK.target_ids))),
    ("stanceannotation", "stance", st.one_of(st.none(), texts, st.sampled_from(STANCES))),
    ("stanceannotation", "note", st.one_of(st.none(), texts)),
    ("stanceannotation", "actor_id", numbers),
    ("stanceannotation", "article_id", numbers),
    ("evidence", "start", numbers),
    ("evidence", "end", numbers),
    ("annotator", "name", texts),
    ("annotator", "uid", st.one_of(st.none(), texts)),
    ("actor", "name", texts),
    ("actor", "label", st.one_of(texts, st.sampled_from(["PER", "ORG", "LOC", "MISC"]))),
    ("actoralias", "alias", texts),
    ("article", "text", texts),
    ("article", "external_id", texts),
    ("article", "meta", st.sampled_from(METAS)),
    ("mention", "start", numbers),
    ("mention", "label", st.one_of(texts, st.just("PER"))),
    ("mention", "source", st.one_of(texts, st.just("manual"))),
    ("articledone", "annotator_id", numbers),
]  # fmt: skip


@st.composite
def edits(draw: st.DrawFn) -> list[tuple[str, str, object]]:
    chosen = draw(st.lists(st.sampled_from(range(len(CHANGES))), min_size=1, max_size=3))
    return [(CHANGES[i][0], CHANGES[i][1], draw(CHANGES[i][2])) for i in chosen]


@settings(
    max_examples=sized(15, 120),  # CI: 120 (--full)
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(changes=edits())
def test_a_damaged_or_foreign_file_merges_cleanly_or_changes_nothing(
    tmp_path_factory, changes: list[tuple[str, str, object]]
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    source = Path(make_labelled_project(folder / "anna.db"))
    conn = sqlite3.connect(source)
    conn.execute("INSERT INTO mention (article_id, start, \"end\", label, actor_id, source) "
                 "VALUES (1, 0, 9, 'PER', 1, 'manual')")  # fmt: skip
    conn.execute("INSERT INTO actoralias (actor_id, alias) VALUES (1, 'Pistorius')")
    for table, column, value in changes:
        # The file's own constraints may refuse a change: such a file cannot exist.
        with contextlib.suppress(sqlite3.IntegrityError):
            conn.execute(f'UPDATE {table} SET "{column}" = ?', (value,))
    conn.commit()
    conn.close()
    lead_path = folder / "lead.db"
    shutil.copy(make_labelled_project(folder / "lead-template.db"), lead_path)
    before = snapshot(lead_path)
    lead = open_project(str(lead_path), create=False)
    try:
        merge_projects(lead, [source], codebook=CODEBOOK)
    except (ConflictError, InputError, ProjectError):
        lead.close()
        assert snapshot(lead_path) == before, f"a refused merge changed the project: {changes}"
        return
    try:
        # Whatever came in, every reader of the project still works.
        agreement_report(lead, CODEBOOK, bootstrap=0)
        export(lead, CODEBOOK, "documents", folder / "out.jsonl")
        export(lead, CODEBOOK, "stances", folder / "out-stances.jsonl")
    finally:
        lead.close()
