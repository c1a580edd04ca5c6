"""An editor rewords an answered note in the admin: asked before retiring, told what was kept."""

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Topic
from quizzes.answering import Submission, record_answer, start_topic_quiz
from quizzes.models import KeyFact
from tests.e2e.conftest import DEMO_EDITOR, DEMO_LEARNER, admin_login, shot

BODY = """# Swin Transformer

Swin Transformer 由{{Microsoft ~Google ~Meta}}在{{2021 ~2019 ~2020}}年提出。

它在局部窗口内计算自注意力，相邻层之间用{{移位窗口|shifted window}}连接各个窗口。
"""
EDITED = BODY.replace("{{2021 ~2019 ~2020}}", "{{2022 ~2019 ~2020}}").replace(
    "相邻层之间用", "并且在相邻的两层之间交替使用"
)


def test_the_editor_confirms_retiring_an_answered_fact_and_sees_what_the_save_kept(
    page, live_server, demo_library
):
    topic = Topic.objects.create(name="视觉骨干", slug="vision-backbones")
    article = Article(topic=topic, title="Swin", slug="swin", body=BODY, status="published")
    article.save()
    learner = get_user_model().objects.get(username=DEMO_LEARNER[0])
    now = timezone.now()
    quiz = start_topic_quiz(learner, topic, 5, now)
    for item in quiz.items.select_related("fact"):
        choice = str(item.options.index(item.fact.answer)) if item.options else None
        record_answer(learner, quiz.pk, item.position, Submission(item.fact.answer, choice), now)
    ids = dict(KeyFact.objects.filter(article=article).values_list("answer", "pk"))

    admin_login(page, live_server, *DEMO_EDITOR)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.locator("#id_body").fill(EDITED)
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()

    # Asked first: the fact learners answered, how many; the text is still there; nothing saved.
    errors = page.locator(".field-retire_answered_facts .errorlist")
    expect(errors).to_contain_text("2021")
    expect(errors).to_contain_text("1 位学习者答过")
    expect(page.locator("#id_body")).to_have_value(EDITED)
    assert Article.objects.get(pk=article.pk).body == BODY
    shot(page, "admin-confirm-retiring-facts")

    page.locator("#id_retire_answered_facts").check()
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    # Microsoft's sentence now says 2022: reworded too.
    expect(page.locator(".messagelist")).to_contain_text(
        "保留 0 个知识点，改写 2 个（保留历史），新增 1 个，退役 1 个（1 位学习者答过）"
    )
    facts = KeyFact.objects.filter(article=article)
    assert facts.get(answer="Microsoft").pk == ids["Microsoft"]
    assert facts.get(answer="移位窗口").pk == ids["移位窗口"]  # reworded, same fact
    assert facts.get(pk=ids["2021"]).retired_at is not None
    assert facts.get(answer="2022").pk not in ids.values()
