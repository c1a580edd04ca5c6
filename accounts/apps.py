from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing up, logging in and out, passwords and the account page; no models of its own."""

    name = "accounts"
