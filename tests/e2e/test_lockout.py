"""Locked log-ins in a real browser: the page says what is locked, in the site's look, and the
right password from elsewhere still works."""

from playwright.sync_api import expect

from tests.e2e.conftest import BROWSER_PROBLEMS, DEMO_LEARNER, login, shot


def forgive_refusals(request):
    """A 429 is this test's expected answer, which Chromium logs as a failed resource."""
    problems = request.node.stash[BROWSER_PROBLEMS]
    problems.collect()
    problems.messages[:] = [message for message in problems.messages if "status of 429" not in message]


def fail_to_log_in(page, username: str):
    page.goto("/accounts/login/")
    form = page.locator("main form").filter(has=page.locator("input[type=password]"))
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill("not-the-password")
    form.locator("[type=submit]").click()
    page.wait_for_load_state()


def test_failed_log_ins_from_one_address_pause_it_with_a_plain_page(request, demo_library, page, live_server):
    for number in range(5):
        fail_to_log_in(page, f"guess-{number}")

    fail_to_log_in(page, DEMO_LEARNER[0])

    expect(page.locator("h1")).to_have_text("来自你的网络地址的登录已暂停")
    expect(page.locator("main")).to_contain_text("约 15 分钟后再试")
    expect(page.locator("main")).not_to_contain_text("账户“")
    assert page.evaluate(
        "[...document.styleSheets].some(sheet => sheet.href && sheet.cssRules.length > 0)"
    ), "the site's stylesheet is applied"
    shot(page, "lockout-address")

    page.get_by_role("link", name="这段时间可以继续阅读笔记").click()
    expect(page).to_have_url(f"{live_server.url}/")
    forgive_refusals(request)


def test_a_locked_account_is_named_and_reading_goes_on(request, demo_library, page, live_server):
    for _ in range(5):
        fail_to_log_in(page, DEMO_LEARNER[0])

    expect(page.locator("h1")).to_have_text("账户暂时被锁定")
    expect(page.locator("main")).to_contain_text(f"账户“{DEMO_LEARNER[0]}”因连续 5 次登录失败已被锁定。")
    page.goto("/")
    expect(page.locator("main")).to_be_visible()
    forgive_refusals(request)


def test_the_right_password_works_when_nothing_is_locked(demo_library, page, live_server):
    for number in range(4):
        fail_to_log_in(page, f"guess-{number}")
    login(page, live_server, *DEMO_LEARNER)
