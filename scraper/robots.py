"""robots.txt rules per host, with RFC 9309 semantics for unavailable files.

Parsing is protego's (Scrapy's parser): unlike ``urllib.robotparser`` it applies the longest-match rule,
``*`` and ``$`` wildcards and Allow/Disallow precedence as RFC 9309 specifies. What a *missing* file
means is decided here:

- 2xx: the rules in the file;
- 4xx (404, 401, 403...): no rules, everything allowed (RFC 9309 section 2.3.1.3);
- 5xx or the server unreachable: everything disallowed until the file can be read (section 2.3.1.4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from protego import Protego

#: robots.txt larger than this is cut (RFC 9309 asks crawlers to parse at least 500 KiB).
MAX_ROBOTS_BYTES = 512 * 1024
#: A Crawl-delay above this is taken as this: one page an hour would never finish a crawl.
MAX_CRAWL_DELAY = 60.0


class RobotsStatus(str, Enum):
    RULES = "rules"  # the file was read
    ALLOW_ALL = "allow-all"  # 4xx: no file
    DISALLOW_ALL = "disallow-all"  # 5xx / unreachable: try again later


@dataclass
class RobotsRules:
    status: RobotsStatus
    parser: Protego | None = None
    sitemaps: list[str] = field(default_factory=list)

    @classmethod
    def from_response(cls, status_code: int | None, body: bytes = b"") -> RobotsRules:
        """Rules from a fetch of ``/robots.txt``; ``status_code`` None means the server was unreachable."""
        if status_code is None or status_code >= 500:
            return cls(RobotsStatus.DISALLOW_ALL)
        if status_code >= 400:
            return cls(RobotsStatus.ALLOW_ALL)
        if status_code >= 300:  # redirects are followed by the fetcher; an unfollowed one is "no file"
            return cls(RobotsStatus.ALLOW_ALL)
        return cls.parse(body)

    @classmethod
    def parse(cls, body: bytes | str) -> RobotsRules:
        if isinstance(body, bytes):
            body = body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace").lstrip("\ufeff")
        parser = Protego.parse(body)
        return cls(RobotsStatus.RULES, parser, list(parser.sitemaps))

    @property
    def available(self) -> bool:
        """False while the file could not be read (everything is disallowed until then)."""
        return self.status is not RobotsStatus.DISALLOW_ALL

    def allowed(self, url: str, user_agent: str) -> bool:
        if self.status is RobotsStatus.ALLOW_ALL:
            return True
        if self.status is RobotsStatus.DISALLOW_ALL or self.parser is None:
            return False
        if url.endswith("/robots.txt"):
            return True  # the file itself is always fetchable (RFC 9309 section 2.2.2)
        return bool(self.parser.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        """The group's Crawl-delay in seconds (capped), or None."""
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        if delay is None:
            return None
        return min(float(delay), MAX_CRAWL_DELAY)
