"""Line rules, in the text form the seeds show."""

import pytest

from cleaners.blocks import Block
from cleaners.lines import clean_blocks, is_cruft_line

CRUFT = [
    "› Subscribe",
    "Please enter your comment!",
    "Please enter your name here",
    "You have entered an incorrect email address!",
    "The reCAPTCHA verification period has expired. Please reload the page.",
    "More Articles",
    "Advertisement",
    "Share this:",
    "Like this:",
    "Like Loading...",
    "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
    "Leave a Reply Cancel reply",
    "Save my name, email, and website in this browser for the next time I comment.",
    "I'm not a robot",
    "Subscribe to continue reading",
    "We use cookies to improve your experience.",
    "Press TV’s website can also be accessed at the following alternate address: www.example.com",
    "Follow us on Twitter",
    "Tags: Iran, Iraq",
    "Home » World » Middle East",
    "Previous article",
    "Facebook Twitter WhatsApp Email",
    "Read more: Another headline here",
    "Anzeige",
    "Sign up for more like this.",
]
PROSE = [
    "Bagheri also met with the Iraqi defense minister.",
    "He said the advertisement campaign would start next week, according to officials.",
    "Share prices fell 3% on Monday after the announcement.",
    "Home-grown talent was the focus of the academy's new programme.",
    "Related parties must disclose their interests under the new law.",
    "Follow the money, the senator said, and you will find the answer.",
]


@pytest.mark.parametrize("line", CRUFT)
def test_cruft_lines(line: str) -> None:
    assert is_cruft_line(line)


@pytest.mark.parametrize("line", PROSE)
def test_prose_lines_stay(line: str) -> None:
    assert not is_cruft_line(line)


def test_comment_families_kept_when_comments_wanted() -> None:
    assert is_cruft_line("3 Comments")
    assert not is_cruft_line("3 Comments", include_comments=True)
    # comment *forms* are cruft either way
    assert is_cruft_line("Please enter your comment!", include_comments=True)


def test_trailing_marker_takes_its_headlines_but_not_prose() -> None:
    blocks = [
        Block("p", "The article's last paragraph ends here."),
        Block("h", "More Articles"),
        Block("p", "Iran, Iraq share 'very close' stance on Palestine"),
        Block("list", "- Another headline\n- And another"),
        Block("p", "A real paragraph that follows, written as prose, ends with a full stop."),
    ]
    kept = [b.text for b in clean_blocks(blocks)]
    assert kept == [blocks[0].text, blocks[4].text]
    # a heading that opens prose is the article's next section, not one of the headlines
    blocks = [
        Block("p", "Also read:"),
        Block("list", "- Crafting personalised nutrition plans\n- Leveraging sleep data"),
        Block("h", "Trend 5: Exercises for mental health"),
        Block("p", "Exercise lifts the mood, and coaches now plan sessions for the mind as well. " * 3),
    ]
    assert [b.text for b in clean_blocks(blocks)] == [blocks[2].text, blocks[3].text]
    # a teaser's title and its one-sentence excerpt are still headlines: the title goes
    blocks = [
        Block("h", "More stories"),
        Block("h", "Storm closes coastal roads"),
        Block("p", "Crews worked through the night to clear fallen trees."),
    ]
    assert [b.text for b in clean_blocks(blocks)] == [blocks[2].text]


def test_paywall_cut_takes_the_list_of_what_it_locks() -> None:
    blocks = [
        Block("p", "Here are three tools I have used to shrink planning down to a couple of hours..."),
        Block("p", "Become a paid subscriber to Every to unlock this piece and learn about:"),
        Block("list", "- The knowledge hub setup\n- Why your next plan should start with a voice memo"),
    ]
    assert [b.text for b in clean_blocks(blocks)] == [blocks[0].text]
    # a sentence about memberships is no paywall
    prose = "Members who upgrade to a paid plan get to read the archive, which many of them value."
    assert [b.text for b in clean_blocks([Block("p", prose)])] == [prose]
    # nor a step of a how-to, nor a product's upgrade pitch in a review
    steps = Block("list", "- Open the catalogue and choose a title\n- Borrow it with your library card")
    for line in (
        "Become a member of your local library to access Libby:",
        "Upgrade to unlock these features",
    ):
        assert steps.text in [b.text for b in clean_blocks([Block("p", line), steps])]


def test_cruft_items_removed_from_lists() -> None:
    blocks = [Block("list", "- First point of the story\n- Facebook\n- Second point")]
    assert clean_blocks(blocks)[0].text == "- First point of the story\n- Second point"


@pytest.mark.parametrize(
    "line",
    [
        "Thursday, October 12, 2006",
        "Updated: March 5, 2024 3:15 pm EST",
        "By Margaret O’Neill, Courier Staff Writer",
        "By Nadia Rahman | March 2, 2024",
        "Print this story | E-mail this story | Write a letter to the editor",
        "Jane Doe can be reached at 555-0147 or jdoe@example.com.",
        "Reader comments (0)",
    ],
)
def test_bylines_datelines_and_story_tools_dropped(line: str) -> None:
    assert clean_blocks([Block("p", line)]) == []


@pytest.mark.parametrize(
    "line",
    [
        "By Monday, the storm had passed and crews began work.",
        "By 2030 the city plans to double capacity.",
        "The vote on March 5, 2024 was close.",
    ],
)
def test_sentences_with_by_or_dates_stay(line: str) -> None:
    assert clean_blocks([Block("p", line)]) == [Block("p", line)]


def test_repeated_sections_dropped_lone_repeats_kept() -> None:
    blocks = [
        Block("p", "A section the page renders twice, first paragraph."),
        Block("p", "Yes."),
        Block("list", "- An item of the section's list\n- Another item of that list"),
        Block("p", "This webcam image is provided courtesy of the park."),
        Block("p", "A paragraph between the two webcam images of the park."),
        Block("p", "This webcam image is provided courtesy of the park."),
        Block("p", "The last paragraph of the article, before the page repeats."),
        Block("p", "A section the page renders twice, first paragraph."),
        Block("p", "Yes."),
        Block("list", "- An item of the section's list\n- Another item of that list"),
    ]
    # the second copy of the section (a paragraph and a list) goes (the short "Yes." between them does not
    # break the run, and is kept: short repeats may be real); the lone repeated credit line stays
    assert [b.text for b in clean_blocks(blocks)] == [b.text for b in blocks[:7]] + ["Yes."]


def test_a_duplicated_section_that_repeats_a_paragraph_of_its_own_is_dropped() -> None:
    lede = Block("p", "The lede of the story, which the page also shows as its summary.")
    a = Block("p", "The first paragraph of the section the page renders twice over.")
    b = Block("p", "The second paragraph of the section the page renders twice over.")
    blocks = [lede, lede, a, b, lede, a, b]  # a copy of the lede inside the section, then the copy
    assert [x.text for x in clean_blocks(blocks)] == [lede.text, a.text, b.text]


def test_a_template_repeated_with_variations_is_not_a_duplicated_section() -> None:
    # three meal plans share their instructions, each with meals of its own between them
    def plan(name: str, meal: str, supplement: str) -> list[Block]:
        return [
            Block("h", f"Meal plan {name}"),
            Block("p", "Eat 60 to 90 minutes before your workout."),
            Block("p", meal),
            Block("p", "Drink 20 to 30 minutes before your workout."),
            Block("p", supplement),
            Block("p", "Drink within 30 minutes after your workout."),
        ]

    blocks = (
        plan("A", "Asparagus and eggs with a slice of toast.", "Performance Energize, one scoop in water.")
        + plan("B", "Chicken zoodles with sesame oil and soy sauce.", "Performance Hydrate, one scoop.")
        + plan("C", "Beef chili with cilantro and ten olives.", "Performance Recharge, one scoop.")
    )
    assert clean_blocks(blocks) == blocks


def test_a_copy_right_after_its_original_is_dropped() -> None:
    # responsive duplicates: the same block rendered for desktop and for mobile, one after the other
    a = Block("p", "The opening paragraph of the article, rendered twice by the theme.")
    b = Block("p", "The second paragraph of the article, also rendered twice.")
    end = Block("p", "The closing paragraph of the article, rendered once.")
    assert clean_blocks([a, a, b, b, end]) == [a, b, end]


def test_calls_to_action_dropped_at_the_edges_only() -> None:
    body = [Block("p", f"Paragraph {i} of the article, with a full sentence.") for i in range(12)]
    blocks = [
        Block("p", "Back to Blogs"),
        *body[:6],
        Block("p", "Get started today"),
        *body[6:],
        Block("p", "Contact us today"),
        Block("h", "Written by Jane Doe"),
    ]
    # (a call to action the page repeats would go from the middle too: see the test below)
    kept = [b.text for b in clean_blocks(blocks)]
    assert kept == [b.text for b in body[:6]] + ["Get started today"] + [b.text for b in body[6:]]


@pytest.mark.parametrize(
    "line",
    [
        "Get the best of Example Weekly delivered to your inbox weekly",
        "Join Our Genius Newsletter",
        "This story is funded by readers like you",
        "You might also like: Another headline about something else",
    ],
)
def test_call_to_action_lines(line: str) -> None:
    assert is_cruft_line(line)


@pytest.mark.parametrize("line", ["Home", "SHARE YOUR STORY", "Why Trust Us?"])
def test_navigation_and_promo_lines(line: str) -> None:
    assert is_cruft_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "3 MIN. READ",
        "Estimated reading time:",
        "Written by",
        "Article reviewed by:",
        "Copy to Clipboard",
        "Share the Blog on:",
        "Rate this article",
        "Did you find this content helpful?",
        "Advertising Disclosure",
        "Purchases made through links earn us a small commission, at no extra cost to you.",
        "Some of the links in this article are affiliate ones.",
        "We buy every product we test, with no freebies from companies. "
        "If you purchase through our links, we may earn a commission.",
        "Catch up on our coverage, and follow us on Facebook, Instagram and TikTok to stay up to date.",
        "Follow us on Telegram, Facebook, Instagram, YouTube and X for the latest news and updates.",
        "Follow us for the latest news and updates.",
        "Follow The New York Times Opinion section on Facebook, Twitter (@NYTopinion) and Instagram.",
        "About the author: Jane Doe is a freelance photographer based in Lisbon. "
        "You can find more of her work on her website.",
        "On this page",
        "Advertisement: New Book!",
        "Fill out the form to get a copy of our ebook.",
        "Get the latest tips and tricks, delivered directly to your inbox.",
        "Join the Facebook group – https://example.com/group",
        "View author page",
        "We earn commissions from links on our site, enabling us to deliver independent reviews.",
        "Example.com earns commissions from some listed providers. Editorial Guidelines.",
        "All articles are reviewed and updated by Example's fact-checkers for accuracy.",
        "As an Amazon Associate I earn from qualifying purchases.",
        "Disclosure: As an Affiliate Marketer, I earn from qualifying purchases.",
        "If you liked this article, please consider sharing it and subscribing to our newsletter.",
        "Enjoyed this article? Subscribe to our newsletter for more.",
        "The views expressed in the comments below do not reflect the views of Example News.",
        "Comments are moderated. Please read our community guidelines before posting.",
        "We welcome thoughtful discussion. Please keep comments civil and on topic.",
    ],
)
def test_more_cruft_lines(line: str) -> None:
    assert is_cruft_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Published reports describe the same pattern in other cities.",
        "The contents of the letter were never made public.",
        "He said he would follow the rules on Facebook and elsewhere, but declined to say more.",
        "Organisers urged supporters to follow the movement on Twitter.",
        "The army told residents to follow its spokesman on Twitter for evacuation orders.",
        "Download speeds doubled after the upgrade.",
        "The agent earns a commission of 5% on each sale, paid by the seller.",
        "The agent receives a commission from the seller, typically 5 to 6 percent of the price.",
        "Realtors earn commissions from the sale of a home, split between the two agents.",
        "I earn a commission on every policy I sell, she told the committee.",
        "Posts flagged by users are reviewed by Meta's third-party fact-checkers before removal.",
        "As an associate professor, I earn less than my colleagues in industry.",
        "The minister posted on https://twitter.com/minister that she would resign.",
        "We welcome the discussion about the budget, the mayor said.",
        "Critics said the company did not follow our community guidelines at all.",
        "If you enjoyed the film, you will love the book.",
        "If you liked this article, you may also like our guide to baking bread.",
    ],
)
def test_more_prose_lines_stay(line: str) -> None:
    assert not is_cruft_line(line)


def _article(n: int) -> list[Block]:
    return [Block("p", f"Paragraph {i} of the article, with a full sentence.") for i in range(n)]


def test_repeated_call_to_action_dropped_anywhere() -> None:
    body = _article(16)
    blocks = [
        *body[:4],
        Block("p", "Start a Quote"),
        *body[4:8],
        Block("p", "Start a Quote"),
        Block("p", "Learn more"),
        *body[8:],
    ]
    # the repeated call to action goes from the middle of the text; the lone one there stays
    assert [b.text for b in clean_blocks(blocks)] == [b.text for b in body[:8]] + ["Learn more"] + [
        b.text for b in body[8:]
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Email: info@example.com",
        "Want to use code from this post? Check out the license.",
        "Get the Infographic >",
        "Sign up today and make this your healthiest year yet.",
    ],
)
def test_calls_to_action_closing_the_text(line: str) -> None:
    body = _article(8)
    assert [b.text for b in clean_blocks([*body, Block("p", line)])] == [b.text for b in body]
    # inside the article the same words stay
    body = _article(12)
    middle = [*body[:6], Block("p", line), *body[6:]]
    assert clean_blocks(middle) == middle


def test_lines_of_a_paragraph_broken_by_br_tested_one_by_one() -> None:
    block = Block("p", "SHARE YOUR STORY\nDo you have an issue with a company? Tell us about it.")
    assert clean_blocks([block]) == [Block("p", "Do you have an issue with a company? Tell us about it.")]
    # a label line that heads the rest takes the whole block
    assert clean_blocks([Block("p", "Listen: https://example.com/a\nDownload: https://example.com/b")]) == []


@pytest.mark.parametrize(
    "line",
    [
        "京ICP备13028878号-6",
        "京公网安备11010502032503号",
        "互联网新闻信息服务许可证10120170006",
        "信息网络传播视听节目许可证0108263号",
        "京网文[2011]0283-097号",
        "违法和不良信息举报",
        "【责任编辑：严玉洁】",
        "（编辑：严玉洁 王辉）",
        "分享到微信",
        "Example Daily版权说明：凡注明来源为“Example Daily”的作品，未经允许禁止转载、使用，违者必究。",
        "版权所有 © 2024 Example Daily",
        "［有料会員限定］ この記事は会員限定です。電子版に登録すると続きをお読みいただけます。",
        "Nikkei Inc. No reproduction without permission.",
        "เฟซบุ๊ก https://fb.me/prachatai",
        "Twitter: https://twitter.com/example",
        "Twitter:https://twitter.com/example",
        "Instagram = www.instagram.com/example",
    ],
)
def test_footer_and_credit_lines_of_chinese_and_japanese_news_sites(line: str) -> None:
    assert is_cruft_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "网站需要完成ICP备案后才能上线。",
        "该公司获得了互联网新闻信息服务许可证，将于明年上线。",
        "违法和不良信息举报中心表示，已收到大量投诉。",
        "该作品的版权所有者起诉了这家网站。",
        "分享到朋友圈的照片引发争议",
        "编辑部表示将继续关注此事。",
        "法院判决，这部电影的版权所有权属于原告公司。",
        "加强版权保护：国家版权局今天发布新规定，要求各平台在三十日内下架侵权作品。",
    ],
)
def test_chinese_prose_naming_licences_and_editors_stays(line: str) -> None:
    assert not is_cruft_line(line)


@pytest.mark.parametrize(
    "marker",
    [
        "Das könnte Sie auch interessieren ...",
        "Ähnliche Beiträge",
        "À lire aussi",
        "Читайте также:",
        "関連記事",
    ],
)
def test_related_headings_in_other_languages_open_trailing_cruft(marker: str) -> None:
    blocks = [
        Block("p", "The article's last paragraph ends here."),
        Block("h", marker),
        Block("p", "Another headline of the site"),
        Block("p", "A real paragraph that follows, written as prose, ends with a full stop."),
    ]
    assert [b.text for b in clean_blocks(blocks)] == [blocks[0].text, blocks[3].text]


def test_words_of_a_related_heading_inside_prose_stay() -> None:
    line = "Mehr zum Thema Klimawandel finden Sie in unserem Dossier, das wir jede Woche aktualisieren."
    blocks = [Block("p", "First paragraph."), Block("p", line)]
    assert [b.text for b in clean_blocks(blocks)] == ["First paragraph.", line]


def test_rules_opening_with_any_words_match_as_in_one_union() -> None:
    # the ".{m,n}"-led rules run as searches (see lines._line_rules): same matches as a fullmatch
    import re

    from cleaners.lines import _patterns
    from cleaners.rules import load_rules

    sources = [p for f in load_rules().active(False) for p in f.lines]
    union = re.compile("|".join(f"(?:{p})" for p in sources), re.IGNORECASE)
    rules = _patterns(False)[0]
    assert rules.searches  # some rules do run as searches
    samples = [
        "We may earn a commission from links on this page.",
        "x" * 161 + " may earn a commission",  # the keywords start too far in: no match
        "Get the best stories delivered straight to your inbox every morning.",
        "Follow us on Twitter",
        "He said he may earn a commission from the sale of the house, and more.",
        "The views expressed in the comments are those of the readers and not ours.",
        "Our reporters will follow the story on Twitter all week.",
    ]
    for text in samples:
        assert bool(rules.fullmatch(text)) == bool(union.fullmatch(text)), text
