"""On a phone (390×844): the main pages never scroll sideways and every control can be reached."""

import pytest
from playwright.sync_api import expect

from articles.models import Article, Topic
from quizzes.models import Quiz
from tests.e2e.conftest import DEMO_LEARNER, PHONE, answer_wrong, login, shot
from tests.factories import make_article

PHONE_WIDTH = PHONE["viewport"]["width"]

# A note built to be too wide for a phone in every way a note can be.
WIDE_NOTE = "\n".join(
    [
        "# 宽内容",
        "",
        "| 模型 | 层数 | 隐藏维度 | MLP 维度 | 注意力头数 | 参数量 | 预训练数据 | 分辨率 | Top-1 |",
        "| --- " * 9 + "|",
        "| ViT-Base/16 | 12 | 768 | 3072 | 12 | 86M | ImageNet-21k | 224×224 | 81.8% |",
        "| ViT-Large/16 | 24 | 1024 | 4096 | 16 | 307M | JFT-300M | 384×384 | 87.8% |",
        "",
        r"$$\mathrm{Gain}=\frac{1}{2}\left[\frac{G_L^2}{H_L+\lambda}+\frac{G_R^2}{H_R+\lambda}"
        r"-\frac{(G_L+G_R)^2}{H_L+H_R+\lambda}\right]-\gamma+\sum_{i=1}^{n}\sum_{j=1}^{m}w_{ij}x_{ij}$$",
        "",
        "```python",
        "def patch_embed(images, patch_size=16, embedding_dimension=768, projection=None,"
        " with_class_token=True):",
        "    return projection(images).flatten(2).transpose(1, 2)"
        "  # (batch, number_of_patches, embedding_dimension)",
        "```",
        "",
        "ViT 由{{Google}}提出，见 https://arxiv.org/abs/2010.11929/"
        "an-image-is-worth-16x16-words-transformers-for-image-recognition-at-scale 。",
    ]
)


# JavaScript run in the page: every control, scrolled into view, must be visible, inside the
# viewport horizontally, and the element a tap at its centre would hit.
UNREACHABLE_CONTROLS = r"""() => {
    const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
    const problems = [];
    const controls = [...document.querySelectorAll(selector)];
    for (const el of controls) {
        // Scrolling into view may scroll boxes a person cannot scroll (overflow: hidden):
        // note where those were, and put them back.
        const unscrollable = [];
        for (let box = el.parentElement; box; box = box.parentElement) {
            const style = getComputedStyle(box);
            unscrollable.push([box, /hidden|clip/.test(style.overflowX), box.scrollLeft,
                               /hidden|clip/.test(style.overflowY), box.scrollTop]);
        }
        el.focus({preventScroll: true});  // a skip link only shows when focused
        el.scrollIntoView({block: 'center', inline: 'nearest'});
        for (const [box, fixedX, left, fixedY, top] of unscrollable) {
            if (fixedX) box.scrollLeft = left;
            if (fixedY) box.scrollTop = top;
        }
        const rect = el.getBoundingClientRect();
        const name = `<${el.tagName.toLowerCase()}> "${(el.innerText || el.textContent || el.value || el.name
            || el.getAttribute('href') || '').trim().slice(0, 40)}"`;
        const first = el.getClientRects()[0] || rect;  // a link's first line if it wraps
        const x = Math.min(Math.max(first.left + first.width / 2, 0), innerWidth - 1);
        const y = Math.min(Math.max(first.top + first.height / 2, 0), innerHeight - 1);
        const hit = document.elementFromPoint(x, y);
        const shown = getComputedStyle(el).visibility === 'visible';
        if (rect.width === 0 || rect.height === 0 || !shown) {
            problems.push(`${name} is not visible`);
        } else if (rect.left < -1 || rect.right > innerWidth + 1) {
            problems.push(`${name} spans x ${Math.round(rect.left)}..${Math.round(rect.right)}, `
                + `outside the ${innerWidth}px viewport`);
        } else if (!hit || !(el.contains(hit) || (hit.control === el))) {
            problems.push(`${name} is covered by <${hit && hit.tagName.toLowerCase()}>`);
        }
        el.blur();
    }
    return {count: controls.length, problems, scrollX: window.scrollX};
}"""

# JavaScript run in the page: Latin words and numbers in tables that the browser broke across
# lines (CJK text may break between any two characters; "3072" may not).
BROKEN_WORDS_IN_TABLES = r"""() => {
    const broken = [];
    for (const cell of document.querySelectorAll('main table th, main table td')) {
        const texts = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let text = texts.nextNode(); text; text = texts.nextNode()) {
            for (const word of text.data.matchAll(/[A-Za-z0-9.%]{2,}/g)) {
                const range = document.createRange();
                range.setStart(text, word.index);
                range.setEnd(text, word.index + word[0].length);
                const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                if (lines.size > 1) broken.push(`"${word[0]}" on ${lines.size} lines`);
            }
        }
    }
    return broken;
}"""

PAGES = {
    "topic-list": lambda: "/",
    "topic": lambda: Topic.objects.get(slug="computer-vision").get_absolute_url(),
    "article": lambda: Article.objects.get(slug="vit-patch-embedding").get_absolute_url(),
    "article-wide": lambda: make_article(
        topic=Topic.objects.get(slug="computer-vision"), slug="wide", title="宽内容", body=WIDE_NOTE
    ).get_absolute_url(),
    "search": lambda: "/search/?q=梯度 消失",
    "login": lambda: "/accounts/login/",
    "signup": lambda: "/accounts/signup/",
}


def assert_fits_a_phone(page):
    # A phone shows a page wider than itself zoomed out, and then window.innerWidth grows too.
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, viewport: window.innerWidth})"
    )
    assert widths == {"scroll": PHONE_WIDTH, "viewport": PHONE_WIDTH}, (
        f"the page is wider than the phone's {PHONE_WIDTH}px: {widths}"
    )
    reach = page.evaluate(UNREACHABLE_CONTROLS)
    assert reach["count"] > 0, "no controls found"
    assert reach["problems"] == [], "controls out of reach:\n  " + "\n  ".join(reach["problems"])
    assert reach["scrollX"] == 0, f"reaching a control scrolled the page sideways: {reach}"


@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_phone(name, phone_page, demo_library):
    phone_page.goto(PAGES[name]())

    assert_fits_a_phone(phone_page)
    phone_page.evaluate("window.scrollTo(0, 0)")
    shot(phone_page, f"phone-{name}", readme=name in {"topic-list", "article"})


@pytest.mark.parametrize("name", ["article", "article-wide"])
def test_tables_scroll_inside_themselves_rather_than_break_numbers(name, phone_page, demo_library):
    phone_page.goto(PAGES[name]())

    expect(phone_page.locator("main table").first).to_be_visible()
    broken = phone_page.evaluate(BROKEN_WORDS_IN_TABLES)
    assert broken == [], "table cells break words and numbers apart: " + ", ".join(broken)


def test_a_learners_pages_fit_a_phone(phone_page, live_server, demo_library):
    """Quiz question, feedback and summary, scores, review and account pages, logged in."""
    login(phone_page, live_server, *DEMO_LEARNER)
    phone_page.goto(Topic.objects.get(slug="computer-vision").get_absolute_url())
    assert_fits_a_phone(phone_page)
    phone_page.locator("form.start-quiz input[value='5']").check()
    phone_page.locator("form.start-quiz [type=submit]").click()
    phone_page.locator("#quiz-card .stem").wait_for()
    quiz = Quiz.objects.latest("created_at")
    for position in range(1, 6):
        assert_fits_a_phone(phone_page)
        if position == 1:
            shot(phone_page, "phone-quiz-question", readme=True)
        answer_wrong(phone_page, quiz.items.select_related("fact").get(position=position))
        assert_fits_a_phone(phone_page)
        if position == 1:
            shot(phone_page, "phone-quiz-feedback", readme=True)
        phone_page.locator("#quiz-card a.next").click()
        phone_page.locator("#quiz-card.feedback").wait_for(state="detached")
    phone_page.locator("#quiz-card.summary").wait_for()
    assert_fits_a_phone(phone_page)
    for url in ("/scores/", "/review/", "/accounts/settings/"):
        phone_page.goto(url)
        assert_fits_a_phone(phone_page)
        shot(phone_page, "phone-" + url.strip("/").replace("/", "-"), readme=url == "/scores/")
