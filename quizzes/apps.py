from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Quizzes"

    def ready(self):
        from quizzes import extraction  # noqa: F401 - connects the article post_save receiver
