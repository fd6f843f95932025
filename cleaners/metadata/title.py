"""The article's title: the h1 that agrees with the meta titles or <title>, else the page's h1 when
it is about the same thing, else the stripped meta title; headline text read from markup, with
leading ornaments and pipe taglines dropped.
"""

from __future__ import annotations

import html
import re

from lxml.html import HtmlElement

from .site import _TITLE_WORD, _is_site_part, strip_site_name
from .sources import _SPACES, _compact, _rules


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and _compact(a) == _compact(b)  # type: ignore[arg-type]


def _overlap(a: str, b: str) -> float:
    """Share of a's words found in b."""
    wa = set(_TITLE_WORD.findall(a.lower()))
    wb = set(_TITLE_WORD.findall(b.lower()))
    return len(wa & wb) / len(wa) if wa else 0.0


_HEADLINE_CLUTTER = re.compile(r"(?:19|20)\d\d|\b(?:posted|published|updated|by|written)\b", re.IGNORECASE)
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_BRACKETED_SOURCE = re.compile(r"\(\s*[\w-]+(?:\.[\w-]+)+\s*\)")  # "(latimes.com)"


def _is_count_or_source(rest: str) -> bool:
    """What an h1 sets beside its headline that is no part of it: the story's source in brackets,
    with a comment count or nothing else ("Headline (latimes.com) 87"). A number alone is no sign:
    it may end the headline ("iPhone 15", "Apollo 13", "Section 230")."""
    return bool(_BRACKETED_SOURCE.search(rest)) and not re.search(r"[^\W\d_]", _BRACKETED.sub(" ", rest))


def _affix_parts(title: str, headlines: list[str]) -> set[str]:
    """Compact forms of the parts of a separated title that are not the headline: where the
    site name sits. Without a known headline among the parts, the non-first parts."""
    known = {_compact(h) for h in headlines}
    parts: set[str] = set()
    for sep in _rules()["title_separators"]:
        if sep.strip() and sep != sep.strip() and sep in title:
            pieces = [_compact(p) for p in title.split(sep)]
            if any(p in known for p in pieces):
                parts.update(p for p in pieces if p not in known)
            else:
                parts.update(pieces[1:])
    return parts


_PROSE_TAGS = {"p", "ul", "ol", "blockquote"}


def _follows_prose(heading: HtmlElement, words: int = 40) -> bool:
    """An h1 with paragraphs of text before it, at its own level, heads a section of the post (blogs
    that style every heading as h1), not the page."""
    seen = 0
    paragraphs = False
    for sib in heading.itersiblings(preceding=True):
        if sib.tag in _PROSE_TAGS:
            # words outside links: a list of topic links or a menu before the headline is no prose
            seen += len(sib.text_content().split()) - sum(
                len(a.text_content().split()) for a in sib.iter("a")
            )
            paragraphs = paragraphs or sib.tag == "p"
            if seen >= words and paragraphs:
                return True
    return False


def _lost_characters(broken: str, good: str) -> bool:
    """True when ``broken`` is ``good`` with some characters lost to an encoding error ("?" or
    U+FFFD in their place: "Event Planning? Beginner? Guide" against "Event Planning: Beginner's
    Guide")."""
    if broken == good or abs(len(broken) - len(good)) > 4:
        return False
    runs = _LOST_RUN.split(broken)  # literal text and runs of lost characters, alternating
    if 2 * sum(len(runs[i]) for i in range(0, len(runs), 2)) < len(broken):
        return False  # mostly lost (a title in a script the page could not encode): no evidence
    # each lost character may have taken its neighbour with it ("’s" read as one "?"); one bounded
    # repeat per run keeps the match linear (a "?" each would backtrack exponentially)
    pattern = "".join(
        re.escape(part) if i % 2 == 0 else f".{{{len(part)},{2 * len(part)}}}" for i, part in enumerate(runs)
    )
    return re.fullmatch(pattern, good, re.DOTALL) is not None


_LOST_RUN = re.compile("([?\ufffd]+)")


def _choose_title(
    meta_titles: list[str], html_title: str | None, h1s: list[str], sites: list[str], host: str | None
) -> str | None:
    title = _choose_headline(meta_titles, html_title, h1s, sites, host)
    if title and ("?" in title or "\ufffd" in title):
        for other in [*meta_titles, *([html_title] if html_title else [])]:
            other = strip_site_name(other, sites, host)
            if other and _lost_characters(title, other):
                return other
    return title


#: A capitals h1 gives way to a meta title in ordinary case holding at least this share of its words.
CAPITALS_MIN_SHARED = 0.5


def _choose_headline(
    meta_titles: list[str], html_title: str | None, h1s: list[str], sites: list[str], host: str | None
) -> str | None:
    stripped_meta = [strip_site_name(t, sites, host) for t in meta_titles]
    stripped_html = strip_site_name(html_title, sites, host) if html_title else None
    others = [*stripped_meta, *([stripped_html] if stripped_html else [])]
    raw_others = [*meta_titles, *([html_title] if html_title else [])]
    # An h1 that agrees with a meta or <title> headline is the article title (in the meta's case
    # when the h1 is a headline typed in capitals; a one-word "NASA" keeps its capitals).
    for h1 in h1s:
        same = [o for o in others if _same(h1, o)]
        if same:
            if h1.isupper() and len(h1.split()) >= 2:
                return next((o for o in same if not o.isupper()), h1)
            return h1
    # An h1 found inside the <title> / og:title is the headline without the site affix...
    affixes = {a for t in raw_others for a in _affix_parts(t, meta_titles)}
    for h1 in h1s:
        c = _compact(h1)
        if c in affixes or _is_site_part(h1, sites, host):
            continue  # ...unless it is the site name that the <title> carries as an affix
        if len(c) >= 10 and any(c in _compact(o) for o in raw_others):
            return h1
    # An h1 that wraps a meta headline with clutter ("Dec 18 2025 <headline>", "<headline> Posted on")
    for h1 in h1s:
        for o in others:
            co = _compact(o)
            if len(co) >= 15 and co in _compact(h1):
                rest = h1.lower().replace(o.lower(), " ") if o.lower() in h1.lower() else h1
                if _HEADLINE_CLUTTER.search(rest) or _is_count_or_source(rest):
                    return o
                # "<span>Headline</span><a>Site Name</a>": the logo link set in the h1 beside it
                rest = rest.strip(" |-–—:·•»")
                if rest and (_compact(rest) in affixes or _is_site_part(rest, sites, host)):
                    return o
                return h1
    # Otherwise the visible headline (meta titles are often rewritten for search engines), provided
    # it is about the same thing as the meta titles: a blog's name in an h1 is not.
    for h1 in h1s:
        if len(h1.split()) < 2 or _is_site_part(h1, sites, host) or _compact(h1) in affixes:
            continue
        related = [o for o in others if _overlap(h1, o) >= 0.3 or _overlap(o, h1) >= 0.3]
        if h1.isupper():
            # "SUPPORTING GAAP COMPLIANCE": a banner's styling; a meta title in ordinary case that
            # holds most of its words names the headline (not a section's "City Council")
            cased = [o for o in related if not o.isupper() and _overlap(h1, o) >= CAPITALS_MIN_SHARED]
            if cased:
                return cased[0]
        if others and len(h1.split()) > max(20, 2 * max(len(o.split()) for o in others)):
            continue  # a sentence set as a heading (the page's summary), not a headline
        if not others or related:
            return h1
    for t in stripped_meta:
        if t:
            return t
    if stripped_html:
        return stripped_html
    return h1s[0] if h1s else None


def _drop_pipe_tagline(title: str | None) -> str | None:
    """ "Best Movers in NYC 2025 | Top 19 Companies": a short part after a pipe is a tagline or a
    section, not headline (a pipe is no punctuation of English prose)."""
    while title and " | " in title:
        head, tail = title.rsplit(" | ", 1)
        if len(tail.split()) > 4 or len(head) < 10:
            break
        title = head.strip()
    return title


# an inline element styled as a line of its own: a utility class (Tailwind's "block", Bootstrap's
# "d-block") or a subtitle ("<h1>Best Notion Alternatives<span class="block">Top Note-taking Tools</span>")
_SHOWN_AS_LINE = re.compile(r"(?:^|\s)(?:d-)?block(?:$|\s)|sub-?(?:title|heading|head)\b", re.IGNORECASE)


def _heading_text(el: HtmlElement) -> str:
    """Text of a heading, with <br>, block children and inline children styled as lines read as spaces."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in ("script", "style", "noscript", "svg", "button"):
                pass
            else:
                block = (
                    tag in ("br", "div", "p") or _SHOWN_AS_LINE.search(child.get("class") or "") is not None
                )
                if block:
                    parts.append(" ")
                walk(child)
                if block:
                    parts.append(" ")
            if child.tail:
                parts.append(child.tail)

    walk(el)
    # plain text: a literal "<br>" in a headline about HTML is words, not markup
    text = _SPACES.sub(" ", html.unescape("".join(parts))).strip()
    # a form-like label printed before the headline (<span class="descriptor">Title:</span>)
    return _TITLE_LABEL.sub("", text)


_TITLE_LABEL = re.compile(r"^(?:title|headline)\s*:\s*(?=\S)", re.IGNORECASE)


# a leading bullet or ornament printed before a headline ("• Headline", "» Headline")
_DECORATION = re.compile(r"^[\s•·►▸▶»■□●○◆◇★☆✓✔→>|]+")


def _strip_decoration(text: str) -> str:
    return _DECORATION.sub("", text).strip() or text
