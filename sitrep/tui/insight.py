"""What :mod:`sitrep.analysis` says about the records the dashboard shows, for the detail pane.

A part the app holds (``app.insight``), not a mixin. Per view model (now, or as of a date) it
keeps one :class:`~sitrep.analysis.origins.Analyst` (the index of origins and links: half a
second at 100k claims, so built in a worker above :data:`BUILD_INLINE` claims; the detail says
``analysing…`` until then) and answers a claim's analysis, a source's track record and a
settlement's control timeline with the core's own functions. Statuses are read when asked:
a status key changes the record the Analyst holds in place, so its answers stay current.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sitrep.analysis.origins import Analysis, Analyst
from sitrep.analysis.track_record import TrackRecord, track_records
from sitrep.analysis.triage import ControlTimeline, control_timeline
from sitrep.models import Record, control_observations
from sitrep.tui.model import DashboardModel

if TYPE_CHECKING:
    from textual.app import App

#: Up to this many claims the Analyst is built on first need, on the UI thread (~0.1 s).
BUILD_INLINE = 20_000


class Insight:
    """Origins, links, records and timelines over the model shown."""

    def __init__(self, app: App[int], when_ready: Callable[[], None]) -> None:
        """``when_ready`` runs on the UI thread after a worker built the index (the app shows
        the detail again)."""
        self._app = app
        self._when_ready = when_ready
        self._model: DashboardModel | None = None
        self._analyst: Analyst | None = None
        self._building: DashboardModel | None = None

    def forget(self) -> None:
        """The claims' links or origins may have changed (an edit): build the index again."""
        self._model = self._analyst = None

    def analyst(self, model: DashboardModel) -> Analyst | None:
        """The index over ``model``'s claims, or None while a worker builds it."""
        if self._model is model and self._analyst is not None:
            return self._analyst
        if model.n <= BUILD_INLINE:
            self._model, self._analyst = model, Analyst(model.claims)
            return self._analyst
        if self._building is not model:
            self._building = model
            self._app.run_worker(lambda: self._build(model), thread=True, group="insight",
                                 exit_on_error=False)
        return None

    def _build(self, model: DashboardModel) -> None:
        analyst = Analyst(model.claims)

        def install() -> None:
            if self._building is model:
                self._model, self._analyst, self._building = model, analyst, None
                self._when_ready()

        self._app.call_from_thread(install)

    def claim(self, model: DashboardModel, p: int) -> Analysis | None:
        """The analysis of the claim at position ``p`` (stale by the model's own window), or
        None while the index is being built."""
        analyst = self.analyst(model)
        claim = model.claims[p]
        cid = claim.get("id")
        if analyst is None or not isinstance(cid, str):
            return None
        return analyst.analyse(cid, model.search.claim_stale(claim))

    @staticmethod
    def record(model: DashboardModel, source_id: str) -> TrackRecord:
        """The source's track record over the claims in view (its group's range)."""
        source = model.sources.get(source_id, {"id": source_id})
        for sid, start, end in model.group_ranges:
            if sid == source_id:
                return track_records(model.claims[start:end], [source])[source_id]
        return track_records((), [source])[source_id]

    @staticmethod
    def timeline(model: DashboardModel, settlement: Record) -> ControlTimeline:
        """The settlement's control timeline over the claims in view (only those its
        observations name are looked up)."""
        named: dict[str, Record] = {}
        for obs in control_observations(settlement):
            cid = obs.get("claim")
            p = model.position(cid) if isinstance(cid, str) else None
            if isinstance(cid, str) and p is not None:
                named[cid] = model.claims[p]
        return control_timeline(settlement, named)
