"""A line of the bench's report: a figure, the budgets it is checked against, and the
percentiles that make a latency figure of timed samples."""

import statistics
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Check:
    """One budget: what it says and whether the figure meets it."""

    label: str
    passed: bool


@dataclass
class Figure:
    """One line of the report."""

    name: str
    count: int | None = None  # requests or operations timed
    p50_ms: float | None = None
    p95_ms: float | None = None
    queries: tuple[int, int] | None = None  # (median, max) per request
    # CPU time of this process: the request's own cost, whatever else the machine is doing
    # (on PostgreSQL the server's share is not in it).
    cpu_p50_ms: float | None = None
    amount: float | None = None  # the headline of a figure that is not a latency ...
    unit: str = ""  # ... in this unit
    note: str = ""
    checks: list[Check] = field(default_factory=list)

    @property
    def result(self) -> str:
        if not self.checks:
            return ""
        return "PASS" if all(check.passed for check in self.checks) else "MISS"


def latency_figure(
    name, durations_ms, queries=(), cpu_ms=(), *, p95_budget=None, query_budget=None
) -> Figure:
    """p50/p95 of timed samples, checked against the budgets that apply to them."""
    figure = Figure(
        name,
        count=len(durations_ms),
        p50_ms=percentile(durations_ms, 50),
        p95_ms=percentile(durations_ms, 95),
    )
    if cpu_ms:
        figure.cpu_p50_ms = percentile(cpu_ms, 50)
    if queries:
        figure.queries = (round(statistics.median(queries)), max(queries))
    if p95_budget is not None:
        figure.checks.append(Check(f"p95 < {p95_budget:g} ms", figure.p95_ms < p95_budget))
    if query_budget is not None:
        figure.checks.append(Check(f"<= {query_budget} queries", max(queries) <= query_budget))
    return figure


def percentile(samples, percent) -> float:
    """Nearest-rank percentile: always a value that was observed."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * percent // 100))
    return round(ordered[rank - 1], 2)

