"""manage.py import_terms FILE: upsert the term bank from a terms.txt file, then re-choose options."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from terms.files import TermFileError, import_terms_file


class Command(BaseCommand):
    help = "Import a term bank file ([category] lines, then name | alias | alias)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        try:
            counts = import_terms_file(path)
        except TermFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{counts.created} created, {counts.updated} updated, {counts.unchanged} unchanged, "
            f"{counts.categories} new categories"
        )
