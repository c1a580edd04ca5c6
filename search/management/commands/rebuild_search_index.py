"""manage.py rebuild_search_index: index every note again (or only the ones not yet indexed)."""

from django.core.management.base import BaseCommand

from articles.models import Article
from search.indexing import index_article, rebuild_index
from search.models import SearchDocument


class Command(BaseCommand):
    help = "Rebuild the search index of every note, in one transaction."

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing", action="store_true", help="only index notes that have no index entry yet"
        )

    def handle(self, *args, missing=False, **options):
        if missing:
            indexed = SearchDocument.objects.values("article_id")
            articles = Article.objects.exclude(pk__in=indexed).order_by("pk")
            count = 0
            for article in articles.iterator(chunk_size=200):
                index_article(article)
                count += 1
            self.stdout.write(f"Search index: {count} notes added.")
            return
        count = rebuild_index(progress=self._progress)
        self.stdout.write(f"Search index: {count} notes indexed.")

    def _progress(self, done: int) -> None:
        if done % 1000 == 0:
            self.stdout.write(f"  {done} notes ...")
