"""Feeds: fill the store from JSON Feeds and sitrep feeds, idempotently, and export one.

Modules (dependencies point down the list):

==================  =====================================================================
``base``            ParsedFeed / FeedItem / Rejection, safe JSON loading, id checks
``jsonfeed``        JSON Feed 1.0/1.1 → claim records (pure: bytes in)
``native``          the ``"sitrep_feed": 1`` format: parse, and build for export
``detect``          ``parse_feed(bytes)``: whichever format the document declares
``fetch``           bytes from a path, ``-`` or an http(s) URL (httpx; caps, retries, 304)
``matching``        settlements named in text, sources by name/alias, duplicate keys
``merge``           the merge rules (module docstring) → ImportReport + one store write
``report``          ImportReport: counts, rejections, conflicts, duplicates, changes
``importer``        end to end: location → fetch → parse → merge
``subscriptions``   the ``feeds`` table; conditional-GET pulls
==================  =====================================================================

The CLI commands (``import``, ``export --format feed``, ``feeds ...``) are in
:mod:`sitrep.cli.feeds`.

For the dashboard (``i`` and ``R``): call these from a worker thread; each blocks, and each
raises :class:`sitrep.errors.FeedError` (one line, nothing written) when the feed cannot be
read, or a store error (``WriteError``...) when the write fails::

    from sitrep.feeds.importer import import_location
    report = import_location(store, path_or_url_or_dash, analyst=name,
                             progress=lambda done, total: ...)   # bytes while downloading

    from sitrep.feeds.subscriptions import subscriptions, pull, pull_all, get_subscription
    from sitrep.feeds.subscriptions import fetch_subscription, import_pulled
    subscriptions(store)                  # [{"id", "name", "url", "etag", ...}, ...]
    report = pull(store, name, analyst=name)
    results = pull_all(store, analyst=name)   # [PullResult(name, report | None, error | None)]
    # pull() in two halves, so the network wait can run outside a store lock:
    fetched = fetch_subscription(dict(get_subscription(store, name)), progress=...)
    report = import_pulled(store, name, fetched, analyst=name)

    report.summary()    # "new 3 · updated 1 · unchanged 16 · rejected 0 · conflicts 0"
    report.lines()      # the CLI's text: heading, counts, rejections, conflicts, duplicates
    report.counts(), report.rejections, report.conflicts, report.duplicates, report.written
    report.not_modified # True after an HTTP 304 (nothing was read or written)

Report strings carry feed data (titles, ids, reasons) as they came: show them with
``Text(...)`` / ``markup=False``, never as markup.
"""
