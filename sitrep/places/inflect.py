"""Ukrainian and Russian case endings of place names, as a suffix table.

Place names in Ukrainian and Russian text are declined: ``у Харкові``, ``під Бахмутом``,
``до Лисичанська``, ``зі Сватового``, ``у Кремінній``, ``в Лисичанске``, ``под Купянском``,
``Білої Церкви``, ``Сумами``. The matcher needs the nominative (the form a settlement's names
are written in) back from the form in the text.

Options weighed (issue 13):

* lemmatising the text with pymorphy3 (Ukrainian and Russian dictionaries): measured in the
  issue, it gets ``Харкові`` → ``харко`` and ``Сватовому`` → ``сватів`` — place names are
  mostly outside its dictionaries, so it guesses from common-word paradigms; and it adds two
  dictionaries (~30 MB) and a second per token;
* a stemmer (snowballstemmer has Russian, not Ukrainian): stems both the text and the names,
  but a stem is shared by unrelated words (``Лиман``/``лиман``, ``Бар``/``бара``), it does not
  undo the Ukrainian ``і``→``о`` alternation (``Харків``/``Харкова``) and knows no Ukrainian;
* generating each name's forms: exact, but multiplies the index by ~20;
* **a suffix table read backwards** (chosen): each entry says "a name ending in NOM has a form
  ending in FORM" (``ів``→``ова``: Харків → Харкова; ``ка``→``ці``: Василівка → Василівці).
  For a capitalised Cyrillic word of the text, every entry whose FORM ends the word gives one
  candidate nominative (about ten per word); a candidate counts only when it is the name of a
  settlement in the DB. The index keeps one key per name, the table covers both languages
  (a name's language is often not known), and the alternations are just longer entries.
  Measured on the benchmark's sentences (``benchmarks/bench_places.py``): every inflected
  form there is found; building the index for 5,224 places takes well under a second.

A candidate is only a candidate: the matcher prefers a word that is a name as written over
one reached through the table, and a reading through a longer ending over a shorter one
(``Львові`` is Львів by ``ів``→``ові``, not Львово by ``о``→``і``); it requires the capital
letter and does not use the table on the first word of a sentence.
"""

from __future__ import annotations

from functools import cache, lru_cache

# (nominative ending, inflected ending). "" is a consonant-final name.
_PAIRS: dict[str, tuple[str, ...]] = {
    "": ("а", "у", "ом", "і", "ові", "е", "ем", "ы", "ові", "ах", "ам"),
    "ів": ("ова", "ову", "овом", "ові", "ового", "овому", "овим"),
    "їв": ("єва", "єву", "євом", "єві"),
    "іг": ("огу", "огом", "озі", "ога"),
    "іль": ("оля", "олю", "олем", "олі"),
    "інь": ("еня", "еню", "енем", "ені"),
    "ір": ("ора", "ору", "ором", "орі"),
    "ь": ("я", "ю", "ем", "і", "е", "и", "еві", "ею"),
    "й": ("я", "ю", "єм", "ї", "е", "ем", "ю"),
    "а": ("и", "і", "у", "ою", "ої", "ій", "е", "ы", "ой", "ей", "ею"),
    "ка": ("ці", "ке", "кой", "ки"),
    "га": ("зі",),
    "ха": ("сі",),
    "ая": ("ой", "ую", "ою", "ей"),
    "я": ("і", "ю", "ям", "ї", "єю", "ею", "ій", "е", "и", "ей"),
    "е": ("ого", "ому", "им", "ім", "я", "ю", "ем", "і", "ом"),
    "ое": ("ого", "ому", "ым", "ом"),
    "ее": ("его", "ему", "им", "ем"),
    "ье": ("ья", "ью", "ьем"),
    "о": ("а", "у", "ом", "і", "е"),
    "и": ("", "ам", "ами", "ах", "ів", "ов"),
    "і": ("ів", "ям", "ями", "ях", "ам", "ами", "ах", "их", "им", "ими"),
    "ий": ("ого", "ому", "им", "ім", "ом"),
    "ій": ("ього", "ьому", "ім"),
    "ый": ("ого", "ому", "ым", "ом"),
    "ой": ("ого", "ому", "ым", "ом"),
    "ы": ("", "ам", "ами", "ах", "ов"),
}

MIN_NAME = 3  # letters a candidate nominative has at least ("Розі" → "ріг", not "ра")


@cache
def _by_form() -> tuple[dict[str, tuple[str, ...]], int]:
    """(inflected ending → nominative endings, the longest ending's length)."""
    table: dict[str, set[str]] = {}
    for nominative, forms in _PAIRS.items():
        for form in forms:
            table.setdefault(form, set()).add(nominative)
    return {f: tuple(sorted(n)) for f, n in table.items()}, max(map(len, table))


def nominatives(word: str) -> list[str]:
    """The possible nominatives of a normalised Cyrillic ``word`` (itself first), those from
    longer endings first.

    >>> "харків" in nominatives("харкові") and "сватове" in nominatives("сватового")
    True
    """
    return [candidate for candidate, _ in nominatives_by_ending(word)]


@lru_cache(maxsize=1 << 16)
def nominatives_by_ending(word: str, min_len: int = MIN_NAME) -> tuple[tuple[str, int], ...]:
    """(nominative, length of the ending it undid) for a normalised Cyrillic ``word``, itself
    first with ending length 99 (a word as written beats any reading through the table);
    longer endings first. Cached: feed texts repeat their place names."""
    table, longest = _by_form()
    out = [(word, 99)]
    seen = {word}
    for size in range(min(longest, len(word) - 1), -1, -1):
        noms = table.get(word[len(word) - size:] if size else "")
        if noms is None:
            continue
        stem = word[: len(word) - size]
        for nominative in noms:
            candidate = stem + nominative
            if len(candidate) >= min_len and candidate not in seen:
                seen.add(candidate)
                out.append((candidate, size))
    return tuple(out)


def forms(name_word: str) -> list[str]:
    """The inflected forms the table gives a normalised Cyrillic name word (for tests and docs).

    >>> "харкові" in forms("харків")
    True
    """
    out = [name_word]
    for nominative, endings in _PAIRS.items():
        if not name_word.endswith(nominative):
            continue
        stem = name_word[: len(name_word) - len(nominative)] if nominative else name_word
        if not stem:
            continue
        for ending in endings:
            form = stem + ending
            if form not in out:
                out.append(form)
    return out
