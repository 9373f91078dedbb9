"""What a user installs: the wheel holds the NER model, the lexicon, the codebook and the
seeds, and the installed package highlights with the model from inside itself, offline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from hatchling.builders.wheel import WheelBuilder

REPO = Path(__file__).resolve().parent.parent

# Runs against the unpacked wheel only: the repository is not on the path, nothing may be
# fetched (no proxy reaches anything), and the model must come from the package's _data.
SCRIPT = """
import json, sys
import annotator
from annotator.nlp.model import model_location
from annotator.nlp.pipeline import load_highlighter
text = "Der Sportwagenhersteller Porsche und Boris Pistorius reagierten."
found = [(text[m.start:m.end], m.label) for m in load_highlighter().highlight(text)]
print(json.dumps({"package": annotator.__file__, "model": model_location(None), "found": found}))
"""


def test_the_installed_wheel_highlights_with_its_own_model(tmp_path: Path) -> None:
    (wheel,) = WheelBuilder(str(REPO)).build(directory=str(tmp_path), versions=["standard"])
    assert Path(wheel).stat().st_size < 30_000_000  # the size limit, with everything
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(site)
    model = "annotator/_data/resources/models/de_stance_ner"
    shipped = ("meta.json", "LICENSE", "ATTRIBUTION.md", "tok2vec/model", "ner/model")
    clusters = ("vocab/key2row", "vocab/vectors", "LICENSE.spacy-lookups-data")
    for name in (*shipped, *clusters):
        assert f"{model}/{name}" in names
    assert "annotator/_data/resources/actors.toml" in names
    assert any(n.startswith("annotator/_data/seeds/") for n in names)
    assert not any(n.startswith(("training/", "tests/")) for n in names)

    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env |= {"PYTHONPATH": str(site), "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY":
            "http://127.0.0.1:9", "ANNOTATOR_HOME": str(tmp_path / "home")}  # fmt: skip
    out = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r})\n{SCRIPT}"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    result = json.loads(out.stdout.splitlines()[-1])
    assert result["package"].startswith(str(site))
    assert result["model"] == str(site / model)
    assert ["Porsche", "ORG"] in result["found"]  # only the model knows it
    assert ["Boris Pistorius", "PER"] in result["found"]
