"""``sitrep`` (no command) and ``sitrep demo``: open the dashboard."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sitrep.cli.context import Context
from sitrep.paths import sample_data_path


def cmd_dashboard(args: argparse.Namespace, ctx: Context) -> int:
    """Open the dashboard on the DB."""
    from sitrep.tui import run_dashboard  # Textual loads only for the dashboard

    return run_dashboard(ctx.db_path)


def cmd_demo(args: argparse.Namespace, ctx: Context) -> int:
    """Open the dashboard on a fresh temporary copy of the bundled sample data."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="sitrep-demo-"))
    copy = folder / "sitrep.json"
    shutil.copyfile(sample_data_path(), copy)
    print(f"sitrep demo: working on a copy at {copy}", file=sys.stderr)
    if args.no_ui:
        print(copy)
        return 0
    return cmd_dashboard(args, Context(copy, ctx.analyst))
