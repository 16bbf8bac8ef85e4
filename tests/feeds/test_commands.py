"""The feed commands end to end through ``sitrep.cli.main``, against real files and a real
loopback HTTP server."""

from __future__ import annotations

import io
import socket
import sys
from pathlib import Path

import orjson
import pytest
from pytest_httpserver import HTTPServer

from sitrep.cli import main
from sitrep.store import Store

JSON_FEED = "application/feed+json"


def sitrep(db: Path, *argv: str) -> int:
    return main(["--db", str(db), *argv])


def test_import_prints_counts_and_rejections(sample_db: Path, fk, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "f.json"
    feed.write_bytes(fk.jsonfeed([fk.item("a"), fk.item("b", date_published="nope"),
                                  {"id": "c"}]))
    assert sitrep(sample_db, "import", str(feed)) == 0
    out = capsys.readouterr().out
    assert "new 1 · updated 0 · unchanged 0 · rejected 2 · conflicts 0" in out
    text = feed.read_text("utf-8")  # one line: the column is the offset of the value + 1
    nope, c = text.index('"nope"') + 1, text.index('{"id":"c"}') + 1
    assert f"  {feed}:1:{nope}: item b: unreadable date in 'date_published': 'nope'" in out
    assert f"  {feed}:1:{c}: item c: no content" in out


def test_import_json_and_dry_run(sample_db: Path, real_feed_bytes: bytes, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "f.json"
    feed.write_bytes(real_feed_bytes)
    before = sample_db.read_bytes()
    assert sitrep(sample_db, "import", str(feed), "--dry-run", "--json") == 0
    report = orjson.loads(capsys.readouterr().out)
    assert report["counts"]["new"] == 20 and report["dry_run"] and not report["written"]
    assert report["format"] == "JSON Feed 1.1"
    assert sample_db.read_bytes() == before


def test_import_from_stdin(sample_db: Path, real_feed_bytes: bytes,
                           monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    fake = io.TextIOWrapper(io.BytesIO(real_feed_bytes))
    monkeypatch.setattr(sys, "stdin", fake)
    assert sitrep(sample_db, "import", "-") == 0
    assert "new 20" in capsys.readouterr().out


def test_unreadable_feed_is_one_line_and_exit_1(sample_db: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"version": "https://jsonfeed.org/version/1.1", "items": [')
    before = sample_db.read_bytes()
    assert sitrep(sample_db, "import", str(bad)) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "truncated" in err
    assert sample_db.read_bytes() == before


def test_offline_is_one_line(sample_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    before = sample_db.read_bytes()
    assert sitrep(sample_db, "import", f"http://127.0.0.1:{port}/feed.json") == 1
    err = capsys.readouterr().err
    assert err.startswith("sitrep: offline or unreachable") and err.count("\n") == 1
    assert sample_db.read_bytes() == before


def test_import_max_bytes_flag(sample_db: Path, real_feed_bytes: bytes, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "f.json"
    feed.write_bytes(real_feed_bytes)
    assert sitrep(sample_db, "import", str(feed), "--max-bytes", "1K") == 1
    assert "1,024 bytes" in capsys.readouterr().err


def test_export_then_import_into_new_db(sample_db: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "export.json"
    assert sitrep(sample_db, "export", "--format", "feed", "--out", str(out)) == 0
    assert "exported 16 claims, 4 sources, 9 settlements" in capsys.readouterr().err
    fresh = tmp_path / "fresh.json"
    assert sitrep(fresh, "import", str(out)) == 0
    assert "new 29" in capsys.readouterr().out
    assert Store.open(fresh).claims() == Store.open(sample_db).claims()
    assert sitrep(sample_db, "export", "--since", "whenever") == 1
    assert "--since" in capsys.readouterr().err


def test_export_to_stdout(sample_db: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert sitrep(sample_db, "export", "--format", "feed") == 0
    doc = orjson.loads(capsysbinary.readouterr().out)
    assert doc["sitrep_feed"] == 1 and len(doc["claims"]) == 16


def test_feeds_add_list_remove(sample_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert sitrep(sample_db, "feeds", "add", "https://wire.test/feed.json") == 0
    assert sitrep(sample_db, "feeds", "add", "https://wire.test/other.json", "--name",
                  "other") == 0
    assert sitrep(sample_db, "feeds", "add", "ftp://wire.test/x") == 1
    assert sitrep(sample_db, "feeds", "add", "https://wire.test/feed.json") == 1
    capsys.readouterr()
    assert sitrep(sample_db, "feeds", "list", "--json") == 0
    rows = orjson.loads(capsys.readouterr().out)
    assert [(r["name"], r["url"]) for r in rows] == [
        ("wire.test", "https://wire.test/feed.json"), ("other", "https://wire.test/other.json")]
    assert sitrep(sample_db, "feeds", "remove", "other") == 0
    assert sitrep(sample_db, "feeds", "remove", "other") == 1
    assert "no feed subscription named 'other'" in capsys.readouterr().err
    assert sitrep(sample_db, "feeds") == 1


def test_pull_conditional_get(sample_db: Path, fk, httpserver: HTTPServer, write_count,
                              capsys: pytest.CaptureFixture[str]) -> None:
    body = fk.jsonfeed([fk.item("p1"), fk.item("p2", "Quiet in Svatove.")])
    httpserver.expect_request("/feed.json", headers={"If-None-Match": '"v1"'}).respond_with_data(
        b"", status=304, headers={"ETag": '"v1"'})
    httpserver.expect_request("/feed.json").respond_with_data(
        body, content_type=JSON_FEED, headers={"ETag": '"v1"'})
    assert sitrep(sample_db, "feeds", "add", httpserver.url_for("/feed.json"), "--name",
                  "wire") == 0
    writes = len(write_count)
    assert sitrep(sample_db, "feeds", "pull") == 0
    assert "wire: imported 'Test wire'" in capsys.readouterr().out
    assert len(write_count) == writes + 1  # claims, source and subscription: one write
    sub = Store.open(sample_db).get("feeds", "wire")
    assert sub["etag"] == '"v1"' and sub["last_pulled"]
    before = sample_db.read_bytes()
    assert sitrep(sample_db, "feeds", "pull", "wire") == 0
    assert "wire: not modified" in capsys.readouterr().out
    assert sample_db.read_bytes() == before and len(write_count) == writes + 1
    assert len(httpserver.log) == 2


def test_pull_without_validators_unchanged_writes_nothing(
    sample_db: Path, fk, httpserver: HTTPServer, write_count
) -> None:
    httpserver.expect_request("/f").respond_with_data(fk.jsonfeed([fk.item("q")]),
                                                      content_type=JSON_FEED)
    sitrep(sample_db, "feeds", "add", httpserver.url_for("/f"), "--name", "plain")
    assert sitrep(sample_db, "feeds", "pull") == 0
    before, writes = sample_db.read_bytes(), len(write_count)
    assert sitrep(sample_db, "feeds", "pull") == 0
    assert sample_db.read_bytes() == before and len(write_count) == writes


def test_pull_one_failing_feed_does_not_stop_others(
    sample_db: Path, fk, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/gone").respond_with_data(b"", status=404)
    httpserver.expect_request("/ok").respond_with_data(fk.jsonfeed([fk.item("z")]),
                                                       content_type=JSON_FEED)
    sitrep(sample_db, "feeds", "add", httpserver.url_for("/gone"), "--name", "gone")
    sitrep(sample_db, "feeds", "add", httpserver.url_for("/ok"), "--name", "ok")
    capsys.readouterr()
    assert sitrep(sample_db, "feeds", "pull", "--json") == 1
    results = {r["name"]: r for r in orjson.loads(capsys.readouterr().out)}
    assert "HTTP 404" in results["gone"]["error"]
    assert results["ok"]["report"]["counts"]["new"] == 1


def test_html_page_instead_of_feed_names_the_content_type(
    sample_db: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/feed").respond_with_data(
        b"<!doctype html><html><body>Login</body></html>", content_type="text/html")
    before = sample_db.read_bytes()
    assert sitrep(sample_db, "import", httpserver.url_for("/feed")) == 1
    err = capsys.readouterr().err
    assert "not valid JSON" in err and "server says text/html" in err
    assert sample_db.read_bytes() == before


def test_download_progress_is_reported(sample_db: Path, fk, httpserver: HTTPServer) -> None:
    from sitrep.feeds.importer import import_location

    body = fk.jsonfeed([fk.item(f"i{n}") for n in range(50)])
    httpserver.expect_request("/f").respond_with_data(body, content_type=JSON_FEED)
    seen: list[tuple[int, int | None]] = []
    report = import_location(Store.open(sample_db), httpserver.url_for("/f"), analyst="t",
                             progress=lambda done, total: seen.append((done, total)))
    assert report.new == 50
    assert seen[-1] == (len(body), len(body))
