"""Reading fields: the fast date reader agrees with sitrep.dates; odd values never raise."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from sitrep import dates
from sitrep.errors import InvalidValueError
from sitrep.reports import fields


def _expected(value: str) -> tuple[str, str, datetime] | None:
    try:
        parsed = dates.parse(value)
    except InvalidValueError:
        return None
    return parsed.iso(), parsed.precision.value, parsed.start


def test_dates_as_sitrep_dates_reads_them() -> None:
    for value in ("2022", "2022-06", "2022-09-10", "2022-09-10T14:05:00Z", "2022-13",
                  "2022-02-30", "2022-09-10T25:00:00Z", "0000", "10 Sep 2022", "September 2022",
                  "2022-09-10T14:05:00+03:00", "", "soon"):
        got = fields._read_date(value) if value else None
        assert got == (_expected(value) if value else None), value


@given(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(2999, 12, 31)),
       st.sampled_from([4, 7, 10, 20]))
def test_canonical_forms_agree_with_sitrep_dates(moment: datetime, width: int) -> None:
    value = moment.replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")[:width]
    assert fields._read_date(value) == _expected(value)


@given(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
                 st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3),
                                                                      st.integers(), max_size=2)))
def test_odd_values_give_an_answer_not_an_error(value: object) -> None:
    record = {"id": value, "status": value, "credibility": value, "reliability": value,
              "reported_at": value, "lat": value, "lon": value, "location": value,
              "settlements": value, "control": value, "history": value, "url": value}
    fields.text(value)
    fields.strings(value)
    fields.date_label(value)
    fields.precision(value)
    assert fields.status(record) in fields.STATUS_ORDER
    fields.grade(record, record)
    fields.coordinates(record)
    fields.location(record)
    fields.control_since(record)
    fields.history(record)
    assert fields.http_url(value) is None or isinstance(value, str)


@given(st.text(max_size=40))
def test_ids_are_the_uuid_modules_uuid5(name: str) -> None:
    import uuid

    from sitrep.reports.ids import uuid5

    namespace = uuid.UUID("6f1f0a52-3f0c-5c1e-9d57-1a5b2a8f4c11")
    try:
        expected = str(uuid.uuid5(namespace, name))
    except UnicodeEncodeError:  # a lone surrogate: the uuid module cannot, we still can
        expected = None
    assert expected is None or uuid5(namespace, name) == expected
