"""Fetching one URL: an httpx client, a tenacity retry policy, streamed bodies cut at a size limit,
redirects followed one hop at a time (each hop checked, recorded and loop-detected).

Every response received, including the 503 that was retried and the 301 that was followed, is kept in
``FetchResult.responses`` with its wire bytes and real headers, so the crawler can write all of them to
WARC.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, retry_if_result, stop_after_attempt

from cleaners.version import __version__

from .inputs import declared_charset

DEFAULT_USER_AGENT = f"newsarchive/{__version__} (+https://github.com/newsarchive/newsarchive)"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
RETRY_STATUSES = frozenset({408, 429, *range(500, 600)})  # timeouts, rate limits, every server error
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


@dataclass
class FetchConfig:
    user_agent: str = DEFAULT_USER_AGENT
    max_bytes: int = DEFAULT_MAX_BYTES
    connect_timeout: float = 10.0
    read_timeout: float = 30.0  # between two reads, not for the whole body
    write_timeout: float = 30.0
    pool_timeout: float = 60.0
    total_timeout: float = 120.0  # one request, headers and body: slow-drip servers cannot hold us
    max_redirects: int = 10
    http2: bool = True
    max_connections: int = 16


@dataclass
class RetryPolicy:
    """When and how long to wait before trying a request again.

    Retried: connection errors, timeouts, 5xx, 408 and 429. Waits grow exponentially with full jitter
    up to ``backoff_max``; a ``Retry-After`` header (seconds or HTTP date) replaces the computed wait,
    capped at ``retry_after_max``. ``sleep`` is injectable so tests run instantly.
    """

    attempts: int = 4
    backoff_initial: float = 1.0
    backoff_max: float = 30.0
    retry_after_max: float = 120.0
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    rng: random.Random = field(default_factory=random.Random)

    def backoff(self, attempt: int) -> float:
        """Wait after failed attempt number ``attempt`` (1-based): half fixed, half jitter."""
        ceiling = min(self.backoff_max, self.backoff_initial * 2 ** (attempt - 1))
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)

    def wait(self, state: RetryCallState) -> float:
        outcome = state.outcome
        if outcome is not None and not outcome.failed:
            response: Response = outcome.result()
            retry_after = parse_retry_after(response.header("retry-after"))
            if retry_after is not None:
                return min(retry_after, self.retry_after_max)
        return self.backoff(state.attempt_number)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value: delta-seconds or an HTTP date. None if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


@dataclass
class Response:
    """One HTTP exchange as it happened on the wire."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    status: int
    reason: str
    http_version: str
    headers: list[tuple[str, str]]
    raw_body: bytes  # as received (still content-encoded), what WARC keeps
    body: bytes  # content-decoded, at most max_bytes
    truncated: bool
    started: datetime  # UTC, when the request was sent

    def header(self, name: str) -> str | None:
        name = name.lower()
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None

    @property
    def content_type(self) -> str:
        return (self.header("content-type") or "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        return declared_charset(self.header("content-type"))


@dataclass
class FetchResult:
    url: str  # as requested
    responses: list[Response] = field(default_factory=list)  # every response, in order
    error: str | None = None  # give-up cause (see ``CAUSES``), None on success
    detail: str = ""
    attempts: int = 0

    @property
    def final(self) -> Response | None:
        return self.responses[-1] if self.responses else None

    @property
    def final_url(self) -> str:
        return self.responses[-1].url if self.responses else self.url


class RetryableStatus(Exception):
    """Not raised to callers: marks a response whose status asks for a retry."""


def is_retryable_error(exc: BaseException) -> bool:
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.ProxyError)):
        return False
    return isinstance(exc, (httpx.TransportError, asyncio.TimeoutError, TimeoutError))


def error_cause(exc: BaseException) -> str:
    """A short, stable name for why a request failed, used in state and the summary."""
    if isinstance(exc, (httpx.TimeoutException, asyncio.TimeoutError, TimeoutError)):
        return "timeout"
    if isinstance(exc, httpx.ConnectError):
        return "connect-error"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "unsupported-url"
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError, httpx.NetworkError)):
        return "network-error"
    if isinstance(exc, httpx.HTTPError):
        return "http-error"
    return type(exc).__name__


def make_client(config: FetchConfig, transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """The one client of a crawl: pooled connections, HTTP/2 when offered, explicit timeouts."""
    timeout = httpx.Timeout(
        connect=config.connect_timeout,
        read=config.read_timeout,
        write=config.write_timeout,
        pool=config.pool_timeout,
    )
    limits = httpx.Limits(
        max_connections=config.max_connections, max_keepalive_connections=config.max_connections
    )
    headers = {
        "User-Agent": config.user_agent,
        # Only what zlib decodes: the body is decoded here, bounded, not by httpx.
        "Accept-Encoding": "gzip, deflate",
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    }
    kwargs: dict[str, object] = {"timeout": timeout, "headers": headers, "follow_redirects": False}
    if transport is not None:
        kwargs["transport"] = transport
    else:
        kwargs["http2"] = config.http2
        kwargs["limits"] = limits
    return httpx.AsyncClient(**kwargs)  # type: ignore[arg-type]


class _BoundedDecoder:
    """Content-Encoding decoding that never produces more than ``limit`` bytes (zip bombs stay small)."""

    def __init__(self, encoding: str | None, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.truncated = False
        self.failed = False
        encoding = (encoding or "").strip().lower()
        self._zlib: zlib._Decompress | None = None
        # Servers send raw deflate for "deflate" as often as zlib-wrapped deflate: the first chunk decides.
        self._deflate_probe = encoding == "deflate"
        if encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj()

    def feed(self, chunk: bytes) -> bytes:
        room = self.limit - self.size
        if room <= 0:
            self.truncated = self.truncated or bool(chunk)
            return b""
        if self.failed:
            return b""
        if self._zlib is None:
            out = chunk[:room]
        else:
            try:
                out = self._zlib.decompress(chunk, room)
            except zlib.error:
                if self._deflate_probe and self.size == 0:
                    self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._deflate_probe = False
                    return self.feed(chunk)
                self.failed = True
                return b""
            if self._zlib.unconsumed_tail:
                self.truncated = True
        if len(chunk) > room and self._zlib is None:
            self.truncated = True
        self.size += len(out)
        return out


class Fetcher:
    """Fetches URLs with retries and manual redirects through one shared ``httpx.AsyncClient``.

    ``before_request(url)`` is awaited before every request attempt and ``after_request(url)`` called when
    it ended, whatever the outcome (the crawler paces hosts with them);
    ``check_redirect(url)`` returns a refusal reason for a redirect target, or None to follow it.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        config: FetchConfig,
        policy: RetryPolicy | None = None,
        before_request: Callable[[str], Awaitable[None]] | None = None,
        after_request: Callable[[str], None] | None = None,
        on_retry: Callable[[str, str, float], None] | None = None,
    ) -> None:
        self.client = client
        self.config = config
        self.policy = policy or RetryPolicy()
        self.before_request = before_request
        self.after_request = after_request
        self.on_retry = on_retry

    async def fetch(
        self,
        url: str,
        headers: dict[str, str] | None = None,
        check_redirect: Callable[[str], Awaitable[str | None]] | None = None,
    ) -> FetchResult:
        result = FetchResult(url)
        seen = {url}
        current = url
        extra = dict(headers or {})
        for _ in range(self.config.max_redirects + 1):
            ok = await self._fetch_one(current, extra, result)
            if not ok:
                return result
            response = result.responses[-1]
            location = response.header("location")
            if response.status not in REDIRECT_STATUSES or not location:
                return result
            target = urljoin(current, location.strip()).split("#", 1)[0]
            if urlsplit(target).scheme not in ("http", "https"):
                result.error, result.detail = "bad-redirect", f"redirect to {target!r}"
                return result
            if target in seen:
                result.error, result.detail = "redirect-loop", f"{current} -> {target} was already visited"
                return result
            if check_redirect is not None:
                refusal = await check_redirect(target)
                if refusal:
                    result.error, result.detail = refusal, f"redirect to {target} refused"
                    return result
            seen.add(target)
            current = target
            extra = {}  # conditional headers belong to the first URL only
        result.error = "too-many-redirects"
        result.detail = f"more than {self.config.max_redirects} redirects"
        return result

    async def _fetch_one(self, url: str, headers: dict[str, str], result: FetchResult) -> bool:
        """One URL with retries; appends every response to ``result``; False on give-up."""
        policy = self.policy

        async def attempt() -> Response:
            result.attempts += 1
            if self.before_request is not None:
                await self.before_request(url)
            try:
                response = await asyncio.wait_for(self._request(url, headers), self.config.total_timeout)
            finally:
                if self.after_request is not None:
                    self.after_request(url)
            result.responses.append(response)
            return response

        def before_sleep(state: RetryCallState) -> None:
            if self.on_retry is None or state.outcome is None:
                return
            wait = state.next_action.sleep if state.next_action else 0.0
            if state.outcome.failed:
                cause = error_cause(state.outcome.exception())  # type: ignore[arg-type]
            else:
                cause = f"http-{state.outcome.result().status}"
            self.on_retry(url, cause, wait)

        retrying = AsyncRetrying(
            stop=stop_after_attempt(policy.attempts),
            wait=policy.wait,
            retry=(
                retry_if_exception(is_retryable_error) | retry_if_result(lambda r: r.status in RETRY_STATUSES)
            ),
            sleep=policy.sleep,
            before_sleep=before_sleep,
            reraise=True,
            retry_error_callback=lambda state: state.outcome.result(),  # type: ignore[union-attr]
        )
        try:
            response = await retrying(attempt)
        except Exception as exc:  # give-up on an exception: named cause, no traceback
            result.error = error_cause(exc)
            result.detail = str(exc) or type(exc).__name__
            return False
        if response.status in RETRY_STATUSES:
            result.error = f"http-{response.status}"
            result.detail = f"{response.status} {response.reason} after {result.attempts} attempts"
            return False
        return True

    async def _request(self, url: str, headers: dict[str, str]) -> Response:
        started = datetime.now(timezone.utc)
        request = self.client.build_request("GET", url, headers=headers)
        response = await self.client.send(request, stream=True, follow_redirects=False)
        limit = self.config.max_bytes
        decoder = _BoundedDecoder(response.headers.get("content-encoding"), limit)
        raw = bytearray()
        body = bytearray()
        truncated = False
        try:
            async for chunk in response.aiter_raw(_CHUNK):
                if len(raw) + len(chunk) > limit:
                    chunk = chunk[: limit - len(raw)]
                    truncated = True
                raw += chunk
                body += decoder.feed(chunk)
                if truncated or decoder.truncated:
                    truncated = True
                    break
        finally:
            await response.aclose()
        return Response(
            url=url,
            method="GET",
            request_headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw],
            status=response.status_code,
            reason=response.reason_phrase or "",
            http_version=response.http_version or "HTTP/1.1",
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw],
            raw_body=bytes(raw),
            # A body that is not what its Content-Encoding says from the first byte is taken as sent
            # (servers mislabel plain bodies); one corrupted later keeps what decoded, never the mix.
            body=bytes(raw) if decoder.failed and not body else bytes(body),
            truncated=truncated,
            started=started,
        )
