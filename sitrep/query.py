"""The filter language of the dashboard's `/` line (pure: no I/O, no Textual).

A query is whitespace-separated terms; every term must hold (AND). A term is either a free
word, matched case-insensitively as a substring of the claim's *haystack* (its text, quote,
source name and aliases, settlement names and alternative spellings), or ``key:value``:

=====================  ==============================================================
``status:unverified``  status, by prefix; commas for several (``status:unv,disp``)
``source:hayday``      source id, or a substring of the source's name or aliases
``place:lysychansk``   settlement id or name (``settlement:`` is the long form)
``grade:<=C``          the claim's source reliability (A best; ``<=C`` = A, B or C)
``cred:<=3``           the claim's credibility, 1..6 (1 best)
``since:2022-09-01``   reported on or after the date (any ISO precision)
``until:2022-09``      reported on or before the date (inclusive of the whole period)
``event:2022-03``      the event date ``event_at`` is within the period; with ``>=``/``<=``
                       on or after / on or before it, ``>``/``<`` after / before it
``tag:offensive``      has the tag (case-insensitive)
``stale:yes``          an unverified claim waiting longer than ``stale_days`` (``no``: not)
``conflict:yes``       has a conflict a merge recorded and nobody resolved (``no``: has none)
=====================  ==============================================================

``!`` before a term negates it; ``"two words"`` is one free term. A key the language does
not know makes the whole term a free word (so ``10:00`` still searches text). A term that is
not finished yet (``grade:<=``) is reported in :attr:`Query.problems` and ignored, so the
filter can be applied while the analyst is still typing.

:mod:`sitrep.search` decides what each term matches (for the dashboard and the CLI alike).
:func:`matches` judges one claim. :func:`evaluate` runs a query over a whole
:class:`MaskTable` term by term: each term gives a byte-per-claim mask held in an int, masks
combine with ``&`` at C speed, and each term's mask is cached so a keystroke only recomputes
the term being typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sitrep.models import STATUSES, listed, open_conflicts
from sitrep.places import names

__all__ = ["STATUSES", "KEYS", "Query", "Term", "TermCache", "evaluate", "normalise", "parse"]
_GRADE_LETTERS = "ABCDEF"
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T[0-9:.]+Z?)?)?)?$")
_CMP_RE = re.compile(r"^(<=|>=|<|>|=)?(.*)$")
KEYS = {
    "status": "status",
    "source": "source",
    "src": "source",
    "place": "place",
    "settlement": "place",
    "grade": "grade",
    "rel": "grade",
    "cred": "cred",
    "since": "since",
    "until": "until",
    "event": "event",
    "tag": "tag",
    "stale": "stale",
    "conflict": "conflict",
}
_YES_NO = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}

Record = dict[str, Any]
# Names and text are compared in one normal form (apostrophes, diacritics, hyphens, case).
normalise = names.normal_form


@dataclass(frozen=True)
class Term:
    """One term of a query: a free word (``key is None``) or a ``key:op value`` test."""

    key: str | None
    value: str
    op: str = "="
    negate: bool = False
    values: tuple[str, ...] = ()

    @property
    def cache_key(self) -> str:
        """A string naming the positive form of this term (negation is applied outside)."""
        return f"{self.key}\x00{self.op}\x00{self.value}\x00{','.join(self.values)}"


@dataclass(frozen=True)
class Query:
    """A parsed query: the terms that apply and the problems with the ones that do not."""

    text: str
    terms: tuple[Term, ...] = ()
    problems: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        """True when no term applies (everything matches)."""
        return not self.terms


def tokenize(text: str) -> list[str]:
    """Split on whitespace, keeping ``"quoted phrases"`` (an unclosed quote runs to the end)."""
    tokens: list[str] = []
    buf: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
            continue
        if ch.isspace() and not quoted:
            if buf:
                tokens.append("".join(buf))
                buf = []
            continue
        buf.append(ch)
    if buf:
        tokens.append("".join(buf))
    return tokens


def _parse_term(token: str) -> Term | str:
    """Parse one token into a Term, or return a problem message."""
    negate = False
    while token.startswith("!"):
        negate = not negate
        token = token[1:]
    if not token:
        return "'!' needs a term after it"
    key, sep, value = token.partition(":")
    canon = KEYS.get(key.casefold()) if sep else None
    if canon is None:
        return Term(None, normalise(token), negate=negate)
    if not value:
        return f"'{key}:' needs a value"
    if canon == "status":
        wanted = tuple(v for v in normalise(value).split(",") if v)
        found = tuple(s for s in STATUSES if any(s.startswith(w) for w in wanted))
        if not found:
            return f"no status starts with {value!r} (statuses: {', '.join(STATUSES)})"
        return Term("status", value, negate=negate, values=found)
    if canon == "stale":
        yes = _YES_NO.get(value.casefold())
        if yes is None:
            return f"stale needs yes or no, e.g. stale:yes (got {value!r})"
        # one positive form, "stale": stale:no is its negation (and shares its cached mask)
        return Term("stale", "yes", negate=negate != (not yes))
    if canon == "conflict":
        yes = _YES_NO.get(value.casefold())
        if yes is None:
            return f"conflict needs yes or no, e.g. conflict:yes (got {value!r})"
        return Term("conflict", "yes", negate=negate != (not yes))
    if canon in ("source", "place", "tag"):
        return Term(canon, normalise(value), negate=negate)
    op, operand = _split_op(value)
    if canon == "grade":
        letter = operand.upper()
        if len(letter) != 1 or letter not in _GRADE_LETTERS:
            return f"grade needs a letter A-F, e.g. grade:<=C (got {value!r})"
        return Term("grade", letter, op=op, negate=negate)
    if canon == "cred":
        if operand not in ("1", "2", "3", "4", "5", "6"):
            return f"cred needs a digit 1-6, e.g. cred:<=3 (got {value!r})"
        return Term("cred", operand, op=op, negate=negate)
    if canon == "event":
        if not _DATE_RE.match(operand):
            return f"event needs an ISO date like 2022-03 or >=2022-03-01 (got {value!r})"
        return Term("event", operand, op=op, negate=negate)
    if not _DATE_RE.match(operand):
        return f"{key} needs an ISO date like 2022-09-01 (got {value!r})"
    return Term(canon, operand, negate=negate)


def _split_op(value: str) -> tuple[str, str]:
    match = _CMP_RE.match(value)
    assert match is not None
    return match.group(1) or "=", match.group(2)


def parse(text: str) -> Query:
    """Parse filter text into a :class:`Query`; never raises."""
    terms: list[Term] = []
    problems: list[str] = []
    for token in tokenize(text):
        result = _parse_term(token)
        if isinstance(result, str):
            problems.append(result)
        else:
            terms.append(result)
    return Query(text, tuple(terms), tuple(problems))


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: a == b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


class ClaimTable(Protocol):
    """What :func:`term_test` needs to judge one claim: facts about its neighbours."""

    def source_grade(self, source_id: str) -> str | None:
        """Reliability letter of a source, or None when unknown."""
        ...

    def source_matches(self, source_id: str, needle: str) -> bool:
        """True when the normalised needle is the source id or in its name or aliases."""
        ...

    def place_matches(self, settlement_id: str, needle: str) -> bool:
        """True when the normalised needle is the settlement id or in one of its names."""
        ...

    def claim_stale(self, claim: Record) -> bool:
        """True when the claim is stale (the table knows the date and the window)."""
        ...


class MaskTable(Protocol):
    """What :func:`evaluate` needs: the claims as positions 0..n-1 and a mask per term.

    A *mask* is an int holding one byte per claim position (``0x01`` = matches), so that
    ``&``, ``|`` and ``int.bit_count()`` combine and count whole columns at C speed; build one
    with :func:`mask_from_flags`.
    """

    all_mask: int

    def term_mask(self, term: Term) -> int:
        """The mask of the claims matching the positive form of ``term``."""
        ...


def mask_from_flags(flags: bytes | bytearray) -> int:
    """A mask from one 0/1 byte per claim position."""
    return int.from_bytes(flags, "little")


def mask_to_flags(mask: int, size: int) -> bytes:
    """One 0/1 byte per claim position from a mask."""
    return mask.to_bytes(size, "little")


def term_test(term: Term, table: ClaimTable) -> Callable[[Record, str], bool]:
    """A function ``(claim, haystack) -> bool`` for the positive form of ``term``."""
    key, value = term.key, term.value
    if key is None:
        return lambda c, h: value in h
    if key == "status":
        wanted = frozenset(term.values)
        return lambda c, h: c.get("status", "unverified") in wanted
    if key == "source":
        memo: dict[str, bool] = {}

        def source_test(c: Record, h: str) -> bool:
            sid = c.get("source") or ""
            hit = memo.get(sid)
            if hit is None:
                hit = memo[sid] = table.source_matches(sid, value)
            return hit

        return source_test
    if key == "place":
        pmemo: dict[str, bool] = {}

        def place_test(c: Record, h: str) -> bool:
            for sid in listed(c.get("settlements")):
                hit = pmemo.get(sid)
                if hit is None:
                    hit = pmemo[sid] = table.place_matches(sid, value)
                if hit:
                    return True
            return False

        return place_test
    if key == "stale":
        return lambda c, h: table.claim_stale(c)
    if key == "conflict":
        return lambda c, h: bool(open_conflicts(c))
    if key == "tag":
        return lambda c, h: any(normalise(str(t)) == value for t in listed(c.get("tags")))
    if key == "grade":
        cmp = _COMPARE[term.op]
        gmemo: dict[str, bool] = {}

        def grade_test(c: Record, h: str) -> bool:
            sid = c.get("source") or ""
            hit = gmemo.get(sid)
            if hit is None:
                grade = table.source_grade(sid)
                hit = gmemo[sid] = grade is not None and cmp(grade, value)
            return hit

        return grade_test
    if key == "cred":
        cmp = _COMPARE[term.op]
        number = int(value)
        return lambda c, h: isinstance(c.get("credibility"), int) and cmp(c["credibility"], number)
    if key == "since":
        return lambda c, h: (c.get("reported_at") or "") >= value
    if key == "event":
        within = event_test(term.op, value)
        return lambda c, h: isinstance(c.get("event_at"), str) and within(c["event_at"])
    # until: inclusive of the whole period named ("2022-09" includes 2022-09-30)
    width = len(value)
    return lambda c, h: bool(c.get("reported_at")) and c["reported_at"][:width] <= value


def event_test(op: str, value: str) -> Callable[[str], bool]:
    """Whether a (non-empty) event date stands in relation ``op`` to the period ``value``:
    ``=`` within it, ``>=`` on or after its start, ``<=`` on or before its end, ``>`` after
    its end, ``<`` before its start (dates of any precision, compared as their periods'
    starts, as ``since:``/``until:`` compare the report date)."""
    end = value + "\uffff"  # after every date within the period
    if op == "=":
        return lambda d: d.startswith(value)
    if op == ">=":
        return lambda d: d >= value
    if op == "<=":
        return lambda d: bool(d) and d <= end
    if op == ">":
        return lambda d: d > end
    return lambda d: bool(d) and d < value


def matches(query: Query, claim: Record, haystack: str, table: ClaimTable) -> bool:
    """True when one claim satisfies every term of ``query``."""
    return all(term_test(t, table)(claim, haystack) != t.negate for t in query.terms)


@dataclass
class TermCache:
    """Masks of positive terms from the previous evaluations, keyed by :attr:`Term.cache_key`.

    Bound to one data version: call :meth:`clear` (or :meth:`forget`) when claims change.
    """

    results: dict[str, int] = field(default_factory=dict)

    def clear(self) -> None:
        """Forget every cached mask."""
        self.results.clear()

    def forget(self, key: str | None) -> None:
        """Forget the masks of terms with this key (``None`` = free words)."""
        prefix = f"{key}\x00"
        for k in [k for k in self.results if k.startswith(prefix)]:
            del self.results[k]


def evaluate(query: Query, table: MaskTable, cache: TermCache | None = None) -> int | None:
    """The mask of claims matching ``query``, or None when the query has no terms.

    Term masks are cached in ``cache`` and kept while the same terms stay in the query, so each
    keystroke recomputes only the term being typed.
    """
    if query.is_empty:
        return None
    cache = cache if cache is not None else TermCache()
    used: dict[str, int] = {}
    result = table.all_mask
    for term in query.terms:
        key = term.cache_key
        found = used.get(key)
        if found is None:
            found = cache.results.get(key)
        if found is None:
            found = table.term_mask(term)
        used[key] = found
        result &= (table.all_mask ^ found) if term.negate else found
    # keep recent masks a little longer so backspacing is free too
    for key, mask in list(cache.results.items())[-16:]:
        used.setdefault(key, mask)
    cache.results = used
    return result
