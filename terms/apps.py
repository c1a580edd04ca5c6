from django.apps import AppConfig


class TermsConfig(AppConfig):
    name = "terms"
    verbose_name = "Terms"
