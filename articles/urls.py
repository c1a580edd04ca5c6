from django.urls import path

import notesite.converters  # noqa: F401  (registers the uslug converter)
from articles import views

app_name = "articles"
urlpatterns = [
    path("", views.topic_list, name="topic_list"),
    path("topics/<uslug:slug>/", views.topic_detail, name="topic_detail"),
    path("notes/<uslug:slug>/", views.article_detail, name="article_detail"),
]
