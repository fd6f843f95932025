"""Shared fixtures. Keep small: helpers live in the modules they belong to (e.g. ``sitegen``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sitegen import FixtureServer


@pytest.fixture
def fixture_server() -> Iterator[Callable[..., FixtureServer]]:
    """Start fixture sites (``fixture_server(articles=3, faults=False)``); all stop after the test."""
    servers: list[FixtureServer] = []

    def start(**site_kw: object) -> FixtureServer:
        server = FixtureServer(**site_kw).start()  # type: ignore[arg-type]
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
