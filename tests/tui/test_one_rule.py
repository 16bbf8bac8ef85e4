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
