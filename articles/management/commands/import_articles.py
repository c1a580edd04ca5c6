"""manage.py import_articles PATH...: Markdown files with front matter, upserted by slug."""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError, no_translations

from articles.library_files import Outcome, import_paths


class Command(BaseCommand):
    help = "Import Markdown articles (files or directories of *.md) with front matter."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")

    @no_translations  # its report is English throughout, the validators' messages included
    def handle(self, *args, paths, **options):
        results = import_paths(paths)
        counts = Counter(result.outcome for result in results)
        for result in results:
            line = f"{result.outcome.value:9}  {result.path}"
            if result.facts is not None:
                line += f"  ({result.facts.describe()})"
            if result.outcome is Outcome.FAILED:
                self.stderr.write(self.style.ERROR(f"{line}\n           {result.detail}"))
            elif options["verbosity"] >= 1:
                self.stdout.write(line)
        summary = ", ".join(f"{counts[outcome]} {outcome.value}" for outcome in Outcome)
        self.stdout.write(summary)
        if counts[Outcome.FAILED]:
            raise CommandError(f"{counts[Outcome.FAILED]} file(s) failed to import")
