"""Path converters that turn addresses no database row can have into a 404 before any query.

Django's `str` and `int` accept what the database cannot store or compare (a NUL in a slug makes
PostgreSQL raise, a 30-digit id overflows bigint): both would be a 500 instead of "not found".
"""

from django.urls import register_converter


class RowIdConverter:
    """A positive integer that fits a database id."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


class UnicodeSlugConverter:
    """A slug of letters, digits, "_" and "-" in any script: topic slugs may be Chinese."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(RowIdConverter, "id")
register_converter(UnicodeSlugConverter, "uslug")
