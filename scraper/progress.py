"""Progress of a crawl: a live rich display on a terminal, plain log lines otherwise, and optionally one
JSON event per fetch in a file (``--json-log FILE``) for other tools."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.live import Live
from rich.text import Text


class Progress:
    def __init__(
        self,
        json_log: Path | None = None,
        live: bool | None = None,
        stream: IO[str] | None = None,
        quiet: bool = False,
    ) -> None:
        self.stream = stream or sys.stderr
        self.live_mode = self.stream.isatty() if live is None else live
        self.quiet = quiet
        self.console = Console(file=self.stream, highlight=False)
        self._live: Live | None = None
        self._json: IO[str] | None = None
        if json_log is not None:
            json_log.parent.mkdir(parents=True, exist_ok=True)
            self._json = open(json_log, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - closed in stop()
        self.counts = {"fetched": 0, "archived": 0, "failed": 0, "skipped": 0, "queued": 0}
        self.started = time.monotonic()

    def start(self) -> None:
        self.started = time.monotonic()
        if self.live_mode:
            self._live = Live(self._render(), console=self.console, refresh_per_second=4, transient=False)
            self._live.start()

    def stop(self) -> None:
        if self._live is not None:
            self._live.update(self._render())
            self._live.stop()
            self._live = None
        if self._json is not None:
            self._json.close()
            self._json = None

    @property
    def pages_per_second(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.counts["fetched"] / elapsed if elapsed > 0 else 0.0

    def _render(self) -> Text:
        c = self.counts
        return Text(
            f"fetched {c['fetched']}  archived {c['archived']}  queued {c['queued']}  "
            f"failed {c['failed']}  skipped {c['skipped']}  {self.pages_per_second:.1f} pages/s"
        )

    def update(self, **counts: int) -> None:
        self.counts.update(counts)
        if self._live is not None:
            self._live.update(self._render())

    def log(self, message: str) -> None:
        """A line for the user: above the live display, or plain on stderr."""
        if self.quiet:
            return
        if self._live is not None:
            self._live.console.print(Text(message))
        else:
            print(message, file=self.stream, flush=True)

    def event(self, **fields: Any) -> None:
        """One JSON object per line in the ``--json-log`` file."""
        if self._json is not None:
            fields.setdefault("time", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
            self._json.write(json.dumps(fields, ensure_ascii=False, sort_keys=True) + "\n")
