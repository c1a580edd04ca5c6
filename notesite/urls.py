from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView


class FaviconRedirect(RedirectView):
    """Resolved per request: with the manifest storage the address exists only after collectstatic,
    and the URLconf must import before it (manage.py check, collectstatic itself)."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")


handler404 = "notesite.error_views.page_not_found"

urlpatterns = [
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", FaviconRedirect.as_view()),
    path("healthz", include("notesite.health")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("quizzes.urls")),
    path("", include("search.urls")),
    path("", include("articles.urls")),
]
