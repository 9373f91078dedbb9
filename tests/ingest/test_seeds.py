"""The shipped highlighted seeds equal what importing seeds/ with the shipped model gives,
and the first start of the default project uses them without running the model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from annotator.ingest.importer import import_paths
from annotator.ingest.seeds import HIGHLIGHTED, seed_sources
from annotator.paths import resource, seeds_dir
from annotator.store.articles import article_ids, load_article
from annotator.store.engine import Project, open_project


def _content(project: Project) -> list[tuple]:
    out = []
    for aid in article_ids(project):
        a = load_article(project, aid)
        out.append(
            (
                a.external_id, a.title, a.text, a.source, a.date, a.url,
                tuple(a.sentences), tuple(a.boilerplate),
                tuple((m.start, m.end, m.label, m.actor, m.source) for m in a.mentions),
            )
        )  # fmt: skip
    return out


def test_shipped_file_equals_importing_the_seed_texts(tmp_path: Path) -> None:
    assert seed_sources(None) == [resource(HIGHLIGHTED)]
    with (
        open_project(str(tmp_path / "a.db")) as fresh,
        open_project(str(tmp_path / "b.db")) as shipped,
    ):
        import_paths(fresh, [seeds_dir()])
        import_paths(shipped, [resource(HIGHLIGHTED)])
        want, got = _content(fresh), _content(shipped)
    assert len(want) == len(list(seeds_dir().glob("*.txt")))
    assert sum(len(row[-1]) for row in want) > 50, "the seeds have actors highlighted"
    # When this fails the highlighter or the importer changed: write the file again with
    # `python -m annotator.ingest.seeds`.
    assert got == want


def test_another_model_imports_the_texts() -> None:
    assert seed_sources("de_core_news_sm") == [seeds_dir()]


def test_first_start_loads_no_model(tmp_path: Path) -> None:
    """A real first start of the default project in a fresh home: the seeds are in, and no
    model was loaded on the way (only spaCy's blank tokenizer, for the sentences)."""
    code = (
        "import spacy, spacy.util\n"
        "def refuse(*a, **k): raise SystemExit('a model was loaded')\n"
        "spacy.load = spacy.util.load_model = refuse\n"
        "import annotator.nlp.model as m\n"
        "m.load_model = refuse\n"
        "from annotator.project import open_for_use\n"
        "from annotator.store.articles import count_articles\n"
        "print(count_articles(open_for_use(None)))\n"
    )
    env = {"ANNOTATOR_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == len(list(seeds_dir().glob("*.txt")))
