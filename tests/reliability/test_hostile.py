"""Hostile input: DB files a person, a broken sync tool or an attacker could leave behind.

Every CLI command on each file: a clear one-line message and the right exit code (65 when the
file cannot be parsed, 0/1 otherwise), never a traceback, output free of raw escape, control and
bidi-override characters; the DB byte-identical wherever the command was refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from .helpers import SAMPLE, assert_clean_error, dump, run_main, run_sitrep

HOT = "c-cnn-new-front"
ESC = "\x1b[31mRED\x1b[0m\x1b]0;pwned\x07\x1b]8;;http://x/\x1b\\link\x1b]8;;\x1b\\\x9b2J"
CTRL = "nul\x00bell\x07bs\x08cr\rdel\x7fnel\x85"
RTL = "abc\u202edcba\u2066x\u2069"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

Doc = dict[str, Any]


def _claim(doc: Doc, rid: str = HOT) -> Doc:
    return next(r for r in doc["claims"].values() if r["id"] == rid)


def _everywhere(text: str) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        claim = _claim(doc)
        claim["text"] = claim["quote"] = claim["via"] = text
        claim["tags"] = [text]
        claim["urls"] = [text, f"https://x.example/{text}"]
        claim["evidence"] = [{"url": text, "kind": text, "note": text},
                             {"url": f"https://x.example/{text}", "kind": "video",
                              "note": text}]
        claim["location"] = {"lat": 48.9, "lon": 38.4, "precision_m": 50}
        claim[f"field{text}"] = text
        claim["history"].append({"at": text, "by": text, "field": text, "from": text, "to": text,
                                 "note": text})
        source = doc["sources"][next(iter(doc["sources"]))]
        source["name"] = source["role"] = source["reliability"] = text
        settlement = doc["settlements"][next(iter(doc["settlements"]))]
        settlement["name"] = text
        settlement["control"].append({"controller": text, "as_of": text, "claim": text,
                                      "note": text})
        extra = dict(claim, id=f"c-{text}", history=[])
        doc["claims"]["900"] = extra
        doc["feeds"] = {"1": {"id": f"wire{text}", "name": text, "url": f"http://x/{text}",
                              "etag": text, "last_modified": text, "last_pulled": text}}
    return mutate


def _numbers_for_strings(doc: Doc) -> None:
    claim = _claim(doc)
    claim.update(text=7, quote=1.5, source=3, status=4, tags=1, settlements=[1, 2],
                 reported_at=2022, corroborates=5, history="x", urls=[1, None],
                 evidence=[3, {"url": 4, "kind": 5, "note": 6}], location={"lat": "x", "lon": True})
    other = next(c for c in doc["claims"].values() if c is not claim)
    other.update(urls=5, evidence="x", location=[48.9, 38.4])
    settlement = doc["settlements"][next(iter(doc["settlements"]))]
    settlement.update(name=1, alt_names=3, control=5, lat="north")
    doc["settlements"]["77"] = dict(settlement, id=12, control=[{"as_of": 2022, "controller": 1}])
    source = doc["sources"][next(iter(doc["sources"]))]
    source.update(id=9, reliability=2, aliases="x")


def _duplicates(doc: Doc) -> None:
    doc["claims"]["901"] = dict(_claim(doc), text="second with the same id")
    first = doc["settlements"][next(iter(doc["settlements"]))]
    doc["settlements"]["902"] = dict(first)


def _missing_ids(doc: Doc) -> None:
    del _claim(doc)["id"]
    del doc["sources"][next(iter(doc["sources"]))]["id"]


def _dangling(doc: Doc) -> None:
    claim = _claim(doc)
    claim.update(source="nobody", settlements=["atlantis"], origin="c-nope",
                 contradicts=["c-gone"])
    doc["settlements"][next(iter(doc["settlements"]))]["control"].append(
        {"controller": "ua", "as_of": "2022-10", "claim": "c-missing", "note": ""})


def _not_records(doc: Doc) -> None:
    doc["claims"]["903"] = "just text"
    doc["claims"]["904"] = [1, 2]
    doc["claims"]["905"] = None
    doc["sources"]["906"] = 5


def _big_strings(doc: Doc) -> None:
    _claim(doc)["text"] = "x" * 300_000
    _claim(doc)["notes"] = "\u202e" * 1000 + "y" * 299_000


def _deep_but_legal() -> bytes:
    """Nesting 1000 deep: within what the parser accepts, beyond what the writer can write."""
    doc = orjson.loads(SAMPLE.read_bytes())
    _claim(doc)["extra"] = "@LIST@"
    doc["claims"]["907"] = {"id": "c-deep", "text": "t", "source": "cnn", "tags": "@OBJ@"}
    doc["settlements"]["908"] = "@LIST@"
    payload = dump(doc)
    payload = payload.replace(b'"@LIST@"', b"[" * 1000 + b'"bottom"' + b"]" * 1000)
    return payload.replace(b'"@OBJ@"', b'{"k": ' * 1000 + b"1" + b"}" * 1000)


def _meta_garbage(doc: Doc) -> None:
    doc["_meta"] = {"1": {"schema": "x", "journal_folded": "yes"}}


def _weird_tables(doc: Doc) -> None:
    doc["claims"]["abc"] = dict(_claim(doc), id="c-key-not-a-number")
    doc["\x1b[2Jtable"] = {}


def _mutated(*mutations: Callable[[Doc], None]) -> bytes:
    doc = orjson.loads(SAMPLE.read_bytes())
    for mutate in mutations:
        mutate(doc)
    return dump(doc)


def _pasted_record(field_twice: bool = False) -> bytes:
    """The sample with its first claim copied by hand (vim ``yyp``) under the same doc key
    with a new id; or, with ``field_twice``, a status line added above the old one."""
    text = GOOD.decode()
    start = text.index('\n    "1": {', text.index('"claims": {'))
    end = text.index("\n    }", start) + len("\n    }")
    record = text[start:end]
    if field_twice:
        edited = record.replace('\n      "id"', '\n      "status": "confirmed",\n      "id"', 1)
        return (text[:start] + edited + text[end:]).encode()
    copy = record.replace('"id": "c-', '"id": "c-pasted-', 1)
    return (text[:end] + "," + copy + text[end:]).encode()


def _deep_nesting(depth: int) -> bytes:
    return b'{"claims": {"1": {"id": "c", "text": ' + b"[" * depth + b"]" * depth + b"}}}\n"


GOOD = SAMPLE.read_bytes()
PARSEABLE: dict[str, bytes] = {
    "rich markup": _mutated(_everywhere("[bold red]x[/] [link=file:///etc/passwd]y[/link] [/]")),
    "ANSI and OSC escapes": _mutated(_everywhere(ESC)),
    "NUL and control characters": _mutated(_everywhere(CTRL)),
    "right-to-left override": _mutated(_everywhere(RTL)),
    "300 KB strings": _mutated(_big_strings),
    "1000-deep nesting": _deep_but_legal(),
    "numbers where strings belong": _mutated(_numbers_for_strings),
    "duplicate ids": _mutated(_duplicates),
    "missing ids": _mutated(_missing_ids),
    "dangling references": _mutated(_dangling),
    "records that are not objects": _mutated(_not_records),
    "garbage in _meta": _mutated(_meta_garbage),
    "odd tables and doc keys": _mutated(_weird_tables),
    "empty object": b"{}\n",
    "a field given twice in a record": _pasted_record(field_twice=True),
}
UNPARSEABLE: dict[str, bytes] = {
    "200k-deep nesting": _deep_nesting(200_000),
    "NaN": GOOD.replace(b'"credibility": 3', b'"credibility": NaN', 1),
    "Infinity": GOOD.replace(b'"credibility": 3', b'"credibility": 1e999', 1),
    "truncated JSON": GOOD[: len(GOOD) * 2 // 3],
    "HTML instead of JSON": b"<!doctype html>\n<html><body><h1>Sign in</h1></body></html>\n",
    "invalid UTF-8": GOOD.replace(b"Lysychansk", b"Lysy\xff\xfechansk", 1),
    "top level is a list": b"[1, 2, 3]\n",
    "table is a list": b'{"claims": [1, 2]}\n',
    "empty file": b"",
    "a record pasted under a doc id in use": _pasted_record(),
    "a table given twice": GOOD.rstrip().removesuffix(b"}") + b',\n  "claims": {}\n}\n',
    "escape bytes in a broken file": b'{"claims": \x1b]0;pwned\x07 \x1b[2J',
}


def _hostile_feed() -> bytes:
    """A JSON Feed whose title, authors and items carry escapes, C1 controls and overrides."""
    nasty = f"{ESC} {RTL} {CTRL} [bold]x[/]"
    return orjson.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": f"wire {nasty}",
        "feed_url": f"https://wire.example/{RTL}", "authors": [{"name": f"desk {nasty}"}],
        "items": [{"id": f"i-{ESC}", "title": f"Lysychansk {nasty}", "content_text": nasty,
                   "url": f"https://wire.example/{ESC}", "tags": [nasty],
                   "date_published": "2022-09-10T14:05:00Z",
                   "_sitrep": {"urls": [nasty], "location": {"lat": 48.9, "lon": 38.4},
                               "evidence": [{"url": nasty, "kind": "video", "note": nasty}]}},
                  {"id": f"i-bad-{RTL}", "title": "t",
                   "_sitrep": {"evidence": [{"url": nasty, "kind": nasty}]}},
                  {"id": 7, "content_html": f"<p>{nasty}</p>", "date_published": nasty}],
    })


@pytest.fixture(autouse=True)
def _no_user_keymap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``sitrep keys`` reads an empty config folder, not the user's."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def feed_url(httpserver: Any, tmp_path: Path) -> str:
    """A loopback server answering every request with the hostile feed."""
    httpserver.expect_request("/feed.json").respond_with_data(
        _hostile_feed(), content_type="application/feed+json")
    return str(httpserver.url_for("/feed.json"))


def _commands(db: Path, hostile_id: str | None, feed_url: str) -> list[list[str]]:
    base = ["--db", str(db)]
    feed = db.parent / "hostile-feed.json"
    feed.write_bytes(_hostile_feed())
    cmds = [["validate"], ["validate", "--json"], ["list", "claims"], ["list", "settlements"],
            ["list", "sources"], ["list", "claims", "--json"], ["list", "claims", "--text", "x"],
            ["list", "claims", "--since", "2022"], ["show", HOT], ["show", "lysychansk"],
            ["show", "cnn"], ["restore"],
            ["set-status", HOT, "confirmed", "--note", ESC], ["grade", HOT, "B2"],
            ["note", HOT, "a note"], ["control", "lysychansk", "ua", "--as-of", "2022-10"],
            ["import", str(feed), "--dry-run"], ["import", str(feed), "--dry-run", "--json"],
            ["feeds", "list"], ["feeds", "list", "--json"],
            ["export"], ["export", "--since", "2022-09"],
            ["feeds", "add", feed_url, "--name", "hostile"], ["feeds", "pull", "hostile", "--json"],
            ["import", str(feed), "--json"], ["feeds", "pull", "hostile"],
            ["feeds", "remove", "hostile"], ["keys"], ["keys", "--json"],
            ["demo", "--no-ui"],  # demo refuses to replace the file (no --force)
            ["merge", str(db), str(db), str(db)],
            ["merge", str(db), str(db), str(db), "-o", str(db.parent / "merged.json")],
            ["git-setup"]]  # not a git working tree: one line, exit 1
    if hostile_id:
        cmds += [["show", hostile_id], ["note", hostile_id, "n"]]
    return [base + c for c in cmds]


def _check_output(argv: list[str], code: int, out: str, err: str) -> None:
    if "validate" in argv and code == 1:  # problems on stdout, the count on stderr
        assert err.count("\n") <= 1, err
        assert "Traceback" not in err
    else:
        assert_clean_error(code, out, err)
    assert not UNSAFE.search(out), (argv, UNSAFE.search(out))
    assert not UNSAFE.search(err), (argv, UNSAFE.search(err))


ESCAPING = ("ANSI and OSC escapes", "NUL and control characters", "right-to-left override")


@pytest.mark.parametrize("name", list(PARSEABLE))
def test_parseable_hostile_file(tmp_path: Path, name: str, figures, feed_url: str) -> None:
    db = tmp_path / "db.json"
    db.write_bytes(PARSEABLE[name])
    hostile_id = {"ANSI and OSC escapes": f"c-{ESC}", "NUL and control characters": f"c-{CTRL}",
                  "right-to-left override": f"c-{RTL}"}.get(name)
    for argv in _commands(db, hostile_id, feed_url):
        before = db.read_bytes()
        code, out, err = run_main(argv)
        _check_output(argv, code, out, err)
        assert code in (0, 1, 73), (argv, err)  # 73: a record too deep to write back
        if code != 0:
            assert db.read_bytes() == before, argv
    figures.add("hostile input", files=1, commands=len(_commands(db, hostile_id, feed_url)),
                tracebacks=0)


@pytest.mark.parametrize("name", list(UNPARSEABLE))
def test_unparseable_file_is_refused_and_untouched(tmp_path: Path, name: str, figures,
                                                  feed_url: str) -> None:
    db = tmp_path / "db.json"
    db.write_bytes(UNPARSEABLE[name])
    for argv in _commands(db, None, feed_url):
        code, out, err = run_main(argv)
        _check_output(argv, code, out, err)
        # restore lists backups and keys reads no DB; demo refuses to replace the file
        expected = {"restore": 0, "keys": 0, "demo": 1, "git-setup": 1}.get(argv[2], 65)
        if argv[2] == "merge" and name == "empty file":
            expected = 0  # git's stand-in for "no such version" (cli/team.py): an empty DB
        assert code == expected, (argv, code, err)
        assert db.read_bytes() == UNPARSEABLE[name]
    figures.add("hostile input", files=1, commands=len(_commands(db, None, feed_url)),
                tracebacks=0)


@pytest.mark.parametrize("name", ["ANSI and OSC escapes", "1000-deep nesting"])
def test_real_binary_on_hostile_files(tmp_path: Path, name: str) -> None:
    db = tmp_path / "db.json"
    db.write_bytes(PARSEABLE[name])
    for args in (["list", "claims"], ["list", "sources"], ["validate"],
                 ["set-status", HOT, "false"]):
        before = db.read_bytes()
        result = run_sitrep(db, *args)
        assert result.returncode in (0, 1), result.stderr
        if result.returncode:
            assert db.read_bytes() == before
        _check_output(args, result.returncode, result.stdout.decode(), result.stderr.decode())
