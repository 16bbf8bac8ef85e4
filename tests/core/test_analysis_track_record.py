"""A source's record by status and the reliability it suggests."""

from __future__ import annotations

import pytest

from sitrep.analysis.track_record import MIN_RESOLVED, suggest_reliability, track_records
from sitrep.models import STATUSES


def claims_of(source: str, **counts: int) -> list[dict]:
    out = []
    for status, n in counts.items():
        out += [{"id": f"{source}-{status}-{i}", "source": source, "status": status}
                for i in range(n)]
    return out


def test_counts_by_status_with_every_status_listed() -> None:
    claims = claims_of("hayday", confirmed=2, unverified=3) + claims_of("cnn", false=1)
    claims.append({"id": "odd", "source": "cnn", "status": "rumour"})
    claims.append({"id": "no-status", "source": "cnn"})
    claims.append({"id": "no-source", "status": "false"})
    records = track_records(claims, [{"id": "quiet"}, {"id": "hayday"}])
    assert list(records) == ["quiet", "hayday", "cnn"]
    assert records["quiet"].counts == dict.fromkeys(STATUSES, 0)
    assert records["hayday"].counts["confirmed"] == 2 and records["hayday"].total == 5
    assert records["cnn"].counts["rumour"] == 1 and records["cnn"].counts["unverified"] == 1
    assert records["cnn"].to_json() == {"record": records["cnn"].counts,
                                        "suggested_reliability": "F"}


def test_f_until_enough_claims_are_resolved() -> None:
    assert MIN_RESOLVED == 5
    assert suggest_reliability(4, 0) == "F"
    assert suggest_reliability(0, 4) == "F"
    assert suggest_reliability(5, 0) == "B"
    assert suggest_reliability(0, 5) == "E"
    unresolved = track_records(claims_of("s", unverified=50, disputed=10))["s"]
    assert unresolved.suggested_reliability == "F"


@pytest.mark.parametrize(("valid", "invalid", "letter"), [
    (17, 0, "B"), (18, 0, "A"), (36, 1, "B"), (37, 1, "A"),
    (9, 2, "C"), (4, 1, "C"), (11, 2, "B"),
    (4, 2, "C"), (3, 2, "D"), (2, 3, "D"), (1, 4, "E"), (3, 3, "D"), (2, 5, "E"),
])
def test_beta_posterior_mean_thresholds(valid: int, invalid: int, letter: str) -> None:
    assert suggest_reliability(valid, invalid) == letter


def test_corroborated_counts_as_valid_and_the_words() -> None:
    claims = claims_of("s", confirmed=5, corroborated=4, false=2, unverified=3)
    record = track_records(claims)["s"]
    assert (record.valid, record.invalid, record.total) == (9, 2, 14)
    assert record.suggested_reliability == "C"
    assert record.words("B") == ("B assigned · record: 4 corroborated, 5 confirmed, 2 false of 14"
                                 " · suggests C")
    assert track_records(claims_of("t", unverified=2))["t"].words() == (
        "record: nothing resolved of 2 · suggests F")
