"""The keymap: one Textual-free table the bindings are built from, checked key names, a
notification in the app and ``sitrep keys`` for the problems of ``keymap.toml``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from textual.binding import Binding

from sitrep.keymap import KEYMAP, SPECS, check_keymap, effective, load_keymap
from sitrep.tui.app import SitrepApp
from sitrep.tui.keynames import key_problem
from sitrep.tui.screens.help_screen import HelpScreen
from sitrep.tui.screens.import_log import ImportLogScreen
from sitrep.tui.screens.import_modal import ImportModal
from sitrep.tui.screens.input_modal import InputModal
from sitrep.tui.screens.resolve_modal import ResolveModal
from sitrep.tui.widgets.claims_pane import ClaimsPane
from sitrep.tui.widgets.detail_pane import DetailPane
from sitrep.tui.widgets.row_list import RowList
from sitrep.tui.widgets.settlements_pane import SettlementsPane
from sitrep.tui.widgets.verification_pane import VerificationPane

from .conftest import ready

TYPOS = ('[keys]\n"status.confirmd" = "V"\n"list.down" = "j,pgdn"\n"app.quit" = "ctlr+q"\n'
         '"status.false" = "X"\n')


def _bindings_with_ids() -> list[Binding]:
    classes = [SitrepApp, RowList, SettlementsPane, ClaimsPane, VerificationPane, DetailPane,
               HelpScreen, ImportLogScreen, ImportModal, InputModal, ResolveModal]
    return [b for cls in classes for b in cls.BINDINGS if isinstance(b, Binding) and b.id]


def test_every_binding_is_built_from_the_one_table() -> None:
    bindings = _bindings_with_ids()
    assert {b.id for b in bindings} == set(SPECS)
    for b in bindings:
        assert (b.key, b.description) == (SPECS[b.id].keys, SPECS[b.id].description), b.id


def test_key_names_are_textual_s_own() -> None:
    """Every default key is a name Textual knows; typos are not (checked without Textual)."""
    for entry in KEYMAP:
        for key in entry.keys.split(","):
            assert key_problem(key) is None, (entry.id, key)
    for good in ("V", "ctrl+n", "pagedown", "question_mark", "f5", "shift+tab", "slash"):
        assert key_problem(good) is None, good
    for bad in ("pgdn", "ctlr+n", "ctrl+nope", "left_sqare_bracket"):
        assert key_problem(bad), bad


def test_checking_key_names_does_not_load_textual() -> None:
    code = ("import sys; from sitrep.cli.keys import keymap_problems; keymap_problems();"
            " print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


def test_loader_reports_each_problem(tmp_path: Path) -> None:
    path = tmp_path / "keymap.toml"
    path.write_text(TYPOS + '"app.help" = 5\n')
    raw, problems = load_keymap(path)
    assert problems == [f"{path}: keys for 'app.help' must be a string"]
    usable, problems = check_keymap(raw, path, key_problem)
    assert usable == {"status.false": "X"}
    assert len(problems) == 3
    assert "unknown binding id 'status.confirmd'" in problems[0]
    assert "'pgdn'" in problems[1] and "'ctlr+q'" in problems[2]
    assert [s.keys for s in effective(usable) if s.id == "status.false"] == ["X"]


def _keys_cli(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CONFIG_HOME": str(config)}
    return subprocess.run([sys.executable, "-m", "sitrep", "keys", *args], env=env,
                          capture_output=True, text=True, timeout=60)


def test_sitrep_keys_lists_the_keymap_and_exits_1_on_problems(tmp_path: Path) -> None:
    clean = _keys_cli(tmp_path)
    assert clean.returncode == 0, clean.stderr
    assert "status.confirmed" in clean.stdout and "Confirmed" in clean.stdout
    (tmp_path / "sitrep").mkdir()
    (tmp_path / "sitrep" / "keymap.toml").write_text(TYPOS)
    typos = _keys_cli(tmp_path, "--json")
    assert typos.returncode == 1
    rows = {r["id"]: r for r in json.loads(typos.stdout)}
    assert rows["status.false"]["keys"] == ["X"] and rows["status.false"]["remapped"]
    assert rows["list.down"]["keys"] == ["j", "down"]  # the default stays
    problems = typos.stderr.splitlines()
    assert len(problems) == 3 and all(p.startswith("sitrep: ") for p in problems)
    assert "status.confirmd" in problems[0]


async def test_the_app_names_a_typo_in_a_notification(db: Path, make_app, tmp_path: Path):
    (tmp_path / "config").mkdir(exist_ok=True)
    (tmp_path / "config" / "keymap.toml").write_text(TYPOS)
    app = make_app(db)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot, app)
        messages = "\n".join(n.message for n in app._notifications)
        await pilot.press("q")
    assert "unknown binding id 'status.confirmd'" in messages
    assert "'pgdn'" in messages and "'ctlr+q'" in messages


def test_the_renamed_collapse_ids_still_remap_their_keys() -> None:
    # "fold" means the journal folded into the file; a group collapses. keymap.toml files
    # written before the rename keep working.
    usable, problems = check_keymap({"claims.fold": "z", "claims.unfold": "x",
                                     "claims.fold_all": "O"}, None, key_problem)
    assert problems == []
    assert usable == {"claims.collapse": "z", "claims.expand": "x", "claims.collapse_all": "O"}
