"""PaneGrid: the four panes' grid, with row heights that keep three rows in every pane.

The stacked (narrow) layout gives Settlements/Verification 8 lines and Detail 6, Claims the
rest; when the grid is short, the top and bottom rows give lines up to Claims until each
pane has its border and at least three rows of content (Settlements also its column header).
"""

from __future__ import annotations

from textual.containers import Container

TOP, DETAIL = 8, 6  # the stacked layout's row heights when there is room
TOP_MIN, CLAIMS_MIN, DETAIL_MIN = 5, 4, 4  # border + (column header +) three rows
#: Lines the grid needs in the stacked layout (see sitrep.tui.app.MIN_SIZE).
GRID_MIN = TOP_MIN + CLAIMS_MIN + DETAIL_MIN


def stacked_rows(height: int) -> tuple[int, int]:
    """(top, detail) row heights for a stacked grid ``height`` lines tall; Claims gets the
    rest."""
    top, detail = TOP, DETAIL
    short = CLAIMS_MIN - (height - top - detail)
    if short > 0:
        give = min(short, top - TOP_MIN)
        top -= give
        detail -= min(short - give, detail - DETAIL_MIN)
    return top, detail


class PaneGrid(Container):
    """The grid holding the four panes (``-wide``: 2x2, else stacked)."""

    def on_resize(self) -> None:
        """Fit the stacked layout's rows to the new height."""
        self.fit_rows()

    def fit_rows(self) -> None:
        """Set the stacked rows for the current height (the wide layout's come from CSS).

        Not before the grid has a size: fitted to a height of 0 the first frame would be drawn
        with the shortest rows and the next one, after the grid's first resize, all over
        again (start-up cost a second full screen)."""
        if not self.size.height:
            return
        rows = None if self.has_class("-wide") else "{} 1fr {}".format(
            *stacked_rows(self.size.height))
        if rows == getattr(self, "_rows", None):
            return
        self._rows = rows
        if rows is None:
            self.styles.clear_rule("grid_rows")
        else:
            self.styles.grid_rows = rows
