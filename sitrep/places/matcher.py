"""The settlements of the DB named in a text: whole words, any script, declined, case-aware.

:class:`PlaceMatcher` is built once per DB (or per import) from the settlement records and
finds :class:`Mention` s in text: ``{id, candidates, text, start, end}``, with ``id`` None when
a name is shared by several settlements and the text does not say which.

How a text is read:

1. It is cut into words (letters and digits, with apostrophes inside a word kept:
   ``Kup'yans'k``); each word is normalised by :func:`sitrep.places.names.normal_form`.
2. **Regions first.** ``Donetsk Oblast``, ``Luhansk region``, ``Donetsk and Luhansk oblasts``,
   ``Донецька область``, ``Донецкой области``, ``на Донеччині``, ``Crimea``, ``DPR`` are region
   mentions: their words are never a settlement (a region is not its capital city), and the
   regions they name resolve ambiguous settlements.
3. **Names.** Every name of every settlement (``name`` and ``alt_names``, every script and
   transliteration) is indexed by its normalised words. A word of the text matches a name word
   when the normalised forms are equal, or — for a Cyrillic word — when one of its nominatives by
   the suffix table of :mod:`sitrep.places.inflect` is (``Харкові`` → ``харків``). A word
   that is a name as written beats one reached through the table. Multi-word names
   (``Bila Tserkva``, ``Білої Церкви``, ``Ivano-Frankivsk``) match word by word across spaces
   and hyphens; the longest name wins. An English possessive is dropped (``Kharkiv's``).
4. **Case.** A capitalised name word matches only a capitalised (or all-capitals) word, so
   common lower-case words never match a place (``or``, ``bar``, ``human``, ``головне``,
   ``атаки``). At the start of a sentence a capital says nothing; there a word is taken as a
   place unless the same word is written in lower case elsewhere in the text, or it is one of
   the few common words that are also place names (:data:`SENTENCE_START_WORDS` — the last
   resort the issue allows, kept short and only for that position).
5. **People.** A one-word place followed by a capitalised word shaped like a Ukrainian or
   Russian surname (``Volodymyr Zelensky``, ``Володимира Зеленського``) is a person's name.
6. **Ambiguity.** A name shared by several settlements resolves only when the text says which:
   a region named in the text (any form); a settlement named unambiguously in the same text
   that one candidate is much nearer to than the others (:meth:`PlaceMatcher._nearest`) or
   that alone shares its region or lies within :data:`NEAR_KM`; another ambiguous name whose only
   shared region it is (``Lyman and Sloviansk``), or the ``regions`` the caller knows (the
   record's own region). Otherwise the mention has ``id`` None and its candidates.

Speed (``benchmarks/bench_places.py``): the index for the 5,224 places of the gazetteer takes
about half a second to build; matching costs tens of microseconds per sentence, so importing
thousands of feed items costs well under a second.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sitrep.places import regions as rg
from sitrep.places.inflect import nominatives, nominatives_by_ending
from sitrep.places.names import normal_form, script

NEAR_KM = 60.0
NEIGHBOUR_KM = 150.0
_WORD = re.compile(r"[^\W_]+(?:['’ʼʹ‘][^\W_]+)*")
_CYRILLIC_WORD = re.compile("[\u0400-\u04ff]")
_SENTENCE_END = set(".!?;:\n\"«“„(—–•")
_OPENERS = frozenset(" \t\u00a0\"'«“„(")
_GAP = re.compile(r"[ \t\u00a0\-\u2010\u2011\u2012\u2013]+")
_POSSESSIVE = ("'s", "’s", "ʼs")
_SURNAME = re.compile(
    r"(?:enko|sky|skyi|skyy|skiy|skii|ska|ov|ova|ev|eva|yev|yeva|in|ina|uk|yuk|chuk|ych|ich|"
    r"vych|vich|ko|yak|енко|енка|енком|ськ\w{0,3}|цьк\w{0,3}|ов|ова|ову|овим|ым|ев|ева|єв|"
    r"ін|іна|ін\w|ин|ина|ук|юк|ука|юка|ич|ича|ичем|ко|ка)$")
# Common words that are also place names and open sentences: a capital there is no sign of
# a name. A last resort (the case rule handles them everywhere else), kept to this position.
SENTENCE_START_WORDS = frozenset(normal_form(w) for w in (
    "Bar", "Or", "Human", "Nova", "Stavky",
    "Головне", "Атаки", "Ставки", "Мирне", "Нове", "Веселе", "Зелене", "Ясне", "Степове",
    "Піски", "Луки", "Лиман", "Гай", "Поле", "Сад", "Добре", "Гарне", "Щасливе", "Світле",
    "Мирное", "Новое", "Пески", "Веселое", "Зеленое", "Степное", "Луч", "Вільне", "Вольное",
    "Привілля", "Затишшя", "Тиха", "Тихе", "Лісне", "Лісове", "Польове", "Широке", "Високе",
    "Широкое", "Высокое", "Гірське", "Горное", "Красне", "Красное", "Червоне", "Шевченко",
))
_NON_WORDS = frozenset(("днр", "лнр", "dpr", "lpr", "dnr", "lnr"))
_PEOPLES_REPUBLIC = ("people", "republic")
# After "на", a region named like its capital (у Запоріжжі is the city, на Запоріжжі the land).
_ON_REGION = {"запоріжжі": "26", "запоріжжя": "26", "запорожье": "26"}


@dataclass
class Mention:
    """One place named in a text: ``id`` None when ambiguous (see ``candidates``)."""

    id: str | None
    candidates: list[str]
    text: str
    start: int
    end: int
    via_inflection: bool = field(default=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        """The mention as the CLI's ``--json`` prints it."""
        return {"id": self.id, "candidates": self.candidates, "text": self.text,
                "start": self.start, "end": self.end}


@dataclass(frozen=True)
class RegionMention:
    """A region named in a text (``Donetsk Oblast``): its code and where."""

    code: str
    text: str
    start: int
    end: int


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    raw: str
    normalised: str
    capital: bool
    cyrillic: bool
    sentence_start: bool
    joined: bool  # only spaces or a hyphen since the previous word (a name may go on)


@dataclass(frozen=True)
class _Name:
    sid: str
    words: tuple[str, ...]
    capitals: tuple[bool, ...]


_normal_word = lru_cache(maxsize=1 << 16)(normal_form)  # feed texts repeat their words


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    previous_end = -1
    for m in _WORD.finditer(text):
        raw = m.group()
        start, end = m.span()
        gap = text[previous_end:start] if previous_end >= 0 else "."
        joined = gap == " " or (previous_end >= 0 and bool(_GAP.fullmatch(gap)))
        cyrillic = not raw.isascii() and bool(_CYRILLIC_WORD.search(raw))
        if not cyrillic and raw.endswith(_POSSESSIVE):
            raw, end = raw[:-2], end - 2
        k = start - 1
        while k >= 0 and text[k] in _OPENERS:
            k -= 1
        out.append(_Token(start, end, raw, _normal_word(raw), raw[0].isupper(), cyrillic,
                          k < 0 or text[k] in _SENTENCE_END, joined))
        previous_end = end
    return out


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _point(record: dict[str, Any]) -> tuple[float, float] | None:
    lat, lon = record.get("lat"), record.get("lon")
    if isinstance(lat, int | float) and isinstance(lon, int | float) and not (
            isinstance(lat, bool) or isinstance(lon, bool)):
        return float(lat), float(lon)
    return None


class PlaceMatcher:
    """Finds the settlements of a DB in text; build once, call :meth:`mentions` often."""

    def __init__(self, settlements: Iterable[dict[str, Any]]) -> None:
        self.index: dict[str, list[_Name]] = {}
        self.region_of: dict[str, str | None] = {}
        self.point_of: dict[str, tuple[float, float] | None] = {}
        for record in settlements:
            sid = record.get("id")
            if not isinstance(sid, str) or not sid:
                continue
            self.region_of[sid] = rg.region_code(record.get("region"))
            self.point_of[sid] = _point(record)
            names = [record.get("name")]
            alt = record.get("alt_names")
            if isinstance(alt, list):
                names.extend(alt)
            seen: set[tuple[str, ...]] = set()
            for name in names:
                if not isinstance(name, str) or script(name) not in ("latin", "cyrillic",
                                                                      "mixed"):
                    continue
                words = [m.group() for m in _WORD.finditer(name)]
                normalised = tuple(normal_form(w) for w in words)
                if not normalised or normalised in seen:
                    continue
                seen.add(normalised)
                entry = _Name(sid, normalised, tuple(w[0].isupper() for w in words))
                self.index.setdefault(normalised[0], []).append(entry)
                if len(words) > 1 and any(h in name for h in "-\u2010\u2011"):
                    # "Huliai-Pole" is also written "Huliaipole"
                    joined = ("".join(normalised),)
                    if joined not in seen:
                        seen.add(joined)
                        self.index.setdefault(joined[0], []).append(
                            _Name(sid, joined, entry.capitals[:1]))

    # ------------------------------------------------------------------ public
    def mentions(self, text: str, regions: Sequence[str] = ()) -> list[Mention]:
        """The settlements named in ``text``, in order; ``regions`` are region names or
        codes the caller knows the text is about (they resolve ambiguous names)."""
        if not self.index or not text:
            return []
        tokens = _tokens(text)
        region_mentions, taken = self._regions(text, tokens)
        lower_words = {t.normalised for t in tokens if not t.capital}
        found: list[Mention] = []
        i = 0
        while i < len(tokens):
            if i in taken:
                i += 1
                continue
            token = tokens[i]
            if token.normalised not in self.index and not (token.cyrillic and token.capital):
                i += 1
                continue
            hit = self._match_at(tokens, i, taken, lower_words)
            if hit is None:
                i += 1
                continue
            length, sids, inflected = hit
            first, last = tokens[i], tokens[i + length - 1]
            found.append(Mention(None, sids, text[first.start:last.end], first.start,
                                 last.end, inflected))
            i += length
        context = {m.code for m in region_mentions}
        context.update(c for c in (rg.region_code(r) for r in regions) if c)
        self._resolve(found, context)
        return found

    def regions(self, text: str) -> list[RegionMention]:
        """The regions named in ``text``."""
        return self._regions(text, _tokens(text))[0]

    def find(self, text: str, regions: Sequence[str] = ()) -> list[str]:
        """Ids of the settlements named unambiguously in ``text``, in order of first mention
        (what the feed importer links a claim to)."""
        out: list[str] = []
        for mention in self.mentions(text, regions):
            if mention.id is not None and mention.id not in out:
                out.append(mention.id)
        return out

    # ------------------------------------------------------------------ regions
    def _regions(self, text: str, tokens: list[_Token]
                 ) -> tuple[list[RegionMention], set[int]]:
        out: list[RegionMention] = []
        taken: set[int] = set()
        n = len(tokens)
        starts = rg.first_words()

        def is_noun(j: int) -> bool:
            return j < n and (tokens[j].normalised in rg.LATIN_NOUNS
                              or tokens[j].normalised in rg.CYRILLIC_NOUNS)

        def region_word(j: int) -> tuple[str, int] | None:
            """(code, words used) when tokens[j:] start with a region's adjective/name."""
            if j >= n:
                return None
            t = tokens[j]
            if t.cyrillic:
                if j + 1 < n and tokens[j + 1].joined:
                    code = rg.adjective_region(f"{t.normalised} {tokens[j + 1].normalised}")
                    if code:
                        return code, 2
                code = rg.adjective_region(t.normalised)
                return (code, 1) if code else None
            if j + 1 < n and tokens[j + 1].joined:
                code = rg.latin_region(f"{t.normalised} {tokens[j + 1].normalised}")
                if code:
                    return code, 2
            code = rg.latin_region(t.normalised)
            return (code, 1) if code else None

        def add(code: str, a: int, b: int) -> None:
            out.append(RegionMention(code, text[tokens[a].start:tokens[b].end],
                                     tokens[a].start, tokens[b].end))
            taken.update(range(a, b + 1))

        j = 0
        while j < n:
            t = tokens[j]
            land = rg.land_region(t.normalised) if t.capital or t.normalised in _NON_WORDS else None
            if t.capital and j and tokens[j - 1].normalised == "на":
                land = land or _ON_REGION.get(t.normalised)  # "на Запоріжжі": the region
            if t.normalised in _NON_WORDS:
                land = "05" if t.normalised in ("днр", "dpr", "dnr") else "14"
            if land:
                add(land, j, j)
                j += 1
                continue
            first = region_word(j) if t.normalised in starts else None
            if first is None:
                j += 1
                continue
            code, used = first
            k = j + used
            if is_noun(k):
                add(code, j, k)
                j = k + 1
                continue
            if (k + 1 < n and tokens[k].normalised in ("people", "peoples")
                    and tokens[k + 1].normalised == _PEOPLES_REPUBLIC[1]):
                add(code, j, k + 1)
                j = k + 2
                continue
            # "Donetsk and Luhansk oblasts", "Донецька та Луганська області"
            gap = text[tokens[k - 1].end:tokens[k].start] if k < n else ""
            conj = k < n and (tokens[k].normalised in rg.CONJUNCTIONS)
            if conj or gap.strip() == ",":
                second_at = k + 1 if conj else k
                second = region_word(second_at)
                if second is not None:
                    code2, used2 = second
                    end = second_at + used2
                    if end < n and tokens[end].normalised in rg.PLURAL_NOUNS:
                        add(code, j, k - 1)
                        add(code2, second_at, end)
                        j = end + 1
                        continue
            j += 1
        return out, taken

    # ------------------------------------------------------------------ names
    def _word_keys(self, token: _Token) -> tuple[tuple[str, int], ...]:
        """(normalised form, length of the ending undone; 99 for the word as written)."""
        if token.cyrillic and token.capital:
            return nominatives_by_ending(token.normalised)
        return ((token.normalised, 99),)

    def _word_fits(self, token: _Token, word: str, capital: bool) -> bool | None:
        """None if ``token`` is not ``word``; else whether it took the suffix table."""
        if capital and not token.capital:
            return None
        if token.normalised == word:
            return False
        if token.cyrillic and token.capital and any(
                nom == word for nom, _ in nominatives_by_ending(token.normalised, 2)):
            return True
        return None

    def _match_at(self, tokens: list[_Token], i: int, taken: set[int],
                  lower_words: set[str]) -> tuple[int, list[str], bool] | None:
        token = tokens[i]
        best: tuple[int, int, list[str]] | None = None  # (words, ending rank, ids)
        for key, ending in self._word_keys(token):
            for entry in self.index.get(key, ()):
                if entry.capitals[0] and not token.capital:
                    continue
                length = len(entry.words)
                if ending != 99 and length == 1 and token.sentence_start:
                    continue  # "Біля", "Нові" opening a sentence are not Біле, Нове
                rank = ending
                ok = True
                for offset in range(1, length):
                    j = i + offset
                    if j >= len(tokens) or j in taken or not tokens[j].joined:
                        ok = False
                        break
                    fit = self._word_fits(tokens[j], entry.words[offset],
                                          entry.capitals[offset])
                    if fit is None:
                        ok = False
                        break
                    if fit:
                        rank = min(rank, 98)
                if not ok:
                    continue
                if best is None or (length, rank) > (best[0], best[1]):
                    best = (length, rank, [entry.sid])
                elif (length, rank) == (best[0], best[1]) and entry.sid not in best[2]:
                    best[2].append(entry.sid)
        if best is None:
            return None
        length, rank, sids = best
        if length == 1 and self._not_a_place(tokens, i, lower_words):
            return None
        return length, sids, rank != 99

    def _not_a_place(self, tokens: list[_Token], i: int, lower_words: set[str]) -> bool:
        token = tokens[i]
        if token.sentence_start and not token.raw.isupper() and (
                token.normalised in SENTENCE_START_WORDS or token.normalised in lower_words):
            return True
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        return bool(nxt is not None and nxt.capital and not nxt.raw.isupper()
                    and nxt.start - token.end == 1 and _SURNAME.search(nxt.normalised)
                    and nxt.normalised not in self.index
                    and not any(nom in self.index for nom in nominatives(nxt.normalised)))

    # ------------------------------------------------------------------ ambiguity
    def _resolve(self, found: list[Mention], context: set[str]) -> None:
        for mention in found:
            if len(mention.candidates) == 1:
                mention.id = mention.candidates[0]
        if all(m.id is not None for m in found):
            return
        for _ in range(2):  # a second pass lets a place resolved by a neighbour help others
            known = [m.id for m in found if m.id is not None]
            near_regions = context | {r for r in (self.region_of.get(s) for s in known) if r}
            points = [p for p in (self.point_of.get(s) for s in known) if p]
            for mention in found:
                if mention.id is not None:
                    continue
                in_region = [s for s in mention.candidates if self.region_of.get(s) in context]
                if len(in_region) == 1:
                    mention.id = in_region[0]
                    continue
                pool = in_region or mention.candidates
                nearest = self._nearest(pool, points)
                if nearest is not None:
                    mention.id = nearest
                    continue
                near = [s for s in pool
                        if self.region_of.get(s) in near_regions
                        or any(_km(p, q) <= NEAR_KM for p in points
                               for q in [self.point_of.get(s)] if q)]
                if len(near) == 1:
                    mention.id = near[0]
        self._resolve_together(found)

    def _nearest(self, pool: list[str], points: list[tuple[float, float]]) -> str | None:
        """The candidate much nearer than the others to the places the text names for sure:
        within :data:`NEIGHBOUR_KM` of one, and the next candidate at least twice as far."""
        if not points:
            return None
        ranked = sorted((min(_km(q, p) for p in points), s) for s in pool
                        for q in [self.point_of.get(s)] if q)
        if not ranked or ranked[0][0] > NEIGHBOUR_KM:
            return None
        if len(ranked) == 1 or ranked[1][0] >= 2 * ranked[0][0] + 10:
            return ranked[0][1] if len(ranked) == len(pool) else None
        return None

    def _resolve_together(self, found: list[Mention]) -> None:
        """Two ambiguous names that have candidates in one region only and no other shared
        region ("Lyman and Sloviansk") are taken to be there."""
        support: dict[str, int] = {}
        for mention in found:
            if mention.id is not None:
                continue  # resolved neighbours were weighed (with distance) already
            for region in {self.region_of.get(s) for s in mention.candidates} - {None}:
                if region is not None:  # the difference dropped None; said again for mypy
                    support[region] = support.get(region, 0) + 1
        for mention in found:
            if mention.id is not None:
                continue
            backed = [s for s in mention.candidates if support.get(self.region_of.get(s) or "",
                                                                   0) >= 2]
            if len(backed) == 1:
                mention.id = backed[0]
