"""manage.py export_terms FILE: the term bank as a terms.txt file (the import format)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from terms.files import export_terms


class Command(BaseCommand):
    help = "Export the term bank as a plain text file (re-importable)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        count = export_terms(path)
        self.stdout.write(f"{count} terms written to {path}")
