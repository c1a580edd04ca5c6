from django.urls import path

import notesite.converters  # noqa: F401  (registers the id and uslug converters)
from quizzes import card_views, score_views, views

app_name = "quizzes"
urlpatterns = [
    path("scores/", score_views.scores, name="scores"),
    path("topics/<uslug:slug>/quiz/", views.start_quiz, name="start_quiz"),
    path("quiz/<id:quiz_id>/", views.take_quiz, name="take"),
    path("quiz/<id:quiz_id>/answer/<id:position>/", views.answer, name="answer"),
    path("quiz/<id:quiz_id>/abandon/", views.abandon_quiz, name="abandon"),
    path("quiz/<id:quiz_id>/retry/", views.retry_quiz, name="retry"),
    path("quiz/<id:quiz_id>/appeal/<id:position>/", views.appeal, name="appeal"),
    path("review/", views.review, name="review"),
    path("facts/<id:fact_id>/suspend/", card_views.suspend, name="suspend"),
    path("facts/<id:fact_id>/unsuspend/", card_views.unsuspend, name="unsuspend"),
    path("facts/<id:fact_id>/bury/", card_views.bury, name="bury"),
]
