"""The CLI and the dashboard's view model answer with one rule: current control, search."""

from __future__ import annotations

import json
from pathlib import Path

from sitrep.models import current_control
from sitrep.store import Store
from sitrep.tui.model import DashboardModel
from sitrep.tui.model import current_control as tui_current_control
from tests.reliability.helpers import run_main


def _model(path: Path) -> DashboardModel:
    store = Store.open(path)
    return DashboardModel(store.claims(), store.sources(), store.settlements())


def test_current_control_is_one_rule_with_a_hand_edited_number(sample_db: Path) -> None:
    """A hand edit that leaves a number as ``as_of`` is not an observation with a date, for
    the CLI's table and the dashboard's settlements pane alike."""
    doc = json.loads(sample_db.read_text())
    lysychansk = next(s for s in doc["settlements"].values() if s["id"] == "lysychansk")
    lysychansk["control"].append({"controller": "ua", "as_of": 20230101})
    sample_db.write_text(json.dumps(doc, indent=2, ensure_ascii=False))
    code, out, _ = run_main(["--db", str(sample_db), "list", "settlements", "--json"])
    assert code == 0
    cli_view = {s["id"]: (current_control(s) or {}).get("controller") for s in json.loads(out)}
    code, table, _ = run_main(["--db", str(sample_db), "list", "settlements"])
    row = next(line for line in table.splitlines() if line.startswith("lysychansk"))
    model = _model(sample_db)
    dashboard = (tui_current_control(model.places["lysychansk"]) or {}).get("controller")
    assert cli_view["lysychansk"] == dashboard == "ru"
    assert " ru " in row


EXPRESSIONS = [
    "Лисичанськ", "hayday", "lysychans'k", "LISICHANSK", "Гайдай", "cnn", "svatove queues",
    '"new front"', "status:unv", "status:unv,disp", "!status:unverified", "status:c",
    "source:hayday", "source:haidai", "src:push", "place:lysychansk", "settlement:Лисичанськ",
    "place:svatove !status:unv", "grade:<=C", "grade:>B", "grade:=D", "rel:<C", "cred:<=3",
    "cred:>4", "cred:=1", "since:2022-09-10", "until:2022-09", "since:2022-06 until:2022-09-09",
    "tag:offensive", "!tag:withdrawal", "source:hayday place:lysychansk", "10:00", "nothing-here",
    "kreminna !hayday", "!!status:unv", "ghost", "status:unverified place:nowhere",
    "event:2022-06", "event:2022-09", "event:>=2022-07", "event:<2022-09-10", "event:<=2022-06",
    "event:>2022-06", "!event:2022-09-10", "event:2022 since:2022-09-10", "event:2022-09-10 cnn",
]
BAD_EXPRESSIONS = ["grade:<=", "status:zz", "cred:9", "since:someday", "!", "place:",
                   "event:someday", "event:>="]


def _hand_edited(path: Path) -> None:
    """The sample plus claims a hand edit could leave: an unknown source and settlement, no
    status, numbers where strings belong."""
    doc = json.loads(path.read_text())
    doc["claims"]["900"] = {"id": "c-ghost", "text": "Ghost report from Lysychansk", "source":
                            "ghost", "settlements": ["atlantis", "lysychansk"], "tags": ["X"]}
    doc["claims"]["901"] = {"id": "c-numbers", "text": 7, "source": 3, "status": 4,
                            "reported_at": 2022, "credibility": "2", "settlements": "svatove",
                            "event_at": 20220910}
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False))


def test_cli_filter_and_the_dashboard_find_the_same_claims(sample_db: Path) -> None:
    """``list claims --filter EXPR`` and the dashboard's ``/EXPR`` give the same set of ids,
    expression by expression; ``--text WORDS`` is the same as their free words."""
    _hand_edited(sample_db)
    model = _model(sample_db)
    some = 0
    for expr in EXPRESSIONS:
        model.set_query(expr)
        assert not model.query.problems, expr
        shown = {model.claims[p]["id"] for p in range(model.n) if model.is_visible(p)}
        code, out, err = run_main(["--db", str(sample_db), "list", "claims", "--filter", expr,
                                   "--json"])
        assert code == 0, (expr, err)
        assert {c["id"] for c in json.loads(out)} == shown, expr
        some += 0 < len(shown) < model.n
    assert some >= 20  # the table is not all-or-nothing
    for words in ("Лисичанськ", "hayday", "svatove queues", "lysychansk hayday"):
        model.set_query(words)
        shown = {model.claims[p]["id"] for p in range(model.n) if model.is_visible(p)}
        code, out, _ = run_main(["--db", str(sample_db), "list", "claims", "--text", words,
                                 "--json"])
        assert code == 0 and {c["id"] for c in json.loads(out)} == shown, words
    code, out, _ = run_main(["--db", str(sample_db), "list", "claims", "--text", "status:unv",
                             "--json"])
    assert code == 0 and json.loads(out) == []  # --text takes words, not key:value terms


def test_counts_from_the_issue(sample_db: Path) -> None:
    """The issue's figures (then 0 from the CLI): Лисичанськ found in 5 claims of the 15-claim
    sample, hayday in 7; the sample has grown since, so: at least those, and the dashboard's."""
    model = _model(sample_db)
    for words, at_least in (("Лисичанськ", 5), ("hayday", 7)):
        code, out, _ = run_main(["--db", str(sample_db), "list", "claims", "--text", words,
                                 "--json"])
        model.set_query(words)
        assert code == 0 and len(json.loads(out)) == model.total_visible >= at_least, words


def test_a_bad_filter_is_the_dashboard_s_message_and_exit_2(sample_db: Path) -> None:
    model = _model(sample_db)
    for expr in BAD_EXPRESSIONS:
        problems = model.set_query(expr).problems
        assert problems, expr
        code, out, err = run_main(["--db", str(sample_db), "list", "claims", "--filter", expr])
        assert code == 2 and out == "", expr
        assert all(problem in err for problem in problems), (expr, err)
