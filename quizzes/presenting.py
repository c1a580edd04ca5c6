"""What a quiz page shows for an item: the question, the feedback, the summary row."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from articles.rendering import render_answer, render_sentence
from quizzes.answering import grade_fill_in
from quizzes.grading import Segment, display_form
from quizzes.models import Card, KeyFact, QuizItem

CARD_ACTION_FIELDS = ("fact_id", "due", "suspended", "buried_until")


def _blank(hint: str) -> str:
    # The blank never depends on the answer's length: it must not give the answer away.
    return format_html('<span class="blank">{}</span>', f"（{hint}）" if hint else "＿＿＿＿")


def highlighted_sentence(fact: KeyFact) -> SafeString:
    """The fact's sentence with its answer in place, highlighted."""
    # The rendering functions sanitise what they render (code, MathML): their HTML is trusted.
    answer = format_html('<mark class="fact">{}</mark>', mark_safe(render_answer(fact.answer)))
    return mark_safe(render_sentence(fact.sentence, answer, rendered=fact.sentence_html))


@dataclass(frozen=True)
class QuestionView:
    item: QuizItem
    stem_html: str
    options: list[tuple[int, str]]  # (index posted, option HTML)
    action_url: str
    context_html: str = ""  # the sentence before, when the stem leans on it ("它...")

    @property
    def is_multiple_choice(self):
        return bool(self.options)


def question_for(item: QuizItem) -> QuestionView:
    options = [(index, render_answer(option)) for index, option in enumerate(item.options)]
    return QuestionView(
        item=item,
        stem_html=render_sentence(
            item.fact.sentence, _blank(item.fact.hint), rendered=item.fact.sentence_html
        ),
        options=options,
        action_url=reverse("quizzes:answer", args=[item.quiz_id, item.position]),
        context_html=render_sentence(item.fact.context, "") if item.fact.context else "",
    )


@dataclass(frozen=True)
class FeedbackView:
    item: QuizItem
    answer_html: str
    sentence_html: str
    next_url: str
    typed_segments: tuple[Segment, ...] = ()
    expected_segments: tuple[Segment, ...] = ()
    chosen_html: str = ""
    card: Card | None = None  # the learner's card of the fact: "suspend" and "not today" act on it
    appeal_url: str = ""  # set when the verdict may be appealed ("I was right")
    appealed: bool = False  # counted as correct on the learner's appeal

    @property
    def gave_up(self):
        return not self.item.response


def card_of(user, fact_id: int) -> Card | None:
    return Card.objects.for_user(user).filter(fact_id=fact_id).only(*CARD_ACTION_FIELDS).first()


def feedback_for(item: QuizItem, card: Card | None = None, *, appealed: bool = False) -> FeedbackView:
    typed, expected, chosen = (), (), ""
    if not item.response:
        pass  # "I don't know": nothing typed or chosen to show
    elif item.options:
        chosen = render_answer(item.response)
    else:
        result = grade_fill_in(item, item.response)
        typed, expected = result.typed_segments, result.expected_segments
    return FeedbackView(
        item=item,
        answer_html=render_answer(item.fact.answer),
        sentence_html=highlighted_sentence(item.fact),
        next_url=reverse("quizzes:take", args=[item.quiz_id]),
        typed_segments=typed,
        expected_segments=expected,
        chosen_html=chosen,
        card=card,
        appeal_url=reverse("quizzes:appeal", args=[item.quiz_id, item.position])
        if item.verdict == QuizItem.Verdict.WRONG and item.response and not item.options
        else "",
        appealed=appealed,
    )


@dataclass(frozen=True)
class SummaryRow:
    item: QuizItem
    sentence_html: str
    answer_text: str
    card: Card | None = None  # its due date is the fact's next review


def summary_rows(items: list[QuizItem], user) -> list[SummaryRow]:
    """The answered items (an ended quiz may have others), each with the learner's card."""
    answered = [item for item in items if item.is_answered]
    cards = Card.objects.for_user(user).filter(fact_id__in=[item.fact_id for item in answered])
    cards = cards.only(*CARD_ACTION_FIELDS)
    by_fact = {card.fact_id: card for card in cards}
    return [
        SummaryRow(
            item,
            highlighted_sentence(item.fact),
            display_form(item.fact.answer),
            by_fact.get(item.fact_id),
        )
        for item in answered
    ]
