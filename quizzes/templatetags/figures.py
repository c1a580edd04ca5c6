"""How pages write figures: `{{ row.accuracy|percent }}`."""

from django import template

from quizzes import charts

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """A share 0..1 as a whole percentage (0.834 -> "83%"); no data -> an en dash."""
    return charts.format_percent(share)
