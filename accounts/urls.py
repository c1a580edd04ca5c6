"""Every address under /accounts/. Django's own (login, logout, password change and reset) keep
their global names, which LOGIN_URL and Django's auth views reverse; the app's own are
namespaced "accounts"."""

from django.urls import include, path

from accounts import auth_views, views

own = [
    path("signup/", views.signup, name="signup"),
    path("settings/", views.account_settings, name="settings"),
]

urlpatterns = [
    path("", include((own, "accounts"))),
    # Before Django's own: the same addresses, with lengths checked and limits kept.
    path("login/", auth_views.login, name="login"),
    path("password_reset/", auth_views.password_reset, name="password_reset"),
    path("password_reset/done/", auth_views.password_reset_done, name="password_reset_done"),
    path("", include("django.contrib.auth.urls")),
]
