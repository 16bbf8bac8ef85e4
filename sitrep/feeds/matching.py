"""Finding the store's records a feed item speaks of: settlements, sources, near-duplicates.

* Settlements named in a text are found by :class:`sitrep.places.matcher.PlaceMatcher`
  (re-exported here): every script and transliteration, declined Ukrainian and Russian forms,
  case-aware, regions apart from their capitals, ambiguous names left unlinked.
* :class:`SourceIndex` resolves an author name to a source by name or alias (case-insensitive)
  and makes ids for sources the import has to create.
* :func:`text_key` is the normal form two claim texts share when they are near-identical.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from sitrep.models import Record
from sitrep.places.matcher import PlaceMatcher

__all__ = ["PlaceMatcher", "SourceIndex", "text_key"]

_ASCII_PUNCTUATION = b"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_BYTE_SPACES = bytes(32 if (i < 33 or i in _ASCII_PUNCTUATION) else i for i in range(256))
_UNICODE_PUNCTUATION = str.maketrans({ch: " " for ch in "«»“”„‘’‚‹›—–…·•¡¿\u00a0"})
_SLUG = re.compile(r"[^a-z0-9]+")


class SourceIndex:
    """Sources by case-insensitive name and alias; makes unique ids for new ones."""

    def __init__(self, sources: Iterable[Record]) -> None:
        self.by_name: dict[str, str] = {}
        self.ids: set[str] = set()
        for record in sources:
            self.add(record)

    def add(self, record: Record) -> None:
        """Index one source (the first source to claim a name keeps it)."""
        sid = record.get("id")
        if not isinstance(sid, str):
            return
        self.ids.add(sid)
        names = [record.get("name")]
        aliases = record.get("aliases")
        if isinstance(aliases, list):
            names.extend(aliases)
        for name in names:
            if isinstance(name, str) and name.strip():
                self.by_name.setdefault(name.strip().casefold(), sid)

    def lookup(self, name: str) -> str | None:
        """The id of the source called ``name`` (name or alias), or None."""
        return self.by_name.get(name.strip().casefold())

    def new_id(self, name: str) -> str:
        """A fresh source id derived from ``name`` (ASCII slug, numbered if taken)."""
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        base = _SLUG.sub("-", ascii_name.lower()).strip("-")[:40].strip("-") or "source"
        candidate, n = base, 2
        while candidate in self.ids:
            candidate, n = f"{base}-{n}", n + 1
        return candidate


def text_key(text: str) -> bytes:
    """The normal form of a claim text for spotting near-identical claims.

    Case, punctuation and spacing are ignored; the first 500 bytes count. Bytes, because
    ``bytes.translate`` is several times faster than its ``str`` twin.
    """
    normalised = text[:600].casefold()
    if not normalised.isascii():
        normalised = normalised.translate(_UNICODE_PUNCTUATION)
    return b" ".join(normalised.encode().translate(_BYTE_SPACES).split())[:500]
