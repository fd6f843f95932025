"""The fetcher's retry policy, redirects and body limits, against httpx.MockTransport (no network).

Sleeps are injected: the waits the policy asks for are recorded instead of slept.
"""

from __future__ import annotations

import asyncio
import gzip
import random
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import httpx
import pytest

from scraper.fetch import FetchConfig, Fetcher, FetchResult, RetryPolicy, make_client, parse_retry_after


class Body(httpx.AsyncByteStream):
    """A body streamed like a real one (``content=bytes`` would be pre-read, unlike a network reply)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    async def __aiter__(self):
        for start in range(0, len(self.data), 4096):
            yield self.data[start : start + 4096]


def reply(status: int = 200, body: bytes = b"", **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers, stream=Body(body))


class Script:
    """A transport that answers from a list of handlers, one per request, and records the requests."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            return answer(request)
        # A fresh response each time: a repeated answer must not share a consumed stream.
        return httpx.Response(answer.status_code, headers=answer.headers, stream=answer.stream)


def run_fetch(
    script: Script,
    url: str = "http://example.test/a",
    *,
    attempts: int = 4,
    config: FetchConfig | None = None,
    **policy_kw,
) -> tuple[FetchResult, list[float]]:
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)

    policy = RetryPolicy(attempts=attempts, sleep=fake_sleep, rng=random.Random(7), **policy_kw)
    config = config or FetchConfig()

    async def go() -> FetchResult:
        async with make_client(config, transport=httpx.MockTransport(script)) as client:
            return await Fetcher(client, config, policy).fetch(url)

    return asyncio.run(go()), waits


def ok(body: bytes = b"<html>ok</html>", **headers: str) -> httpx.Response:
    return reply(200, body, **{"Content-Type": "text/html", **headers})


# ------------------------------------------------------------------------------------------ retried


@pytest.mark.parametrize("status", [500, 501, 502, 503, 504, 511, 599, 408, 429])
def test_retryable_status_then_success(status: int) -> None:
    script = Script(reply(status), ok())
    result, waits = run_fetch(script)
    assert result.error is None
    assert [r.status for r in result.responses] == [status, 200]  # both kept for the WARC
    assert len(script.requests) == 2 and len(waits) == 1


def test_retry_after_seconds_honoured() -> None:
    result, waits = run_fetch(Script(reply(429, **{"Retry-After": "7"}), ok()))
    assert result.error is None
    assert waits == [7.0]


def test_retry_after_http_date_honoured() -> None:
    when = datetime.now(timezone.utc) + timedelta(seconds=30)
    header = format_datetime(when, usegmt=True)
    _, waits = run_fetch(Script(reply(503, **{"Retry-After": header}), ok()))
    assert len(waits) == 1 and 25 <= waits[0] <= 30.5


def test_retry_after_is_capped() -> None:
    _, waits = run_fetch(Script(reply(429, **{"Retry-After": "86400"}), ok()), retry_after_max=60.0)
    assert waits == [60.0]


def test_exponential_backoff_with_jitter_and_cap() -> None:
    script = Script(reply(503))
    result, waits = run_fetch(script, attempts=6, backoff_initial=1.0, backoff_max=5.0)
    assert result.error == "http-503"
    assert len(script.requests) == 6 and len(result.responses) == 6
    assert len(waits) == 5
    ceilings = [1.0, 2.0, 4.0, 5.0, 5.0]
    for wait, ceiling in zip(waits, ceilings, strict=True):
        assert ceiling / 2 <= wait <= ceiling, (waits, ceilings)
    assert len(set(waits)) > 1


def test_connection_errors_retried_then_given_up_with_cause() -> None:
    script = Script(httpx.ConnectError("connection refused"))
    result, waits = run_fetch(script, attempts=3)
    assert result.error == "connect-error"
    assert "refused" in result.detail
    assert len(script.requests) == 3 and len(waits) == 2
    assert result.responses == []


def test_timeouts_retried_and_named() -> None:
    script = Script(httpx.ReadTimeout("slow"), ok())
    result, waits = run_fetch(script)
    assert result.error is None and len(waits) == 1
    result, _ = run_fetch(Script(httpx.ReadTimeout("slow")), attempts=2)
    assert result.error == "timeout"


def test_total_deadline_cuts_a_slow_drip() -> None:
    async def drip():
        for _ in range(100):
            await asyncio.sleep(0.05)
            yield b"x"

    config = FetchConfig(total_timeout=0.2)
    script = Script(lambda request: httpx.Response(200, content=drip()))
    result, waits = run_fetch(script, attempts=2, config=config)
    assert result.error == "timeout"
    assert len(waits) == 1


# -------------------------------------------------------------------------------------- not retried


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 451])
def test_other_4xx_not_retried(status: int) -> None:
    script = Script(reply(status), ok())
    result, waits = run_fetch(script)
    assert len(script.requests) == 1 and waits == []
    assert result.error is None and result.final is not None and result.final.status == status


def test_unsupported_protocol_not_retried() -> None:
    script = Script(httpx.UnsupportedProtocol("ftp"))
    result, waits = run_fetch(script)
    assert result.error == "unsupported-url" and waits == []


def test_parse_retry_after() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(" 5 ") == 5.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=0) > 1e9
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: no wait


# ---------------------------------------------------------------------------------------- redirects


def redirect(location: str, status: int = 302) -> httpx.Response:
    return reply(status, Location=location)


def test_redirect_chain_followed_and_final_url_recorded() -> None:
    script = Script(redirect("/b", 301), redirect("http://example.test/c", 307), ok())
    result, _ = run_fetch(script)
    assert result.error is None
    assert result.final_url == "http://example.test/c"
    assert [r.status for r in result.responses] == [301, 307, 200]
    assert [str(r.url) for r in script.requests] == [
        "http://example.test/a",
        "http://example.test/b",
        "http://example.test/c",
    ]


def test_redirect_loop_detected_without_retrying() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return redirect("/b" if request.url.path == "/a" else "/a")

    script = Script(answer)
    result, waits = run_fetch(script)
    assert result.error == "redirect-loop"
    assert [r.url.path for r in script.requests] == ["/a", "/b"] and waits == []


def test_too_many_redirects() -> None:
    counter = iter(range(100))
    script = Script(lambda request: redirect(f"/r{next(counter)}"))
    result, _ = run_fetch(script, config=FetchConfig(max_redirects=3))
    assert result.error == "too-many-redirects"
    assert len(script.requests) == 4


def test_conditional_headers_only_on_first_hop() -> None:
    script = Script(redirect("/b"), ok())

    async def go() -> None:
        config = FetchConfig()
        async with make_client(config, transport=httpx.MockTransport(script)) as client:
            await Fetcher(client, config).fetch("http://example.test/a", {"If-None-Match": '"x"'})

    asyncio.run(go())
    assert script.requests[0].headers.get("if-none-match") == '"x"'
    assert "if-none-match" not in script.requests[1].headers


# ------------------------------------------------------------------------------------------- bodies


def test_body_cut_at_max_bytes_and_marked_truncated() -> None:
    result, _ = run_fetch(Script(ok(b"a" * 5000)), config=FetchConfig(max_bytes=1000))
    final = result.final
    assert final is not None and final.truncated
    assert len(final.body) == 1000 and len(final.raw_body) == 1000


def test_small_body_not_truncated() -> None:
    result, _ = run_fetch(Script(ok(b"a" * 999)), config=FetchConfig(max_bytes=1000))
    assert result.final is not None and not result.final.truncated and len(result.final.body) == 999


def test_gzip_decoded_but_wire_bytes_kept() -> None:
    html = b"<html><body>" + b"news " * 1000 + b"</body></html>"
    packed = gzip.compress(html)
    result, _ = run_fetch(Script(ok(packed, **{"Content-Encoding": "gzip"})))
    final = result.final
    assert final is not None and final.body == html and final.raw_body == packed and not final.truncated


def test_mislabelled_plain_body_taken_as_sent() -> None:
    html = b"<html><body>" + b"plain news " * 100 + b"</body></html>"
    result, _ = run_fetch(Script(ok(html, **{"Content-Encoding": "gzip"})))
    assert result.final is not None and result.final.body == html


def test_gzip_bomb_bounded() -> None:
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024))
    script = Script(ok(bomb, **{"Content-Encoding": "gzip"}))
    result, _ = run_fetch(script, config=FetchConfig(max_bytes=1 << 16))
    final = result.final
    assert final is not None and final.truncated and len(final.body) <= 1 << 16


def test_user_agent_and_real_request_headers_recorded() -> None:
    script = Script(ok())
    result, _ = run_fetch(script, config=FetchConfig(user_agent="newsarchive/9 (+https://x.test)"))
    assert script.requests[0].headers["user-agent"] == "newsarchive/9 (+https://x.test)"
    sent = dict((k.lower(), v) for k, v in result.responses[0].request_headers)
    assert sent["user-agent"] == "newsarchive/9 (+https://x.test)" and sent["host"] == "example.test"


def test_client_offers_http2_and_has_explicit_timeouts() -> None:
    import h2  # noqa: F401 - httpx[http2]: without it the client could not speak HTTP/2

    config = FetchConfig()
    client = make_client(config)
    try:
        timeout = client.timeout
        assert (timeout.connect, timeout.read, timeout.write, timeout.pool) == (
            config.connect_timeout,
            config.read_timeout,
            config.write_timeout,
            config.pool_timeout,
        )
        assert config.total_timeout and config.max_redirects == 10
        # HTTP/2 is offered in TLS (ALPN) next to HTTP/1.1; the server chooses (httpx has no public getter).
        pool = client._transport._pool  # type: ignore[attr-defined]
        assert pool._http2 and pool._http1
    finally:
        asyncio.run(client.aclose())
