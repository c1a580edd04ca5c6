"""The quiz panel on a topic page: start or resume a quiz, and the learner's score."""

from django import template

from quizzes.answering import DEFAULT_QUIZ_SIZE, QUIZ_SIZES
from quizzes.models import Quiz, TopicScore

register = template.Library()


@register.inclusion_tag("quizzes/topic_panel.html", takes_context=True)
def topic_quiz_panel(context, topic):
    user = context["request"].user
    panel = {"topic": topic, "sizes": QUIZ_SIZES, "default_size": DEFAULT_QUIZ_SIZE, "user": user}
    if user.is_authenticated:
        panel["open_quiz"] = (
            Quiz.objects.open()
            .filter(user=user, topic=topic, mode=Quiz.Mode.TOPIC)
            .only("id", "answered_count", "item_count")
            .first()
        )
        panel["score"] = TopicScore.objects.for_user(user).filter(topic=topic).first()
    panel["csrf_token"] = context.get("csrf_token")
    return panel
