"""The view a report or an export is made of, chosen as the dashboard and the CLI choose it:
the records as of a date (the latest without one), the claims a filter matches, and the sources
and settlements those claims name. One rule for ``sitrep report --filter``/``--as-of`` and the
dashboard's ``r``.
"""

from __future__ import annotations

from collections.abc import Sequence

from sitrep import query as q
from sitrep.models import Record
from sitrep.reports import fields
from sitrep.reports.view import View


def scoped_view(claims: Sequence[Record], sources: Sequence[Record],
                settlements: Sequence[Record], *, query: q.Query | None, as_of: str | None,
                generated_at: str, analyst: str, origins: bool = False) -> View:
    """The view of these records as of ``as_of`` (a stored date, or None: now) that ``query``
    selects, with the claims' independent-origin counts when ``origins`` (the formats that
    show them; traced through every claim the file knew then, not only those shown)."""
    from sitrep.analysis.as_of import picture_as_of

    picture = picture_as_of(claims, sources, settlements, as_of)
    chosen, named_sources, named_places = picture.claims, picture.sources, picture.settlements
    scope = ""
    if query is not None and not query.is_empty:
        from sitrep.search import search_claims

        scope = query.text
        chosen = search_claims(chosen, named_sources, named_places, query)
        named = {fields.text(c.get(k)) for c in chosen for k in ("source", "origin")}
        places = {s for c in chosen for s in fields.strings(c.get("settlements"))}
        named_sources = [s for s in named_sources if s.get("id") in named]
        named_places = [s for s in named_places if s.get("id") in places]
    counts: dict[str, int] = {}
    if origins:
        from sitrep.analysis.origins import analyse

        counts = {cid: a.independent_origins for cid, a in analyse(picture.claims).items()}
    return View(settlements=named_places, sources=named_sources, claims=chosen, scope=scope,
                as_of=as_of, origins=counts, generated_at=generated_at, analyst=analyst)
