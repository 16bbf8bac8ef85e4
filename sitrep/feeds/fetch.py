"""Get feed bytes from a path, ``-`` (stdin) or an http(s) URL. Nothing here parses.

HTTP is httpx with deliberate settings (its defaults are not what a feed reader wants):

* timeouts: connect 5 s, read 15 s (a stalled server is an error, not a hang);
* ``HTTPTransport(retries=2)``: retries connection failures only; a 500/502/503/504 answer is
  retried here too, with a short back-off, because feed hosts do have bad moments;
* redirects followed, at most :data:`MAX_REDIRECTS`; a loop is one clear error;
* gzip/deflate accepted and decoded; the size cap is counted on *decoded* bytes while
  streaming, so neither a huge body nor a small gzip bomb gets into memory;
* proxies from ``HTTP_PROXY``/``HTTPS_PROXY``/``ALL_PROXY``/``NO_PROXY`` are honoured: httpx
  ignores them once a ``transport=`` is given, so :func:`make_client` mounts one transport
  per proxy itself;
* conditional GET: pass the stored ETag / Last-Modified, get ``not_modified`` on 304.

Any other URL scheme is refused. Being offline (DNS failure, no route, connection refused)
is one line: ``FeedError("offline or unreachable: ...")``.
"""

from __future__ import annotations

import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

import httpx

from sitrep.errors import FeedError

MAX_REDIRECTS = 5
RETRIES = 2
RETRY_STATUSES = frozenset({500, 502, 503, 504})
USER_AGENT = "sitrep-feeds/0.1 (+https://jsonfeed.org)"
ACCEPT = "application/feed+json, application/json;q=0.9, */*;q=0.1"
JSON_TYPES = ("application/feed+json", "application/json", "text/json")
Progress = Callable[[int, int | None], None]


def default_timeout(connect: float = 5.0, read: float = 15.0) -> httpx.Timeout:
    """The timeouts sitrep uses for feeds (connect, read/write/pool)."""
    return httpx.Timeout(read, connect=connect)


@dataclass(slots=True)
class Fetched:
    """What reading a feed location produced."""

    location: str
    data: bytes | None  # None when not modified (HTTP 304)
    not_modified: bool = False
    url: str | None = None  # final URL after redirects (HTTP only)
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    warnings: list[str] = field(default_factory=list)


def is_url(location: str) -> bool:
    """True when ``location`` names something with a URL scheme (``x://``)."""
    return "://" in location and urlsplit(location).scheme.isalpha()


def read_location(
    location: str,
    *,
    max_bytes: int | None = None,
    client: httpx.Client | None = None,
    stdin: BinaryIO | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    progress: Progress | None = None,
) -> Fetched:
    """Read the feed at ``location``: a path, ``-`` for stdin, or an http(s) URL.

    Raises FeedError for a refused scheme, a missing file, an HTTP error, a timeout, being
    offline, or a body larger than ``max_bytes``. Without ``max_bytes`` a download is capped
    at :func:`download_cap` and a file or standard input is read whatever its size.
    """
    if location == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        return Fetched("-", _read_capped(stream, max_bytes, "standard input"))
    if is_url(location):
        scheme = urlsplit(location).scheme.lower()
        if scheme not in ("http", "https"):
            raise FeedError(f"refused {scheme}: URL: only http(s) URLs, paths and - are read")
        return fetch_url(
            location, max_bytes=max_bytes, client=client, etag=etag,
            last_modified=last_modified, progress=progress,
        )
    path = Path(location).expanduser()
    try:
        with path.open("rb") as handle:
            return Fetched(location, _read_capped(handle, max_bytes, str(path)))
    except FileNotFoundError:
        raise FeedError(f"{location}: no such file") from None
    except IsADirectoryError:
        raise FeedError(f"{location}: is a folder, not a feed file") from None
    except OSError as exc:
        raise FeedError(f"{location}: cannot read: {exc.strerror or exc}") from None


def download_cap() -> int:
    """The largest feed downloaded when no ``--max-bytes`` says: ``max_download_bytes`` of
    ``config.toml`` (:mod:`sitrep.config`; 20 MB without it)."""
    from sitrep.config import load_settings

    return load_settings().max_download_bytes


def _read_capped(stream: BinaryIO, max_bytes: int | None, name: str) -> bytes:
    if max_bytes is None:
        return stream.read()
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FeedError(f"{name}: feed is bigger than {max_bytes:,} bytes (see --max-bytes)")
    return data


def _environment_proxies() -> dict[str, str | None]:
    """Mount patterns → proxy URL (None: go direct) from the usual environment variables."""
    env = urllib.request.getproxies_environment()
    mounts: dict[str, str | None] = {}
    for scheme in ("http", "https"):
        proxy = env.get(scheme) or env.get("all")
        if proxy:
            mounts[f"{scheme}://"] = proxy if "://" in proxy else f"http://{proxy}"
    for host in (env.get("no") or "").split(","):
        host = host.strip()
        if not host:
            continue
        if host == "*":
            return {}
        if "://" in host:
            mounts[host] = None
        elif host.replace(".", "").isdigit() or host.lower() == "localhost":
            mounts[f"all://{host}"] = None
        elif ":" in host:
            mounts[f"all://[{host}]"] = None
        else:
            mounts[f"all://*{host.lstrip('.')}"] = None
    return mounts


def make_client(
    *,
    timeout: httpx.Timeout | float | None = None,
    retries: int = RETRIES,
    max_redirects: int = MAX_REDIRECTS,
    trust_env: bool = True,
) -> httpx.Client:
    """An httpx client set up for feeds (see the module docstring). Close it when done."""
    mounts: dict[str, httpx.BaseTransport | None] = {}
    if trust_env:
        for pattern, proxy in _environment_proxies().items():
            mounts[pattern] = httpx.HTTPTransport(retries=retries, proxy=proxy)
    return httpx.Client(
        timeout=timeout if timeout is not None else default_timeout(),
        follow_redirects=True,
        max_redirects=max_redirects,
        transport=httpx.HTTPTransport(retries=retries),
        mounts=mounts,
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
        trust_env=trust_env,
    )


def fetch_url(
    url: str,
    *,
    max_bytes: int | None = None,
    client: httpx.Client | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    retries: int = RETRIES,
    backoff: float = 0.5,
    progress: Progress | None = None,
) -> Fetched:
    """GET ``url`` conditionally, following redirects, capped at ``max_bytes`` decoded bytes
    (None: :func:`download_cap`)."""
    if max_bytes is None:
        max_bytes = download_cap()
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    own = client is None
    http = client or make_client()
    try:
        for attempt in range(retries + 1):
            result = _get_once(http, url, headers, max_bytes, progress)
            if isinstance(result, Fetched):
                return result
            if attempt == retries:
                raise FeedError(f"{url}: HTTP {result} (server error, tried {retries + 1} times)")
            time.sleep(backoff * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover
    finally:
        if own:
            http.close()


def _get_once(
    http: httpx.Client, url: str, headers: dict[str, str], max_bytes: int,
    progress: Progress | None,
) -> Fetched | int:
    """One GET: a Fetched, or the status code of a server error worth retrying."""
    try:
        with http.stream("GET", url, headers=headers) as response:
            if response.status_code in RETRY_STATUSES:
                return response.status_code
            if response.status_code == 304:
                return Fetched(
                    url, None, True, str(response.url),
                    response.headers.get("ETag"), response.headers.get("Last-Modified"),
                )
            if response.status_code >= 400:
                reason = response.reason_phrase or "error"
                raise FeedError(f"{url}: HTTP {response.status_code} {reason}")
            content_type = response.headers.get("Content-Type", "")
            data = _read_body(response, max_bytes, url, progress)
            fetched = Fetched(
                url, data, False, str(response.url), response.headers.get("ETag"),
                response.headers.get("Last-Modified"), content_type or None,
            )
            media = content_type.split(";")[0].strip().lower()
            if media and media not in JSON_TYPES and not media.endswith("+json"):
                fetched.warnings.append(f"server says {media}, not application/feed+json")
            return fetched
    except httpx.TooManyRedirects:
        raise FeedError(f"{url}: too many redirects (more than {http.max_redirects})") from None
    except httpx.UnsupportedProtocol as exc:
        raise FeedError(f"{url}: refused a redirect to an unsupported scheme ({exc})") from None
    except httpx.TimeoutException as exc:
        kind = "connecting" if isinstance(exc, httpx.ConnectTimeout) else "waiting for data"
        raise FeedError(f"{url}: timed out {kind}") from None
    except httpx.ConnectError as exc:
        raise FeedError(f"offline or unreachable: cannot connect to {_host(url)} ({exc})") from None
    except httpx.ProxyError as exc:
        raise FeedError(f"{url}: proxy refused the request ({exc})") from None
    except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
        raise FeedError(f"{url}: the download was cut short ({exc})") from None
    except httpx.DecodingError:
        raise FeedError(f"{url}: the server sent a corrupt compressed body") from None
    except httpx.HTTPError as exc:
        raise FeedError(f"{url}: {type(exc).__name__}: {exc}") from None


def _read_body(
    response: httpx.Response, max_bytes: int, url: str, progress: Progress | None
) -> bytes:
    declared = response.headers.get("Content-Length")
    total = int(declared) if declared and declared.isdigit() else None
    encoded = response.headers.get("Content-Encoding", "identity").lower() not in ("", "identity")
    if total is not None and not encoded and total > max_bytes:
        raise FeedError(
            f"{url}: feed is {total:,} bytes, over the {max_bytes:,} limit (--max-bytes)"
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FeedError(f"{url}: feed is bigger than {max_bytes:,} bytes (see --max-bytes)")
        chunks.append(chunk)
        if progress is not None:
            progress(size, total)
    return b"".join(chunks)


def _host(url: str) -> str:
    return urlsplit(url).netloc or url
