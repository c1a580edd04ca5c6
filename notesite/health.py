"""A no-op view for health checks and the benchmark's ceiling: "ok", no database, no template.

notesite/urls.py routes it with `path("healthz", include("notesite.health"))`.
"""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe


@require_safe
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", healthz, name="healthz")]
