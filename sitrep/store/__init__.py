"""The store: the DB file, its records and indexes, and every change made to it.

Front ends use :class:`Store` and the other names below; the parts live in submodules, each
one noun, composed by the Store (it holds them; none is a mixin):

==================  ==================================================================
``store``           the Store: open, reload, apply, flush, fold
``records``         the loaded records and the reads answered from them
``index``           in-memory indexes by id, settlement, source, status
``changes``         the builders of every change (status, grade, control, note, put, ...)
``ops``             every change as data, applied: set, note, append, put, delete
``validate``        every problem of a document or a record, by table, record and field
``journal``         the dashboard's append-only change journal
``backups``         the rotating backups: made on each write, listed, restored
``document``        the document's bytes both ways: parse and check, dump whole or in pieces
``chunked_read``    a big file in that layout, parsed a megabyte at a time
``json_keys``       keys given twice in one JSON object
``files``           stamps, lock, atomic write (with the backups' hook), fsync, safe reads
``tinydb_storage``  the TinyDB ``Storage`` adapter for scripts
==================  ==================================================================
"""

from __future__ import annotations

from sitrep.store.backups import Backups
from sitrep.store.changes import Changes
from sitrep.store.document import dump_document
from sitrep.store.journal import journal_path
from sitrep.store.json_keys import DuplicateKey
from sitrep.store.ops import Op
from sitrep.store.records import Records, searchable_text
from sitrep.store.store import Store, read_document, waiting_in_journal, write_document
from sitrep.store.tinydb_storage import SitrepStorage
from sitrep.store.validate import (
    IdLookup,
    Problem,
    check_record,
    duplicate_key_problems,
    locate_in_file,
    validate_document,
)

__all__ = [
    "Backups",
    "Changes",
    "DuplicateKey",
    "IdLookup",
    "Op",
    "Problem",
    "Records",
    "SitrepStorage",
    "Store",
    "check_record",
    "dump_document",
    "duplicate_key_problems",
    "journal_path",
    "locate_in_file",
    "read_document",
    "searchable_text",
    "validate_document",
    "waiting_in_journal",
    "write_document",
]
