"""Reading in a browser: topics, a topic, a note with its facts, math, code and Chinese text."""

import re

from django.db.models import Count, Q
from django.utils import translation
from playwright.sync_api import expect

from articles.models import Article, Topic
from tests.e2e.conftest import DEMO_EDITOR, DEMO_LEARNER, SCREENSHOTS, login, shot
from tests.factories import make_article

# A demo note with key facts, a formula, a code block, a table and mostly Chinese text.
NOTE_SLUG = "vit-patch-embedding"
HAN = re.compile(r"[\u4e00-\u9fff]")
CJK_FONT = re.compile(r"CJK|Source Han|WenQuanYi|PingFang|YaHei|Hiragino|Droid Sans Fallback")


def test_topic_list_shows_every_topic_with_its_count_of_published_notes(page, demo_library):
    make_article(topic=Topic.objects.first(), status=Article.Status.DRAFT)  # not counted
    topics = Topic.objects.annotate(
        notes=Count("articles", filter=Q(articles__status=Article.Status.PUBLISHED))
    )
    assert any(topic.notes for topic in topics), "the demo library has no published note"

    page.goto("/")

    for topic in topics:
        link = page.get_by_role("link", name=topic.name, exact=True)
        expect(link).to_be_visible()
        card_text = page.locator("li").filter(has=link).inner_text()
        count_text = card_text.replace(topic.name, "").replace(topic.description, "")
        assert re.findall(r"\d+", count_text) == [str(topic.notes)], (topic.name, card_text)
    shot(page, "desktop-topic-list", readme=True)


def test_anonymous_reader_opens_a_topic_then_a_note(page, demo_library):
    note = Article.objects.select_related("topic").get(slug=NOTE_SLUG)
    siblings = note.topic.articles.filter(status=Article.Status.PUBLISHED)

    page.goto("/")
    page.get_by_role("link", name=note.topic.name, exact=True).click()

    expect(page).to_have_url(re.compile(re.escape(note.topic.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(note.topic.name)
    for article in siblings:
        expect(page.get_by_role("link", name=article.title, exact=True)).to_be_visible()
    shot(page, "desktop-topic")

    page.get_by_role("link", name=note.title, exact=True).click()

    expect(page).to_have_url(re.compile(re.escape(note.get_absolute_url()) + "$"))
    expect(page.locator("main h1").first).to_have_text(note.title)


def test_note_highlights_facts_without_braces(page, demo_library):
    note = Article.objects.get(slug=NOTE_SLUG)
    answers = [fact.answer for fact in note.rendered.facts]
    assert len(answers) == note.fact_count > 0

    page.goto(note.get_absolute_url())

    facts = page.locator("main mark.fact")
    expect(facts).to_have_text(answers)
    expect(facts.first).to_be_visible()
    text = page.locator("main").inner_text()
    assert "{{" not in text and "}}" not in text, "fact markup leaks into the page"
    shot(page, "desktop-article", readme=True)


def test_note_renders_formulas_as_mathml_and_highlights_code(page, demo_library):
    page.goto(Article.objects.get(slug=NOTE_SLUG).get_absolute_url())

    formula = page.locator("main math[display=block]").first
    expect(formula).to_be_visible()
    box = formula.bounding_box()
    assert box["width"] > 0 and box["height"] > 0, box
    expect(page.locator("main .math-error")).to_have_count(0)
    assert "$$" not in page.locator("main").inner_text()

    code = page.locator("main .codehilite").first
    expect(code).to_be_visible()
    keyword = code.locator("span.k, span.kn").first  # Pygments' keyword tokens
    expect(keyword).to_be_visible()
    keyword_colour = keyword.evaluate("el => getComputedStyle(el).color")
    plain_colour = code.locator("pre").evaluate("el => getComputedStyle(el).color")
    assert keyword_colour != plain_colour, "code tokens are not coloured: is codehilite.css served?"


def test_chinese_text_renders_in_a_cjk_font(page, demo_library):
    note = Article.objects.get(slug=NOTE_SLUG)
    page.goto(note.get_absolute_url())

    title = page.locator("main h1").first
    expect(title).to_have_text(note.title)
    han_count = len(HAN.findall(note.title))
    assert han_count >= 4, note.title
    # The width the browser gives a run of Chinese characters in the title.
    han_width = title.evaluate(
        r"""el => {
            const text = el.firstChild, match = /[\u4e00-\u9fff]+/.exec(text.data);
            const range = document.createRange();
            range.setStart(text, match.index);
            range.setEnd(text, match.index + match[0].length);
            return range.getBoundingClientRect().width;
        }"""
    )
    assert han_width > 0
    # The fonts Chromium actually drew the title's text with: a CJK one, not boxes.
    fonts = platform_fonts(page, "main h1")
    cjk_glyphs = sum(font["glyphCount"] for font in fonts if CJK_FONT.search(font["familyName"]))
    assert cjk_glyphs >= han_count, fonts
    title.screenshot(path=SCREENSHOTS / "desktop-article-title.png")


def test_drafts_are_hidden_from_learners_and_clearly_marked_for_staff(open_page, live_server, demo_library):
    note = Article.objects.select_related("topic").get(slug=NOTE_SLUG)
    topic = note.topic
    draft = make_article(
        topic=topic, title="草稿：Swin Transformer", slug="swin-draft", status=Article.Status.DRAFT
    )
    with translation.override("zh-hans"):
        draft_label = str(Article.Status.DRAFT.label)

    learner = open_page()
    login(learner, live_server, *DEMO_LEARNER)
    learner.goto(topic.get_absolute_url())
    expect(learner.get_by_role("link", name=note.title, exact=True)).to_be_visible()
    expect(learner.get_by_text(draft.title)).to_have_count(0)
    assert learner.request.get(draft.get_absolute_url()).status == 404

    editor = open_page()
    login(editor, live_server, *DEMO_EDITOR)
    editor.goto(topic.get_absolute_url())
    listed = editor.locator("li").filter(has=editor.get_by_role("link", name=draft.title))
    expect(listed.locator(".badge")).to_have_text(draft_label)
    listed.get_by_role("link", name=draft.title).click()

    banner = editor.get_by_role("note")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(draft_label)
    expect(editor.locator("main mark.fact").first).to_be_visible()
    shot(editor, "desktop-draft-for-staff")


def platform_fonts(page, selector: str) -> list[dict]:
    """The system fonts Chromium used for the text directly inside the first match."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()
