from django.urls import path

import notesite.converters  # noqa: F401  (registers the id and uslug converters)
from quizzes import account_views, score_views, views

app_name = "quizzes"
urlpatterns = [
    path("accounts/signup/", account_views.signup, name="signup"),
    path("accounts/settings/", account_views.account_settings, name="account"),
    path("scores/", score_views.scores, name="scores"),
    path("topics/<uslug:slug>/quiz/", views.start_quiz, name="start_quiz"),
    path("quiz/<id:quiz_id>/", views.take_quiz, name="take"),
    path("quiz/<id:quiz_id>/answer/<id:position>/", views.answer, name="answer"),
    path("review/", views.review, name="review"),
]
