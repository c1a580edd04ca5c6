"""Searching in a browser: results appear while typing, and a result opens at its paragraph."""

import re
from urllib.parse import unquote

from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_LEARNER, login, shot


def test_a_learner_types_a_query_sees_results_and_lands_on_the_paragraph(page, live_server, demo_library):
    login(page, live_server, *DEMO_LEARNER)
    page.goto("/")
    page.evaluate("window.notReloaded = true")  # gone if the page were loaded again

    box = page.get_by_role("searchbox")
    box.press_sequentially("梯度 消失", delay=60)

    results = page.locator("main .search-notes > li")
    expect(results.first).to_be_visible()
    assert page.evaluate("window.notReloaded === true"), "the results came by a page load"
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    expect(box).to_be_focused()
    expect(results.first.locator(".snippet mark").first).to_be_visible()
    shot(page, "desktop-search-results")

    # Typing on narrows the results in place.
    box.fill("")
    box.press_sequentially("Transformer", delay=40)
    expect(page.locator("main h1")).to_contain_text("Transformer")
    link = page.locator("main .search-notes > li a").first
    href = link.get_attribute("href")
    assert "#" in href, href
    anchor = unquote(href.split("#", 1)[1])
    link.click()

    expect(page).to_have_url(re.compile(re.escape(href.split("#", 1)[0])))
    target = page.locator(f"[id='{anchor}']")
    expect(target).to_be_in_viewport()
    expect(target).to_contain_text(re.compile("transformer", re.IGNORECASE))


def test_without_javascript_the_search_box_is_a_plain_form(open_page, demo_library):
    page = open_page(java_script_enabled=False)
    page.goto("/")
    box = page.get_by_role("searchbox")
    box.fill("生成器")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=%E7%94%9F%E6%88%90%E5%99%A8"))
    expect(page.locator("main .search-notes > li").first).to_contain_text("生成器")
    expect(page.get_by_role("searchbox")).to_have_value("生成器")
