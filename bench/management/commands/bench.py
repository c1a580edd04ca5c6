"""manage.py bench: build a synthetic library and history, then time pages, saves and load."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from bench.report import format_table, run_benchmark, write_json
from bench.scales import SCALES


class Command(BaseCommand):
    help = (
        "Build synthetic data at a scale into the configured database (which must be empty or "
        "built by bench before), measure every page and the throughput, and print the figures "
        "beside their budgets. Writes bench-results/bench-<scale>-<database>.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(SCALES), default="small")
        parser.add_argument("--json", dest="json_path", help="where to write the JSON report")
        parser.add_argument("--skip-load", action="store_true", help="no gunicorn + wrk run")
        parser.add_argument(
            "--reset", action="store_true", help="delete everything in the database first, even data not ours"
        )
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="measure the bench data already built at this scale, no build",
        )

    def handle(self, *args, scale, json_path, skip_load, reset, reuse, **options):
        report = run_benchmark(scale, reset=reset, reuse=reuse, skip_load=skip_load, write=self.stdout.write)
        self.stdout.write("")
        self.stdout.write(format_table(report))
        path = Path(
            json_path or settings.BASE_DIR / "bench-results" / f"bench-{scale}-{connection.vendor}.json"
        )
        write_json(report, path)
        self.stdout.write(f"\nJSON: {path}")
