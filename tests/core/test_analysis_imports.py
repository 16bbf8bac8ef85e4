"""sitrep.analysis is pure: it imports only the standard library, models, dates (and the errors
dates raises), and itself."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ANALYSIS = Path(__file__).resolve().parents[2] / "sitrep" / "analysis"
ALLOWED = {"sitrep.models", "sitrep.dates", "sitrep.errors"}


def test_analysis_imports_only_models_dates_and_itself() -> None:
    offenders = []
    for path in sorted(ANALYSIS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top == "__future__":
                    continue
                if name in ALLOWED or name.startswith("sitrep.analysis"):
                    continue
                if name == "sitrep" and isinstance(node, ast.ImportFrom) and all(
                        f"sitrep.{a.name}" in ALLOWED for a in node.names):
                    continue
                offenders.append(f"{path.name}: {name}")
    assert offenders == []


def test_importing_the_analysis_loads_no_store_ui_or_io_library() -> None:
    code = ("import sys, sitrep.analysis.as_of, sitrep.analysis.origins, "
            "sitrep.analysis.track_record, sitrep.analysis.triage; "
            "print(sorted(m for m in ('sitrep.store', 'textual', 'rich', 'httpx', 'tinydb')"
            " if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr
