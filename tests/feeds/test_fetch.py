"""Fetching feeds against a real HTTP server on loopback (pytest-httpserver)."""

from __future__ import annotations

import gzip
import io
import socket
import time

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from sitrep.errors import FeedError
from sitrep.feeds.fetch import _environment_proxies, make_client, read_location

FEED = b'{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": []}'
JSON_FEED = "application/feed+json"


@pytest.fixture
def client() -> httpx.Client:
    with make_client(timeout=httpx.Timeout(2.0, connect=1.0), retries=0) as c:
        yield c


def fetch(url: str, client: httpx.Client, **kw: object):
    return read_location(url, client=client, **kw)  # type: ignore[arg-type]


def test_200_returns_bytes_and_validators(httpserver: HTTPServer, client: httpx.Client) -> None:
    httpserver.expect_request("/feed.json").respond_with_data(
        FEED, content_type=JSON_FEED,
        headers={"ETag": '"v1"', "Last-Modified": "Wed, 21 Oct 2026 07:28:00 GMT"},
    )
    got = fetch(httpserver.url_for("/feed.json"), client)
    assert got.data == FEED and not got.not_modified
    assert got.etag == '"v1"'
    assert got.last_modified == "Wed, 21 Oct 2026 07:28:00 GMT"
    assert got.warnings == []


def test_304_by_etag(httpserver: HTTPServer, client: httpx.Client) -> None:
    httpserver.expect_request("/f", headers={"If-None-Match": '"v1"'}).respond_with_data(
        b"", status=304, headers={"ETag": '"v1"'}
    )
    got = fetch(httpserver.url_for("/f"), client, etag='"v1"')
    assert got.not_modified and got.data is None and got.etag == '"v1"'


def test_304_by_last_modified(httpserver: HTTPServer, client: httpx.Client) -> None:
    stamp = "Wed, 21 Oct 2026 07:28:00 GMT"
    httpserver.expect_request("/f", headers={"If-Modified-Since": stamp}).respond_with_data(
        b"", status=304
    )
    got = fetch(httpserver.url_for("/f"), client, last_modified=stamp)
    assert got.not_modified and got.data is None


def test_404_is_one_clear_error(httpserver: HTTPServer, client: httpx.Client) -> None:
    httpserver.expect_request("/missing").respond_with_data(b"nope", status=404)
    with pytest.raises(FeedError, match=r"HTTP 404 NOT FOUND|HTTP 404 Not Found"):
        fetch(httpserver.url_for("/missing"), client)


def test_500_then_success_is_retried(httpserver: HTTPServer, client: httpx.Client) -> None:
    httpserver.expect_ordered_request("/flaky").respond_with_data(b"oops", status=500)
    httpserver.expect_ordered_request("/flaky").respond_with_data(FEED, content_type=JSON_FEED)
    from sitrep.feeds.fetch import fetch_url

    got = fetch_url(httpserver.url_for("/flaky"), client=client, retries=2, backoff=0.01)
    assert got.data == FEED
    httpserver.check_assertions()


def test_500_every_time_gives_up(httpserver: HTTPServer, client: httpx.Client) -> None:
    httpserver.expect_request("/down").respond_with_data(b"oops", status=503)
    from sitrep.feeds.fetch import fetch_url

    with pytest.raises(FeedError, match="HTTP 503.*tried 2 times"):
        fetch_url(httpserver.url_for("/down"), client=client, retries=1, backoff=0.01)


def test_redirect_is_followed(httpserver: HTTPServer, client: httpx.Client) -> None:
    httpserver.expect_request("/old").respond_with_data(
        b"", status=301, headers={"Location": "/new"}
    )
    httpserver.expect_request("/new").respond_with_data(FEED, content_type=JSON_FEED)
    got = fetch(httpserver.url_for("/old"), client)
    assert got.data == FEED and got.url.endswith("/new")


def test_redirect_loop(httpserver: HTTPServer, client: httpx.Client) -> None:
    httpserver.expect_request("/a").respond_with_data(b"", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data(b"", status=302, headers={"Location": "/a"})
    with pytest.raises(FeedError, match="too many redirects"):
        fetch(httpserver.url_for("/a"), client)


def test_redirect_to_other_scheme_refused(httpserver: HTTPServer, client: httpx.Client) -> None:
    httpserver.expect_request("/x").respond_with_data(
        b"", status=302, headers={"Location": "file:///etc/passwd"}
    )
    with pytest.raises(FeedError, match="unsupported scheme"):
        fetch(httpserver.url_for("/x"), client)


def test_slower_than_timeout(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(2.0)
        return Response(FEED, content_type=JSON_FEED)

    httpserver.expect_request("/slow").respond_with_handler(slow)
    with make_client(timeout=httpx.Timeout(0.2), retries=0) as c:
        started = time.monotonic()
        with pytest.raises(FeedError, match="timed out"):
            fetch(httpserver.url_for("/slow"), c)
        # the 0.2 s timeout fired, long before the 2 s answer (room for a loaded CI machine)
        assert time.monotonic() - started < 1.5


def test_oversized_body_is_refused_while_streaming(
    httpserver: HTTPServer, client: httpx.Client
) -> None:
    def chunked(request: Request) -> Response:
        return Response((b"x" * 1024 for _ in range(200)), content_type=JSON_FEED)

    httpserver.expect_request("/big").respond_with_handler(chunked)
    with pytest.raises(FeedError, match="bigger than 50,000 bytes"):
        fetch(httpserver.url_for("/big"), client, max_bytes=50_000)


def test_oversized_by_content_length(httpserver: HTTPServer, client: httpx.Client) -> None:
    httpserver.expect_request("/big").respond_with_data(b"x" * 5000, content_type=JSON_FEED)
    with pytest.raises(FeedError, match="over the 1,000 limit"):
        fetch(httpserver.url_for("/big"), client, max_bytes=1000)


def test_gzip_is_decoded(httpserver: HTTPServer, client: httpx.Client) -> None:
    httpserver.expect_request("/gz").respond_with_data(
        gzip.compress(FEED), content_type=JSON_FEED, headers={"Content-Encoding": "gzip"}
    )
    assert fetch(httpserver.url_for("/gz"), client).data == FEED


def test_gzip_bomb_counts_decoded_bytes(httpserver: HTTPServer, client: httpx.Client) -> None:
    bomb = gzip.compress(b" " * 2_000_000)
    assert len(bomb) < 10_000
    httpserver.expect_request("/bomb").respond_with_data(
        bomb, content_type=JSON_FEED, headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(FeedError, match="bigger than 100,000 bytes"):
        fetch(httpserver.url_for("/bomb"), client, max_bytes=100_000)


def test_truncated_body(httpserver: HTTPServer, client: httpx.Client) -> None:
    def short(request: Request) -> Response:
        response = Response(FEED[:20], content_type=JSON_FEED)
        response.headers["Content-Length"] = str(len(FEED))
        return response

    httpserver.expect_request("/short").respond_with_handler(short)
    with pytest.raises(FeedError, match="cut short"):
        fetch(httpserver.url_for("/short"), client)


def test_wrong_content_type_is_a_warning(httpserver: HTTPServer, client: httpx.Client) -> None:
    httpserver.expect_request("/html").respond_with_data(FEED, content_type="text/html")
    got = fetch(httpserver.url_for("/html"), client)
    assert got.data == FEED
    assert got.warnings == ["server says text/html, not application/feed+json"]


def test_connection_refused_is_offline() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with make_client(retries=0) as c, pytest.raises(FeedError, match="^offline or unreachable"):
        fetch(f"http://127.0.0.1:{port}/feed.json", c)


def test_dns_failure_is_offline() -> None:
    with make_client(retries=0) as c, pytest.raises(FeedError, match="^offline or unreachable"):
        fetch("http://sitrep-no-such-host.invalid/feed.json", c)


@pytest.mark.parametrize(
    "url", ["ftp://example.com/f.json", "file:///etc/passwd", "gopher://x/1", "data://x"]
)
def test_other_schemes_refused(url: str) -> None:
    with pytest.raises(FeedError, match="refused"):
        read_location(url)


def test_path_and_stdin(tmp_path) -> None:
    path = tmp_path / "f.json"
    path.write_bytes(FEED)
    assert read_location(str(path)).data == FEED
    assert read_location("-", stdin=io.BytesIO(FEED)).data == FEED
    with pytest.raises(FeedError, match="bigger than 10 bytes"):
        read_location("-", stdin=io.BytesIO(FEED), max_bytes=10)
    with pytest.raises(FeedError, match="no such file"):
        read_location(str(tmp_path / "nope.json"))
    with pytest.raises(FeedError, match="is a folder"):
        read_location(str(tmp_path))


def test_proxy_from_environment_is_honoured(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loopback server plays the proxy: it must receive the request for the remote URL."""
    seen: list[str] = []

    def proxy(request: Request) -> Response:
        seen.append(request.url)
        return Response(FEED, content_type=JSON_FEED)

    httpserver.expect_request("/feed.json").respond_with_handler(proxy)
    monkeypatch.setenv("HTTP_PROXY", httpserver.url_for("/").rstrip("/"))
    with make_client(retries=1) as c:
        got = fetch("http://feeds.sitrep.invalid/feed.json", c)
    assert got.data == FEED
    assert seen and "feeds.sitrep.invalid" in seen[0]


def test_no_proxy_patterns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "proxy.local:3128")
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1,.internal.org")
    mounts = _environment_proxies()
    assert mounts["https://"] == "http://proxy.local:3128"
    assert mounts["all://localhost"] is None
    assert mounts["all://127.0.0.1"] is None
    assert mounts["all://*internal.org"] is None
    monkeypatch.setenv("NO_PROXY", "*")
    assert _environment_proxies() == {}
