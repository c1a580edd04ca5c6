from django.urls import include, path

import notesite.converters  # noqa: F401  (registers the id and uslug converters)
from quizzes import card_views, score_views, views

# What a learner does with one quiz: /quiz/<id>/...
quiz_patterns = [
    path("", views.take_quiz, name="take"),
    path("answer/<id:position>/", views.answer, name="answer"),
    path("abandon/", views.abandon_quiz, name="abandon"),
    path("retry/", views.retry_quiz, name="retry"),
    path("appeal/<id:position>/", views.appeal, name="appeal"),
]
# Taking one fact out of study, or back: /facts/<id>/...
card_patterns = [
    path("suspend/", card_views.suspend, name="suspend"),
    path("unsuspend/", card_views.unsuspend, name="unsuspend"),
    path("bury/", card_views.bury, name="bury"),
]

app_name = "quizzes"
urlpatterns = [
    path("scores/", score_views.scores, name="scores"),
    path("topics/<uslug:slug>/quiz/", views.start_quiz, name="start_quiz"),
    path("quiz/<id:quiz_id>/", include(quiz_patterns)),
    path("review/", views.review, name="review"),
    path("facts/<id:fact_id>/", include(card_patterns)),
]
