"""A signed-in learner's requests: their time zone active, their pages never cached."""

from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django.utils.cache import patch_cache_control

from quizzes.habits import zone
from quizzes.models import LearnerProfile

# Django's own recipe: the time zone lives in the session, read with it at no extra query.
TIMEZONE_SESSION_KEY = "learner_timezone"


def remember_timezone(request, name: str) -> None:
    request.session[TIMEZONE_SESSION_KEY] = name
    timezone.activate(zone(name))


class LearnerMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            personal = self._activate_timezone(request)
        except (OperationalError, InterfaceError):
            # The database is down: the view meets the same error, and it becomes a clear 503.
            personal = False
        try:
            response = self.get_response(request)
        finally:
            timezone.deactivate()
        if personal:
            # Scores, due counts, open quizzes: the back button must fetch them again, and
            # no shared cache may keep them.
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def _activate_timezone(request) -> bool:
        """Activate a signed-in learner's time zone; False for a visitor."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        name = request.session.get(TIMEZONE_SESSION_KEY)
        if name is None:  # a new session: read the profile once
            name = LearnerProfile.objects.filter(user=user).values_list("timezone", flat=True).first()
            remember_timezone(request, name or zone(None).key)
        else:
            timezone.activate(zone(name))
        return True
