"""The URLconf of the gunicorn the bench launches: the site's, and the write anchor.

Only bench.settings selects it: production (notesite.urls) never routes the anchor.
"""

from django.urls import path

from bench.views import write_anchor
from notesite import urls as site

handler404 = site.handler404
urlpatterns = [
    path("bench/write-anchor/<int:card_id>/", write_anchor, name="bench_write_anchor"),
    *site.urlpatterns,
]
