from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("quizzes")

    def ready(self):
        from quizzes import aliases, extraction  # noqa: F401 - connect the article post_save receivers
        from quizzes.grading import grade

        # The first Chinese text and the first formula a process grades load OpenCC's
        # dictionaries and SymPy's evaluation machinery (~0.2 s): do it before any learner waits.
        grade("權重衰減", "权重衰减")
        grade("x^2+1", "$1+x^2$")
