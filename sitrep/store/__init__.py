"""The store: the DB file, its records and indexes, and every change made to them.

Front ends use :class:`Store`; the parts live in submodules, each one noun:

==================  ==================================================================
``store``           the Store: open, reload, apply, flush, fold
``changes``         the named changes an analyst makes (set_status, set_credibility, ...)
``queries``         read-only questions answered from the indexes
``ops``             every change as data: set, note, append, put, delete
``index``           in-memory indexes by id, settlement, source, status
``journal``         the dashboard's append-only change journal
``files``           stamps, lock, atomic write, safe reads; the TinyDB Storage
``serialise``       the file's layout, whole or a thousand records at a time
``chunked_read``    a big file in sitrep's layout, parsed a megabyte at a time
``json_keys``       keys given twice in one JSON object
``backups``         the rotating backups and restoring one
``validate``        every problem of a document, by table, record and field
==================  ==================================================================
"""

from __future__ import annotations

from sitrep.store.files import read_document
from sitrep.store.json_keys import DuplicateKey
from sitrep.store.store import Store
from sitrep.store.validate import Problem, duplicate_key_problems, validate_document

__all__ = [
    "DuplicateKey",
    "Problem",
    "Store",
    "duplicate_key_problems",
    "read_document",
    "validate_document",
]
