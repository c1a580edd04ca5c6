"""manage.py export_articles DIR: every article as DIR/<topic>/<slug>.md, the import format."""

from pathlib import Path

from django.core.management.base import BaseCommand

from articles.library_files import export_articles


class Command(BaseCommand):
    help = "Export every article as Markdown with front matter (re-importable)."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        written = export_articles(directory)
        self.stdout.write(f"{len(written)} articles written to {directory}")
