"""How many facts are due for review, for the navigation (one indexed COUNT per page)."""

from functools import cache

from django.utils import timezone

from quizzes.models import Card


def due_count(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    # Lazy and memoised: a page without the navigation never runs the query, and a
    # template that reads it three times runs it once.
    @cache
    def count():
        return Card.objects.due_for(user, timezone.now()).count()

    return {"due_count": count}
