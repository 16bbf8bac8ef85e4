"""Shared fixtures for the feed tests: real temp files, a real loopback HTTP server."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson
import pytest

# A byte-identical copy of ../shared/realdata/jsonfeed11_3960_journal.json (see tests/data).
REAL_FEED = Path(__file__).resolve().parents[1] / "data" / "jsonfeed11_3960_journal.json"
PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy",
              "all_proxy", "no_proxy")


@pytest.fixture(autouse=True)
def _no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests talk to loopback directly unless a test sets a proxy on purpose."""
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def real_feed_bytes() -> bytes:
    """The real JSON Feed 1.1 from the workspace's shared/realdata (20 items)."""
    return REAL_FEED.read_bytes()


SAMPLE_DB = Path(__file__).resolve().parents[2] / "sample_data" / "sitrep.json"


@pytest.fixture
def sample_db(tmp_path: Path) -> Path:
    """A copy of the sample DB (9 settlements, 4 sources, 16 claims) in a temp folder."""
    path = tmp_path / "sitrep.json"
    path.write_bytes(SAMPLE_DB.read_bytes())
    return path


@pytest.fixture
def write_count(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every atomic rewrite of a DB file, recorded (the real write still happens)."""
    import sitrep.store.store

    calls: list[Path] = []
    real = sitrep.store.store.atomic_write

    def spy(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(Path(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(sitrep.store.store, "atomic_write", spy)
    return calls


V11 = "https://jsonfeed.org/version/1.1"


def jsonfeed_bytes(items: list[Any], **top: Any) -> bytes:
    """A JSON Feed 1.1 document with ``items`` (and top-level fields) as bytes."""
    doc = {"version": V11, "title": "Test wire", "feed_url": "https://wire.test/feed.json"}
    doc.update(top)
    doc["items"] = items
    return orjson.dumps(doc)


def feed_item(item_id: Any, text: str = "Shelling reported near Lysychansk.", **extra: Any
              ) -> dict[str, Any]:
    """One JSON Feed item."""
    out: dict[str, Any] = {"id": item_id, "content_text": text,
                           "date_published": "2022-09-10T14:05:00+03:00"}
    out.update(extra)
    return out


@pytest.fixture
def fk() -> SimpleNamespace:
    """Feed builders: ``fk.jsonfeed(items, **top)`` and ``fk.item(id, text, **fields)``."""
    return SimpleNamespace(jsonfeed=jsonfeed_bytes, item=feed_item)
