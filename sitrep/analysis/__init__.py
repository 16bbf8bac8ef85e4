"""The situation picture: pure functions over records (plain dicts as in the file).

One module per noun:

* :mod:`~sitrep.analysis.as_of` — what the file knew at the end of a date;
* :mod:`~sitrep.analysis.origins` — root origins, circular reporting, independent corroboration
  and the credibility it suggests;
* :mod:`~sitrep.analysis.track_record` — a source's record and the reliability it suggests;
* :mod:`~sitrep.analysis.triage` — stale claims, the impact order of the triage queue, disputed
  pictures and a settlement's control timeline.

Nothing here reads or writes a file; everything depends only on :mod:`sitrep.models` and
:mod:`sitrep.dates`.
"""
