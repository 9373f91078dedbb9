"""The architecture holds: layers and the Qt boundary (import-linter), and what the window
loads at start."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold() -> None:
    """[tool.importlinter] in pyproject.toml: Qt only in annotator.gui; cli/gui above the
    use cases above store | nlp above the foundations; store and nlp independent; in gui,
    the lead's views and the common parts never import the annotator's desk."""
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe is not None, "import-linter is missing: pip install '.[test]'"
    done = subprocess.run([exe], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    pyproject = (REPO / "pyproject.toml").read_text("utf-8")
    contracts = pyproject.count("[[tool.importlinter.contracts]]")
    assert f"Contracts: {contracts} kept, 0 broken." in done.stdout


def test_the_window_does_not_load_spacy_or_alembic() -> None:
    """The window reads stored spans and never runs NLP; spaCy takes seconds to import."""
    code = (
        "import sys, annotator.gui.desk.main_window, annotator.gui.app; "
        "print(sorted(m for m in ('spacy', 'alembic', 'thinc', 'networkx', 'matplotlib') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=REPO, timeout=120)  # fmt: skip
    assert done.stdout.strip() == "[]"


def test_no_module_imports_itself_through_others() -> None:
    """No import cycles between the package's modules, function-level and type-checking
    imports included: a type-only cycle never runs, but it still ties the modules together
    (the window's helpers are typed against a Protocol instead, gui/desk/host.py)."""
    import grimp

    graph = grimp.build_graph("annotator", exclude_type_checking_imports=False)
    modules = sorted(graph.modules)
    cycles = []
    for module in modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if imported != module and graph.chain_exists(imported, module):
                chain = graph.find_shortest_chain(imported, module)
                cycles.append(" -> ".join([module, *(chain or [])]))
    assert not cycles, "import cycles:\n" + "\n".join(sorted(set(cycles))[:20])


# What the everyday commands must not load (issue 24): seconds of imports they never use.
HEAVY = ("spacy", "thinc", "alembic", "matplotlib", "networkx", "scipy", "trafilatura")
# `annotator --help` only lists the commands: not even the store or rich's tables.
HEAVY_FOR_HELP = (*HEAVY, "sqlalchemy", "sqlmodel", "rich")
# A fresh process runs the command as the `annotator` script does, then names the top-level
# packages it loaded (the last line, after the command's own output).
RUN_AND_LIST = (
    "import json, sys\n"
    "from annotator.cli.app import main\n"
    "try:\n"
    "    main(sys.argv[1:])\n"
    "finally:\n"
    "    print('\\nloaded:', json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
)


@pytest.fixture(scope="module")
def labelled_project(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Three articles, two annotators' labels with their history, some articles done."""
    from tests.agreement.builders import label_anna, label_ben, new_project

    path = tmp_path_factory.mktemp("cli-imports") / "project.db"
    project = new_project(path)
    label_anna(project)
    label_ben(project)
    project.close()
    return str(path)


@pytest.mark.parametrize(
    ("argv", "heavy"),
    [
        (["--help"], HEAVY_FOR_HELP),
        (["info"], HEAVY),
        (["articles"], HEAVY),
        (["history"], HEAVY),
        (["curation", "status"], HEAVY),
    ],
    ids=["--help", "info", "articles", "history", "curation status"],
)
def test_a_command_that_needs_no_nlp_does_not_load_spacy(
    argv: list[str], heavy: tuple[str, ...], labelled_project: str
) -> None:
    """`annotator info` and friends start fast: spaCy (seconds), Alembic (only to upgrade an
    older project), the network libraries and the HTML reader only for the commands that
    use them; `--help` loads neither the store nor rich."""
    db = [] if argv == ["--help"] else ["--db", labelled_project]
    done = subprocess.run([sys.executable, "-c", RUN_AND_LIST, *db, *argv],
                          capture_output=True, text=True, cwd=REPO, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    output, _, listed = done.stdout.rpartition("\nloaded: ")
    assert output.strip(), "the command printed nothing"
    loaded = set(json.loads(listed))
    assert "typer" in loaded  # the list is real: the command line itself is there
    assert sorted(loaded & set(heavy)) == []


OWN_STORAGE = ("annotator/store/", "annotator/server/")
LABEL_TABLE = re.compile(r"\b(StanceAnnotation|stanceannotation)\b")
# A write of a label, gold, curation, done mark, history or actor-merge row: a Core
# insert/update/delete on the table, or an ORM object of it added to a session.
WRITE = re.compile(
    r"\b(insert|update|delete)\(\s*(sa_table\(|_t\()?(m\.|models\.)?"
    r"(StanceAnnotation|Evidence|GoldOrigin|Curation|LabelEvent|ArticleDone|ActorMerge)\b"
    r"|\.add\(\s*(m\.|models\.)?(StanceAnnotation|Evidence|GoldOrigin|Curation|LabelEvent"
    r"|ArticleDone|ActorMerge)\("
)


def _package_sources() -> list[tuple[str, str]]:
    return [
        (str(path.relative_to(REPO)), path.read_text(encoding="utf-8"))
        for path in sorted((REPO / "annotator").rglob("*.py"))
    ]


def test_only_the_store_names_the_label_table() -> None:
    """Labels are read through store/label_reads.py and written through store/labels.py:
    outside store/ (and the team-mode SQL in server/) no module names their table."""
    naming = [name for name, text in _package_sources()
              if not name.startswith(OWN_STORAGE) and LABEL_TABLE.search(text)]  # fmt: skip
    assert naming == []


def test_only_the_store_writes_labels_gold_curation_and_history() -> None:
    writing = [
        f"{name}: {match.group(0)}"
        for name, text in _package_sources()
        if not name.startswith(OWN_STORAGE)
        for match in WRITE.finditer(text)
    ]
    assert writing == []


def test_the_guards_see_a_write_and_a_name() -> None:
    """The two checks above can fail: they recognise what they look for."""
    assert WRITE.search("s.execute(insert(sa_table(GoldOrigin)).values(x=1))")
    assert WRITE.search("s.add(ArticleDone(article_id=1))")
    assert LABEL_TABLE.search("select(StanceAnnotation.id)")
