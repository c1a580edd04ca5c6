"""Editors curate the bank in the admin: search, filter, merge, and suggestions they accept."""

import pytest
from django.urls import reverse

from quizzes.models import KeyFact, Question
from terms.files import import_terms
from terms.models import Suggestion, Term
from tests.factories import make_article

pytestmark = pytest.mark.django_db

BANK = """[优化器]
SGD | 随机梯度下降
Adam
AdamW | Adam-W
[检测指标]
IoU | 交并比
mAP
"""


def test_search_finds_a_term_by_an_alias_and_filter_by_category(staff_client):
    import_terms(BANK)
    url = reverse("admin:terms_term_changelist")
    page = staff_client.get(url, {"q": "随机梯度"})
    assert [term.name for term in page.context["cl"].result_list] == ["SGD"]
    category = Term.objects.get(name="IoU").category
    page = staff_client.get(url, {"category__id__exact": category.pk})
    assert {term.name for term in page.context["cl"].result_list} == {"IoU", "mAP"}
    page = staff_client.get(url, {"category__isnull": "True"})
    assert page.status_code == 200


def test_merge_two_terms_keeps_one_with_every_spelling_and_questions_follow(staff_client):
    import_terms(BANK + "[别处]\nStochastic GD\n")
    url = reverse("admin:terms_term_changelist")
    pair = Term.objects.filter(name__in=["SGD", "Stochastic GD"])
    ids = [str(pk) for pk in pair.values_list("pk", flat=True)]
    confirm = staff_client.post(url, {"action": "merge_terms", "_selected_action": ids})
    assert confirm.status_code == 200 and b"survivor" in confirm.content
    survivor = Term.objects.get(name="SGD")
    done = staff_client.post(
        url, {"action": "merge_terms", "_selected_action": ids, "apply": "1", "survivor": survivor.pk}
    )
    assert done.status_code == 302
    survivor.refresh_from_db()
    assert survivor.aliases == ["随机梯度下降", "Stochastic GD"]
    assert survivor.category.name == "优化器"
    assert not Term.objects.filter(name="Stochastic GD").exists()


def test_merge_needs_two_terms(staff_client):
    import_terms(BANK)
    url = reverse("admin:terms_term_changelist")
    pk = str(Term.objects.get(name="SGD").pk)
    response = staff_client.post(url, {"action": "merge_terms", "_selected_action": [pk]}, follow=True)
    assert b"at least two" in response.content
    assert Term.objects.count() == 5


def test_an_alias_taken_by_another_term_is_refused_with_a_message(staff_client):
    import_terms(BANK)
    term = Term.objects.get(name="Adam")
    url = reverse("admin:terms_term_change", args=[term.pk])
    response = staff_client.post(
        url,
        {"name": "Adam", "category": term.category_id, "position": 2, "aliases_text": "交并比"},
    )
    assert response.status_code == 200
    assert "already names the term IoU" in response.content.decode()
    term.refresh_from_db()
    assert term.aliases == []


NOTE = (
    "# 优化\n\n训练 ViT 常用{{AdamW|Decoupled Adam ~Adam ~Lion ~Sophia}}，"
    "检测常看{{Dice 系数 ~IoU ~mAP ~AP50}}。\n"
)


def test_the_library_suggests_and_nothing_changes_until_an_editor_accepts(staff_client):
    import_terms(BANK)
    make_article(body=NOTE)
    suggested = {(s.kind, s.text) for s in Suggestion.objects.all()}
    assert ("alias", "Decoupled Adam") in suggested  # an alternative of AdamW
    assert ("sibling", "Lion") in suggested  # named beside AdamW
    assert ("sibling", "Dice 系数") in suggested  # an answer beside known metrics
    assert not Term.objects.filter(name__in=["Lion", "Sophia", "Dice 系数"]).exists()

    url = reverse("admin:terms_suggestion_changelist")
    page = staff_client.get(url)
    assert b'name="accept_one"' in page.content
    lion = Suggestion.objects.get(kind="sibling", text="Lion")
    response = staff_client.post(url, {"accept_one": lion.pk})
    assert response.status_code == 302
    assert Term.objects.get(name="Lion").category.name == "优化器"
    lion.refresh_from_db()
    assert lion.status == Suggestion.Status.ACCEPTED
    # A second click changes nothing more.
    staff_client.post(url, {"accept_one": lion.pk})
    assert Term.objects.filter(name="Lion").count() == 1


def test_accepting_an_alias_and_dismissing(staff_client):
    import_terms(BANK)
    make_article(body=NOTE)
    url = reverse("admin:terms_suggestion_changelist")
    alias = Suggestion.objects.get(kind="alias", text="Decoupled Adam")
    staff_client.post(url, {"accept_one": alias.pk})
    assert "Decoupled Adam" in Term.objects.get(name="AdamW").aliases
    sophia = Suggestion.objects.get(text="Sophia")
    staff_client.post(url, {"action": "dismiss_selected", "_selected_action": [sophia.pk]})
    sophia.refresh_from_db()
    assert sophia.status == Suggestion.Status.DISMISSED
    make_article(body=NOTE)  # the library says it again: it stays dismissed
    assert Suggestion.objects.filter(text="Sophia").count() == 1


def test_editing_a_term_regenerates_options_and_keeps_learners_facts(staff_client):
    import_terms(BANK)
    article = make_article(body="# 优化\n\n常用的优化器是{{AdamW}}。\n")
    fact = KeyFact.objects.get(article=article)
    assert not Question.objects.filter(fact=fact, type="mcq", is_generated=True).exists()
    lion = Term.objects.create(name="Lion")
    url = reverse("admin:terms_term_change", args=[lion.pk])
    response = staff_client.post(
        url,
        {
            "name": "Lion",
            "category": Term.objects.get(name="Adam").category_id,
            "position": 9,
            "aliases_text": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    mcq = Question.objects.get(fact=fact, type="mcq")
    assert mcq.is_generated and set(mcq.wrong_options) == {"SGD", "Adam", "Lion"}
    assert KeyFact.objects.get(article=article).pk == fact.pk


def test_learners_cannot_reach_the_bank(learner_client):
    assert learner_client.get(reverse("admin:terms_term_changelist")).status_code == 302


def test_term_and_suggestion_lists_keep_their_query_count(staff_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(url).status_code == 200
        return len(captured)

    terms_url = reverse("admin:terms_term_changelist")
    suggestions_url = reverse("admin:terms_suggestion_changelist")
    import_terms(BANK)
    make_article(body=NOTE)
    queries(terms_url), queries(suggestions_url)  # the session and permissions, read once
    small = queries(terms_url), queries(suggestions_url)
    import_terms("[更多]\n" + "\n".join(f"Term{i} | 术语{i}" for i in range(60)))
    make_article(body=NOTE.replace("Sophia", "Shampoo").replace("AP50", "AR"))
    assert (queries(terms_url), queries(suggestions_url)) == small
