"""`annotator suggest --help` says whose part each of its jobs is in team mode, as its
refusals do (tests/postgres/test_suggestion_guards.py runs those against a server)."""

from __future__ import annotations

from tests.cli.test_cli import run


def test_suggest_help_says_who_may_compute_and_switch(capsys) -> None:
    code, out, err = run(["suggest", "--help"], capsys)
    assert code == 0, err
    said = " ".join(out.split())
    # Computing and storing: the lead's (or the owner's); an annotator's window makes its own.
    assert "on a team server the lead's (or the owner's) part" in said, said
    assert "the window works out the rules' suggestions" in said, said
    # The switches write the project's settings: the owner's alone.
    for switch in ("--on / --off", "--on-overlap / --not-on-overlap"):
        after = said.split(switch, 1)[1]
        assert "on a team server only the owner" in after.split(" --", 1)[0], after


def test_train_stance_help_says_it_is_a_leads_on_a_server(capsys) -> None:
    code, out, err = run(["train-stance", "--help"], capsys)
    assert code == 0, err
    assert "On a team server a lead's (or the owner's) part" in " ".join(out.split()), out
