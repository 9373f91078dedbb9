"""Merging other project files into this one (the lead's project).

A file is one coder's work by default (a package, or a coder's own project file):
- it must hold exactly one person's work (labels, done marks, history) with that person's
  identity (uid), and no gold standard, curation states or other annotators; a file that
  does not is refused, naming the problem (a hand-edited package cannot forge gold or
  label under someone else's name);
- her identity decides who she is here: a uid this project gives to someone else, or a
  namesake with another uid, is refused (`renames={"anna": "anna-2"}`, `--rename`);
- in a planned project only her labels and done marks in the articles planned for her
  are taken; the rest is counted and named in the summary ("NOT taken");
- the later `updated_at` wins; what she cleared or un-marked after the lead's copy was made
  (her history says when) is cleared here too; times from the future are taken as now,
  with a warning;
- actors come along by name (a merged-away actor's name leads to the actor it became),
  with aliases and hand-marked mentions; a new actor's name or alias must pass the rule for
  text marked by hand (limits.check_marked_text: at least 2 characters, no stop word), as
  every later highlighting looks for it; articles by external id and text hash (same id,
  other text: reported, not merged).

`whole_project=True` (`merge --whole-project`, `server push`) merges a project the lead
trusts, e.g. an older project of their own: every annotator, the gold standard with its
provenance (store/merge_gold.py) and curation states too.

Merging only adds and updates, and merging twice changes nothing. Every file is copied and
checked before anything is written (store/merge_source.py), and all files are written in
one transaction: either every file is merged or none is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path

from sqlalchemy.exc import DatabaseError, OperationalError

from annotator.codebook import Codebook, load_codebook
from annotator.errors import AnnotatorError, InputError, ProjectError
from annotator.files import scratch_folder
from annotator.progress import Progress
from annotator.store.annotators import check_person_name
from annotator.store.engine import Project
from annotator.store.merge_report import FileMerge, IdentityConflict, MergeReport
from annotator.store.merge_source import opened, reason
from annotator.store.merge_write import FileWriter

__all__ = ["FileMerge", "IdentityConflict", "MergeReport", "merge_projects"]


def merge_projects(
    target: Project,
    others: Sequence[str | Path],
    *,
    codebook: Codebook | None = None,
    renames: Mapping[str, str] | None = None,
    whole_project: bool = False,
    progress: Progress | None = None,
) -> MergeReport:
    """Merge the other project files into `target`; see the module docstring for the rules.

    `renames` maps an annotator name in the other files to the name their labels get here.
    """
    codebook = codebook or load_codebook()
    renames = {k: check_person_name(v) for k, v in (renames or {}).items()}
    # A scratch folder of the tool's own: a killed merge's snapshots go at the next run.
    with scratch_folder("merge") as tmp, ExitStack() as stack:
        sources = [
            (str(other), stack.enter_context(opened(other, target, Path(tmp), codebook)))
            for other in others
        ]  # every file is copied and checked before anything is written
        report = MergeReport()
        if progress:
            progress(0, len(sources))
        try:
            with target.write() as s:
                for done, (name, engine) in enumerate(sources, start=1):
                    with engine.connect() as conn:
                        result = FileMerge(path=name)
                        FileWriter(s, conn, result, renames, whole_project=whole_project).run()
                    report.files.append(result)
                    if progress:
                        progress(done, len(sources))
        except (IdentityConflict, InputError, ProjectError):
            raise
        except (DatabaseError, OperationalError, AnnotatorError) as exc:
            raise ProjectError(
                f"merging failed and the project was left unchanged: {reason(exc)}"
            ) from None
        return report
