"""DOM rules remove boxes by class/id and XPath, within the guards."""

from cleaners.dom import find_boilerplate, remove_boilerplate
from cleaners.parse import parse_html

ARTICLE = "<p>" + "Real article text that matters. " * 40 + "</p>"


def page(body: str) -> str:
    return f"<html><body>{body}</body></html>"


def test_family_boxes_removed_and_tail_kept() -> None:
    tree = parse_html(page(
        f'<article class="post tag-ads category-related">{ARTICLE}'
        '<div class="sharedaddy"><h3>Share this:</h3></div>kept tail'
        '<div id="comments" class="comments-area"><p>Reader comment</p></div>'
        '<div class="g-recaptcha">captcha</div>'
        '<nav class="breadcrumb">Home › World</nav>'
        '<form><textarea></textarea></form></article>'
    ))
    removed = remove_boilerplate(tree)
    text = tree.text_content()
    assert removed == 5
    assert "Real article text" in text and "kept tail" in text
    for cruft in ("Share this", "Reader comment", "captcha", "Home › World"):
        assert cruft not in text


def test_comments_kept_when_asked() -> None:
    tree = parse_html(page(f'{ARTICLE}<div id="comments"><p>Reader comment</p></div>'))
    remove_boilerplate(tree, include_comments=True)
    assert "Reader comment" in tree.text_content()


def test_wrapper_holding_the_article_is_kept() -> None:
    # Theme classes lie: a wrapper with a "social" class around the whole story stays.
    tree = parse_html(page(f'<div class="social">{ARTICLE}</div><div class="share">x</div>'))
    found = find_boilerplate(tree)
    assert [e.get("class") for e in found] == ["share"]


def test_substrings_inside_words_do_not_match() -> None:
    tree = parse_html(page(f'<div class="shadow">{ARTICLE}</div><div class="leading">x</div>'
                           '<div class="download">y</div>'))
    assert find_boilerplate(tree) == []


def test_layout_tables_and_unclosed_paragraphs_repaired() -> None:
    from cleaners.dom import repair_structure

    tree = parse_html(page(
        "<table><tr><td>nav</td><td><p>Intro<font><p>First.</p><p>Second.</p></font></td></tr></table>"
        "<table><tr><td>1</td><td>2</td></tr></table>"
    ))
    repair_structure(tree)
    tables = tree.findall(".//table")
    assert len(tables) == 1 and tables[0].findtext(".//td") == "1"  # the data table stays a table
    assert tree.find(".//font") is None
    assert [p.text for p in tree.iter("p")] == ["First.", "Second."]


def test_guards_content_tokens_prose_and_component_classes() -> None:
    long_prose = "<p>" + "A sentence of real article prose, not a link. " * 60 + "</p>"
    tree = parse_html(page(
        f'<div class="post-content" id="share-btn">{ARTICLE}</div>'   # the id lies, the class names the body
        f'<section class="hero cc-newsletter">{long_prose}</section>'  # too much prose to be a sign-up box
        f'<div class="cmp-container">{ARTICLE}</div>'                  # AEM component, not consent
        '<div class="cmp-banner">We use cookies</div>'
        '<div role="dialog"><p>Subscribe to continue reading</p></div>'
        '<span class="author-tooltip">Jane Doe Jane Doe wrote 40 stories</span>'
    ))
    found = [e.get("class") or e.get("role") for e in find_boilerplate(tree)]
    assert sorted(found) == ["author-tooltip", "cmp-banner", "dialog"]


def test_drop_non_text_keeps_json_ld() -> None:
    from cleaners.dom import drop_non_text

    tree = parse_html(page(
        '<script>var x = 1;</script><script type="application/ld+json">{"@type": "NewsArticle"}</script>'
        "<style>p {}</style><noscript>enable js</noscript><svg><text>chart</text></svg><p>Story.</p>"
    ))
    drop_non_text(tree)
    assert [s.get("type") for s in tree.iter("script")] == ["application/ld+json"]
    assert tree.find(".//style") is None and tree.find(".//svg") is None
    assert "Story." in tree.text_content()


def test_attribute_rules_match_case_insensitively() -> None:
    tree = parse_html(page(
        f'{ARTICLE}<ol itemtype="https://schema.org/BreadcrumbList"><li>Home</li></ol>'
        '<div aria-label="Breadcrumb">Home › News</div><div role="Dialog">Sign in</div>'
        '<div role="main">kept</div>'
    ))
    found = [e.get("itemtype") or e.get("aria-label") or e.get("role") for e in find_boilerplate(tree)]
    assert sorted(found) == ["Breadcrumb", "Dialog", "https://schema.org/BreadcrumbList"]
