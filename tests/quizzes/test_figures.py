"""The |percent template filter."""

import pytest
from django.template import Context, Template


def render(value) -> str:
    return Template("{% load figures %}{{ value|percent }}").render(Context({"value": value}))


@pytest.mark.parametrize(
    ("share", "text"),
    [(0.834, "83%"), (0.0, "0%"), (0.5, "50%"), (1.0, "100%"), (1.2, "100%")],
)
def test_a_share_is_written_as_a_whole_percentage(share, text):
    assert render(share) == text


def test_no_data_is_an_en_dash():
    assert render(None) == "–"
