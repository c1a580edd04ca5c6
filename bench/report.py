"""The run of `manage.py bench` and its report: every figure beside its budget, as a table and
as JSON, with the machine and database it was taken on."""

import json
import os
import platform
import sys
import time
from dataclasses import asdict
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection

from bench import load, measure, saves, synthetic
from bench.figures import Check, Figure
from bench.scales import SCALES


def run_benchmark(scale_name: str, *, reset: bool, reuse: bool, skip_load: bool, write) -> dict:
    """Build (or reuse) the synthetic data, take every figure, and return the report."""
    scale = SCALES[scale_name]
    started = time.perf_counter()
    machine = machine_description()
    figures = []
    # The database is checked before anything (even a migration) touches it.
    if reuse:
        synthetic.require_bench_data(scale)
        call_command("migrate", interactive=False, verbosity=0)
        write(f"Reusing the {scale.name} bench data already in the database.")
    else:
        synthetic.prepare_database(reset=reset)
        call_command("migrate", interactive=False, verbosity=0)
        write(f"Building the {scale.name} library and history ...")
        seconds, rows = synthetic.build(scale)
        write("  " + ", ".join(f"{count:,} {table}" for table, count in rows.items()))
        budget = scale.build_budget_s
        figures.append(
            Figure(
                "build the synthetic data",
                amount=round(seconds, 1),
                unit="s",
                note=f"{sum(rows.values()):,} rows",
                checks=[Check(f"< {budget} s", seconds < budget)],
            )
        )
    # The bench's learners start more quizzes than a rate allows: a run (and a run again within
    # the rate's period) starts from no counts, in this database of the bench's own.
    caches["ratelimit"].clear()
    if load.uses_manifest_storage():
        figures.append(Figure("collectstatic", amount=round(load.collect_static(), 1), unit="s"))
    write(f"Timing pages ({scale.requests} requests each) ...")
    figures += measure.request_figures(scale)
    write("Timing saves and an import ...")
    figures += saves.save_figures(scale)
    if skip_load:
        figures += [Figure(name, note="skipped (--skip-load)") for name in load.FIGURE_NAMES]
    else:
        write(f"Serving with gunicorn, driving it with wrk ({scale.load_seconds} s per run) ...")
        figures += load.throughput_figures(scale)
    return {
        "scale": scale.name,
        "sizes": asdict(scale),
        "database": database_description(),
        "machine": machine,
        "debug": settings.DEBUG,
        "taken_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "total_seconds": round(time.perf_counter() - started, 1),
        "load_average_at_end": [round(load, 2) for load in os.getloadavg()],
        "figures": [dict(asdict(figure), result=figure.result) for figure in figures],
    }


def database_description() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
    return connection.vendor


def machine_description() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        cpu = next(
            line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")
        )
        memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, StopIteration, ValueError, IndexError):
        memory_kb = 0
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "django": django.get_version(),
        # Other work on the machine skews every figure: the load average says how much.
        "load_average": [round(load, 2) for load in os.getloadavg()],
    }


def format_table(report: dict) -> str:
    """The report as a fixed-width table, each budget beside its figure."""
    machine = report["machine"]
    lines = [
        f"notesite bench · scale {report['scale']} · {report['database']} · "
        f"{machine['cores']} × {machine['cpu']} · Python {machine['python']} · "
        f"Django {machine['django']}",
        f"5-minute load average {machine['load_average'][1]} at start, "
        f"{report['load_average_at_end'][1]} at end · budgets are set for the large scale"
        + (" · DEBUG is on: these figures are not representative" if report["debug"] else ""),
        "",
        f"{'what':<34} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8} {'queries':>8} {'value':>12}  "
        f"{'budget':<27} result",
    ]
    for figure in report["figures"]:
        queries = ""
        if figure["queries"]:
            median, most = figure["queries"]
            queries = f"{median}" if median == most else f"{median}/{most}"
        value = "" if figure["amount"] is None else f"{figure['amount']:g} {figure['unit']}"
        budget = ", ".join(check["label"] for check in figure["checks"])
        lines.append(
            f"{figure['name']:<34} {_cell(figure['count']):>5} {_cell(figure['p50_ms']):>8} "
            f"{_cell(figure['p95_ms']):>8} {_cell(figure['cpu_p50_ms']):>8} {queries:>8} "
            f"{value:>12}  {budget:<27} {figure['result']:<4}  {figure['note']}".rstrip()
        )
    lines += [
        "",
        "cpu p50: this process's CPU time per request (PostgreSQL's own work is not in it)",
        f"queries: median/max per request · whole run {report['total_seconds']} s",
    ]
    return "\n".join(lines)


def _cell(value) -> str:
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def write_json(report: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
