"""Feed subscriptions: kept in the DB's ``feeds`` table, pulled with conditional GETs.

A subscription record::

    {"id": "wire", "name": "wire", "url": "https://wire.example/feed.json",
     "etag": "\\"v7\\"", "last_modified": "Wed, 21 Oct 2026 07:28:00 GMT",
     "last_pulled": "2026-11-24T10:00:00Z", "history": []}

A pull sends ``If-None-Match``/``If-Modified-Since`` from the record. A 304 costs that one
request and no write. A 200 is imported, and the new validators and ``last_pulled`` are saved
in the same single write as the claims; when the feed brought nothing new and the validators
did not change, nothing is written at all (``last_pulled`` is the time of the last pull that
changed something).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from sitrep.dates import utc_now_iso
from sitrep.errors import InvalidValueError, NotFoundError, SitrepError, WriteError
from sitrep.feeds.base import id_problem, locate_rejections
from sitrep.feeds.fetch import Fetched, Progress, fetch_url, make_client
from sitrep.feeds.importer import parse_fetched
from sitrep.feeds.merge import plan_feed, write_plan
from sitrep.feeds.report import ImportReport
from sitrep.gc_pause import gc_paused
from sitrep.models import FEEDS_TABLE, Record

if TYPE_CHECKING:
    from sitrep.store import Store

_NAME = re.compile(r"[^a-z0-9._-]+")


@dataclass(slots=True)
class PullResult:
    """One subscription's pull: its report, or the one-line error that stopped it.

    ``unsaved`` marks an error of the write itself (WriteError: read-only file, full disk,
    lock held): the import was made but could not be saved; the dashboard keeps it pending.
    """

    name: str
    report: ImportReport | None = None
    error: str | None = None
    unsaved: bool = False


def subscriptions(store: Store) -> list[Record]:
    """The subscriptions in file order."""
    return [r for r in store.document.get(FEEDS_TABLE, {}).values()
            if isinstance(r, dict) and isinstance(r.get("id"), str)]


def get_subscription(store: Store, name: str) -> Record:
    """The subscription called ``name``, or NotFoundError."""
    record = store.get(FEEDS_TABLE, name)
    if record is None:
        known = ", ".join(r["id"] for r in subscriptions(store)) or "none yet"
        raise NotFoundError(f"no feed subscription named {name!r} (subscriptions: {known})")
    return record


def add_subscription(store: Store, url: str, *, analyst: str, name: str | None = None) -> Record:
    """Subscribe to the http(s) feed at ``url`` under ``name`` (default: from the host)."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise InvalidValueError(f"a subscription needs an http(s) URL, not {url!r}")
    if any(r.get("url") == url.strip() for r in subscriptions(store)):
        raise InvalidValueError(f"already subscribed to {url}")
    if name is None:
        base = _NAME.sub("-", parts.hostname or "feed").strip("-") or "feed"
        name, n = base, 2
        while store.get(FEEDS_TABLE, name) is not None:
            name, n = f"{base}-{n}", n + 1
    problem = id_problem(name, "name")
    if problem:
        raise InvalidValueError(problem)
    if store.get(FEEDS_TABLE, name) is not None:
        raise InvalidValueError(f"a subscription named {name!r} exists already")
    record = {"id": name, "name": name, "url": url.strip(), "etag": "", "last_modified": "",
              "last_pulled": ""}
    store.apply([store.changes.put(FEEDS_TABLE, record, by=analyst)])
    return get_subscription(store, name)


def remove_subscription(store: Store, name: str, *, analyst: str) -> None:
    """Forget the subscription ``name`` (claims it brought stay)."""
    get_subscription(store, name)
    store.apply([store.changes.delete(FEEDS_TABLE, name, by=analyst)])


def pull(
    store: Store,
    name: str,
    *,
    analyst: str,
    client: httpx.Client | None = None,
    max_bytes: int | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Pull one subscription: conditional GET, then import (one write, or none)."""
    fetched = fetch_subscription(get_subscription(store, name), client=client,
                                 max_bytes=max_bytes, progress=progress)
    return import_pulled(store, name, fetched, analyst=analyst, max_bytes=max_bytes,
                         dry_run=dry_run)


def fetch_subscription(
    record: Record,
    *,
    client: httpx.Client | None = None,
    max_bytes: int | None = None,
    progress: Progress | None = None,
) -> Fetched:
    """The first half of :func:`pull`: the conditional GET for a subscription record.

    It does not touch the store, so the dashboard runs it outside its store lock (a slow
    server holds up nothing else) and then calls :func:`import_pulled` under the lock.
    """
    return fetch_url(
        record["url"], client=client, max_bytes=max_bytes, progress=progress,
        etag=record.get("etag") or None, last_modified=record.get("last_modified") or None,
    )


def import_pulled(
    store: Store,
    name: str,
    fetched: Fetched,
    *,
    analyst: str,
    max_bytes: int | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """The second half of :func:`pull`: import what was fetched and save the validators."""
    record = get_subscription(store, name)
    if fetched.not_modified:
        report = ImportReport(record["url"], title=name, not_modified=True, dry_run=dry_run)
        return report
    parsed = parse_fetched(fetched, max_bytes=max_bytes)
    assert fetched.data is not None  # not_modified was handled above
    plan = plan_feed(store, parsed, analyst=analyst, location=record["url"])
    plan.report.dry_run = dry_run
    updated = dict(record)
    updated["etag"] = fetched.etag or ""
    updated["last_modified"] = fetched.last_modified or ""
    validators_moved = (updated["etag"], updated["last_modified"]) != (
        record.get("etag", ""), record.get("last_modified", ""))
    report = plan.report
    if not dry_run and (plan.ops or validators_moved):
        updated["last_pulled"] = utc_now_iso()
        subscription = store.changes.put(FEEDS_TABLE, updated, by=analyst)
        with gc_paused():
            report = write_plan(store, plan, [subscription], text=fetched.data)
    locate_rejections(report.rejections, fetched.data)
    report.warnings[:0] = fetched.warnings
    return report


def pull_all(
    store: Store,
    *,
    analyst: str,
    names: list[str] | None = None,
    client: httpx.Client | None = None,
    max_bytes: int | None = None,
    lock: Callable[[], AbstractContextManager[object]] = nullcontext,
    progress: Progress | None = None,
    started: Callable[[str, int, int], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> list[PullResult]:
    """Pull every subscription (or those in ``names``), in order; one failing feed does not
    stop the others. The one pull loop of every front end (``sitrep feeds pull`` and the
    dashboard's ``R``).

    The store is touched only inside ``lock()`` (the dashboard passes its store lock), and
    each feed's download runs outside it, so a slow server holds up nothing else.
    ``started(name, n, total)`` is called before each feed and ``progress`` during its
    download; when ``cancelled()`` turns true the loop stops before the next import.
    """
    with lock():
        wanted = names if names is not None else [r["id"] for r in subscriptions(store)]
    own = client is None
    http = client or make_client()
    results: list[PullResult] = []
    try:
        for n, name in enumerate(wanted, 1):
            if started is not None:
                started(name, n, len(wanted))
            try:
                with lock():  # a copy: the fetch runs unlocked
                    record = dict(get_subscription(store, name))
                fetched = fetch_subscription(record, client=http, max_bytes=max_bytes,
                                             progress=progress)
                if cancelled():
                    break
                with lock():
                    report = import_pulled(store, name, fetched, analyst=analyst,
                                           max_bytes=max_bytes)
                results.append(PullResult(name, report))
            except WriteError as exc:
                results.append(PullResult(name, error=str(exc), unsaved=True))
            except SitrepError as exc:  # FeedError, NotFoundError, a refused value: one line
                results.append(PullResult(name, error=str(exc)))
    finally:
        if own:
            http.close()
    return results
