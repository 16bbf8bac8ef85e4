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
one reached through the table, and requires the capital letter.
"""

from __future__ import annotations

from functools import cache

# (nominative ending, inflected ending). "" is a consonant-final name.
_PAIRS: dict[str, tuple[str, ...]] = {
    "": ("а", "у", "ом", "і", "ові", "е", "ем", "ы", "ові", "ах", "ам"),
    "ів": ("ова", "ову", "овом", "ові", "ові"),
    "їв": ("єва", "єву", "євом", "єві"),
    "іг": ("огу", "огом", "озі", "ога"),
    "іль": ("оля", "олю", "олем", "олі"),
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

MIN_STEM = 2  # letters a candidate keeps before its ending ("Ізюма" → "ізюм", not "і")


@cache
def _by_form() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(inflected ending, nominative endings) pairs, longest ending first."""
    table: dict[str, set[str]] = {}
    for nominative, forms in _PAIRS.items():
        for form in forms:
            table.setdefault(form, set()).add(nominative)
    return tuple(sorted(((f, tuple(sorted(n))) for f, n in table.items()),
                        key=lambda pair: -len(pair[0])))


def nominatives(word: str) -> list[str]:
    """The possible nominatives of a folded Cyrillic ``word`` (itself first).

    >>> "харків" in nominatives("харкові") and "сватове" in nominatives("сватового")
    True
    """
    out = [word]
    for form, noms in _by_form():
        if form and not word.endswith(form):
            continue
        stem = word[: len(word) - len(form)] if form else word
        if len(stem) < MIN_STEM:
            continue
        for nominative in noms:
            candidate = stem + nominative
            if candidate != word and candidate not in out:
                out.append(candidate)
    return out


def forms(name_word: str) -> list[str]:
    """The inflected forms the table gives a folded Cyrillic name word (for tests and docs).

    >>> "харкові" in forms("харків")
    True
    """
    out = [name_word]
    for nominative, endings in _PAIRS.items():
        if not name_word.endswith(nominative):
            continue
        stem = name_word[: len(name_word) - len(nominative)] if nominative else name_word
        if len(stem) < MIN_STEM:
            continue
        for ending in endings:
            form = stem + ending
            if form not in out:
                out.append(form)
    return out
