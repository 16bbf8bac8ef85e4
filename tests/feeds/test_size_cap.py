"""Issue 13: local files have no size limit; downloads do, set in config.toml."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from pytest_httpserver import HTTPServer

from sitrep.cli import main
from sitrep.config import load_settings
from sitrep.errors import InvalidValueError
from sitrep.store import Store

BIG = 21 * 1024 * 1024  # over the old 20 MB cap of every feed


def _config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str | None) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    folder = tmp_path / "config" / "sitrep"
    folder.mkdir(parents=True, exist_ok=True)
    if text is not None:
        (folder / "config.toml").write_text(text)
    return folder / "config.toml"


def _feed(fk, padding: int = 0) -> bytes:  # type: ignore[no-untyped-def]
    doc = orjson.loads(fk.jsonfeed([fk.item("a"), fk.item("b")]))
    if padding:
        doc["_padding"] = "x" * padding  # an extension key: ignored, but counted in the size
    return orjson.dumps(doc)


def test_a_local_file_over_20_mb_imports(sample_db: Path, tmp_path: Path, fk,
                                         monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    _config(tmp_path, monkeypatch, None)
    feed = tmp_path / "big.json"
    feed.write_bytes(_feed(fk, BIG))
    assert feed.stat().st_size > BIG
    assert main(["--db", str(sample_db), "import", str(feed)]) == 0
    assert "new 2 · updated 0" in capsys.readouterr().out
    assert sum(c.get("feed_item_id") in ("a", "b") for c in Store.open(sample_db).claims()) == 2
    # an explicit --max-bytes still limits a file
    assert main(["--db", str(sample_db), "import", str(feed), "--max-bytes", "20MB"]) == 1
    assert "bigger than 20,971,520 bytes" in capsys.readouterr().err


def test_the_download_cap_comes_from_config(sample_db: Path, tmp_path: Path, fk,
                                            monkeypatch: pytest.MonkeyPatch,
                                            httpserver: HTTPServer,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    body = _feed(fk, 4000)
    httpserver.expect_request("/feed.json").respond_with_data(
        body, content_type="application/feed+json")
    url = httpserver.url_for("/feed.json")
    _config(tmp_path, monkeypatch, 'max_download_bytes = "2K"\n')
    before = sample_db.read_bytes()
    assert main(["--db", str(sample_db), "import", url]) == 1
    err = capsys.readouterr().err
    assert "over the 2,048 limit" in err or "bigger than 2,048 bytes" in err
    assert sample_db.read_bytes() == before
    # --max-bytes overrides the config for one command
    assert main(["--db", str(sample_db), "import", url, "--max-bytes", "1M"]) == 0
    capsys.readouterr()
    # a subscription pull is a download too
    assert main(["--db", str(sample_db), "feeds", "add", url, "--name", "wire"]) == 0
    assert main(["--db", str(sample_db), "feeds", "pull"]) == 1
    assert "2,048" in capsys.readouterr().out
    _config(tmp_path, monkeypatch, "max_download_bytes = 1_000_000\n")
    assert main(["--db", str(sample_db), "feeds", "pull"]) == 0


@pytest.mark.parametrize(("text", "cap"), [
    (None, 20 * 1024 * 1024), ("max_download_bytes = 5000\n", 5000),
    ('max_download_bytes = "50MB"\n', 50 * 1024 * 1024),
    ('max_download_bytes = "512 K"\n', 512 * 1024)])
def test_config_sizes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str | None,
                      cap: int) -> None:
    _config(tmp_path, monkeypatch, text)
    assert load_settings().max_download_bytes == cap


@pytest.mark.parametrize("text", ['max_download_bytes = "lots"\n', "max_download_bytes = 0\n",
                                  "max_download_bytes = true\n", "max_download_bytes = 1.5\n"])
def test_a_bad_cap_is_one_message(sample_db: Path, tmp_path: Path, text: str,
                                  monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = _config(tmp_path, monkeypatch, text)
    with pytest.raises(InvalidValueError, match="max_download_bytes must be a size"):
        load_settings()
    assert main(["--db", str(sample_db), "import", "http://127.0.0.1:9/feed.json"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"sitrep: {path}: max_download_bytes must be a size")
