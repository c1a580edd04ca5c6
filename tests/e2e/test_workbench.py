"""The editors' workbench in a real browser: a live preview while typing, errors marked in the
editor's line numbers, Ctrl+S, revisions restored; and the plain form with JavaScript off."""

import re

from playwright.sync_api import expect

from articles.models import Article, Topic
from quizzes.models import KeyFact
from tests.e2e.conftest import DEMO_EDITOR, admin_login, shot

ADD_URL = "/admin/articles/article/add/"
CHANGE_URL = re.compile(r"/admin/articles/article/(\d+)/change/$")
TITLE = "Swin Transformer：移位窗口注意力"
FIRST = "# Swin Transformer\n\nSwin 由{{Microsoft ~Google ~Meta}}提出，发表于{{2021 ~2019 ~2020}}年。\n"
SECOND = "它在{{局部窗口::窗口}}内计算自注意力。\n"


def type_into_editor(page, text):
    editor = page.locator("#id_body")
    editor.click()
    editor.press("Control+End")
    editor.press_sequentially(text, delay=5)


def test_editor_sees_preview_and_errors_while_typing_saves_with_ctrl_s_and_restores(
    page, live_server, demo_library
):
    topic = Topic.objects.get(slug="computer-vision")
    admin_login(page, live_server, *DEMO_EDITOR)
    page.goto(ADD_URL)
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_topic").select_option(label=topic.name)
    page.locator("#id_status").select_option(value="published")
    page.locator("#id_slug").fill("")

    # The preview follows the text, with its facts highlighted, before anything is saved.
    page.locator("#id_body").fill(FIRST)
    page.locator("#id_body").dispatch_event("input")
    preview = page.locator("#live-preview")
    expect(preview.locator("mark.fact")).to_have_text(["Microsoft", "2021"])
    expect(preview.locator("h1")).to_have_text("Swin Transformer")
    expect(page.locator(".editor-gutter div")).to_have_count(4)  # the last, empty line counts

    # An unclosed fact on line 5: the error with its place, and line 5 marked in the gutter.
    type_into_editor(page, "\n它在{{局部窗口 内计算自注意力。")
    expect(preview.locator(".markup-errors li")).to_have_count(1)
    expect(preview.locator(".markup-errors li")).to_contain_text("第 5 行第 3 列")
    expect(page.locator(".editor-gutter .has-error")).to_have_text(["5"])
    assert not Article.objects.filter(title=TITLE).exists()
    shot(page, "desktop-admin-live-preview-error", readme=True)

    # Fixed: the error goes, the new fact shows; Ctrl+S saves and stays on the page.
    page.locator("#id_body").fill(FIRST + "\n" + SECOND)
    page.locator("#id_body").dispatch_event("input")
    expect(preview.locator("mark.fact")).to_have_text(["Microsoft", "2021", "局部窗口"])
    expect(page.locator(".editor-gutter .has-error")).to_have_count(0)
    with page.expect_navigation():
        page.locator("#id_body").press("Control+s")
    expect(page).to_have_url(CHANGE_URL)
    article = Article.objects.get(title=TITLE)
    assert article.slug == "swin-transformer-yi-wei-chuang-kou-zhu-yi-li"
    facts = dict(KeyFact.objects.filter(article=article).values_list("answer", "pk"))
    assert set(facts) == {"Microsoft", "2021", "局部窗口"}
    show_editor(page)
    shot(page, "desktop-admin-editor", readme=True)

    # An edit that drops a fact, with a message; then the first revision restored.
    page.locator("#id_body").fill(FIRST)
    page.locator("#id_revision_message").fill("删掉窗口那句")
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    assert set(KeyFact.objects.filter(article=article, is_active=True).values_list("answer", flat=True)) == {
        "Microsoft",
        "2021",
    }
    revisions = page.locator(".revision-list tbody tr")
    expect(revisions).to_have_count(2)
    expect(revisions.nth(0)).to_contain_text("删掉窗口那句")
    expect(revisions.nth(0)).to_contain_text(DEMO_EDITOR[0])

    revisions.nth(0).get_by_role("link", name="差异").click()
    expect(page.locator("table.diff .diff_sub")).to_contain_text(["局部窗口"])
    shot(page, "desktop-admin-revision-diff", readme=True)
    page.goto(page.url.split("/revisions/")[0] + "/change/")

    page.locator(".revision-list tbody tr").nth(1).locator("a.restore-revision").click()
    expect(page.locator(".messagelist")).to_contain_text("即可恢复")
    expect(page.locator("#id_body")).to_have_value(re.compile("局部窗口"))
    expect(page.locator("#live-preview mark.fact")).to_have_text(["Microsoft", "2021", "局部窗口"])
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    article.refresh_from_db()
    assert "局部窗口" in article.body
    # The facts the edit kept are the same rows; the dropped one, never answered, was deleted
    # and comes back as a new row (an answered one would be retired and come back itself).
    restored = dict(KeyFact.objects.filter(article=article, is_active=True).values_list("answer", "pk"))
    assert set(restored) == set(facts)
    assert [restored[a] for a in ("Microsoft", "2021")] == [facts[a] for a in ("Microsoft", "2021")]
    expect(page.locator(".revision-list tbody tr")).to_have_count(3)
    expect(page.locator(".revision-list tbody tr").nth(0)).to_contain_text("恢复到")


def show_editor(page):
    page.locator(".markdown-editor").evaluate("el => el.scrollIntoView()")


def test_with_javascript_off_the_form_saves_and_shows_the_preview_after(
    open_page, live_server, demo_library
):
    page = open_page(java_script_enabled=False)
    topic = Topic.objects.get(slug="computer-vision")
    admin_login(page, live_server, *DEMO_EDITOR)
    page.goto(ADD_URL)
    expect(page.locator(".live-preview-pane")).to_be_hidden()
    page.locator("#id_title").fill("无脚本的笔记")
    page.locator("#id_topic").select_option(label=topic.name)
    page.locator("#id_body").fill(FIRST)
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    expect(page).to_have_url(CHANGE_URL)
    expect(page.locator(".note-preview mark.fact")).to_have_text(["Microsoft", "2021"])
    assert Article.objects.get(title="无脚本的笔记").slug == "wu-jiao-ben-de-bi-ji"
