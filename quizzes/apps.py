from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("quizzes")

    def ready(self):
        from quizzes import extraction  # noqa: F401 - connects the article post_save receiver
