"""SVG chart geometry: pure functions, no database."""

from datetime import date, timedelta

import pytest

from quizzes import charts


@pytest.mark.parametrize(
    ("share", "text"),
    [(None, "–"), (0.0, "0%"), (0.834, "83%"), (0.996, "100%"), (1.0, "100%"), (1.7, "100%")],
)
def test_format_percent(share, text):
    assert charts.format_percent(share) == text


def test_display_width_counts_cjk_characters_twice():
    assert charts.display_width("ViT") == 3
    assert charts.display_width("计算机视觉") == 10
    assert charts.display_width("ViT 模型") == 8


def test_shorten_keeps_a_name_that_fits():
    assert charts.shorten("Object detection", max_units=18) == "Object detection"


def test_shorten_cuts_a_long_latin_name_within_the_width_and_marks_it():
    short = charts.shorten("Training and optimisation tricks", max_units=18)
    assert short.endswith("…")
    assert charts.display_width(short) <= 18
    assert short.startswith("Training and")


def test_shorten_cuts_chinese_by_display_width():
    short = charts.shorten("深度学习中的训练与优化技巧", max_units=10)
    assert short == "深度学习…"
    assert charts.display_width(short) <= 10


def test_bar_widths_are_proportional_to_the_share():
    chart = charts.bar_chart([("full", 1.0), ("half", 0.5), ("none", 0.0)])
    full, half, none = chart.bars
    assert full.width == chart.bar_span
    assert half.width == pytest.approx(chart.bar_span / 2)
    assert none.width == 0


def test_a_topic_without_answers_gets_no_bar_and_a_dash():
    (bar,) = charts.bar_chart([("new topic", None)]).bars
    assert bar.width == 0
    assert bar.percent == "–"


def test_out_of_range_shares_never_draw_outside_the_chart():
    chart = charts.bar_chart([("too much", 1.4), ("negative", -0.2)])
    assert chart.bars[0].width == chart.bar_span
    assert chart.bars[1].width == 0


def test_bars_stack_top_to_bottom_without_overlapping_and_fit_the_view_box():
    chart = charts.bar_chart([(f"topic {n}", n / 10) for n in range(8)])
    for upper, lower in zip(chart.bars, chart.bars[1:], strict=False):
        assert lower.y >= upper.y + chart.bar_height
    last = chart.bars[-1]
    assert last.y + chart.bar_height <= chart.plot_height <= chart.axis_y <= chart.height
    # The value text starts after its bar and "100%" still fits inside the view box.
    assert all(bar.value_x > chart.bar_x + bar.width for bar in chart.bars)
    assert chart.bar_x + chart.bar_span + charts.VALUE_WIDTH <= chart.width
    # Labels end before the bars begin.
    assert chart.label_x < chart.bar_x


def test_bar_chart_keeps_full_names_for_screen_readers():
    name = "非常非常长的主题名字：深度学习训练技巧"
    chart = charts.bar_chart([(name, 0.75), ("GAN", None)])
    assert chart.bars[0].full_label == name
    assert chart.bars[0].label != name
    assert chart.summary == f"{name} 75%; GAN –"


def test_bar_chart_ticks_mark_zero_half_and_full():
    chart = charts.bar_chart([("a", 0.3)])
    assert [tick.label for tick in chart.ticks] == ["0%", "50%", "100%"]
    assert [tick.x for tick in chart.ticks] == [
        chart.bar_x,
        chart.bar_x + chart.bar_span / 2,
        chart.bar_x + chart.bar_span,
    ]


def test_empty_bar_chart_has_no_bars():
    chart = charts.bar_chart([])
    assert chart.bars == []
    assert chart.plot_height == 0


def test_sparkline_of_nothing_draws_nothing():
    line = charts.sparkline([])
    assert line.points == []
    assert line.polyline == ""
    assert line.last is None


def test_sparkline_of_one_score_is_a_centred_dot():
    line = charts.sparkline([0.5], width=100, height=24, padding=3)
    assert line.points == [(50, 12)]
    assert line.last == (50, 12)


def test_sparkline_runs_oldest_left_to_newest_right_with_full_marks_on_top():
    line = charts.sparkline([0.0, 0.5, 1.0], width=100, height=24, padding=3)
    assert line.points == [(3, 21), (50, 12), (97, 3)]
    assert line.polyline == "3,21 50,12 97,3"


def test_sparkline_stays_inside_its_box_whatever_the_values():
    line = charts.sparkline([1.5, -1, 0.2, 0.9, 0.4, 0.6, 0.1, 0.8, 0.3, 0.7])
    for x, y in line.points:
        assert 0 <= x <= line.width
        assert 0 <= y <= line.height
    assert line.points[0][1] == charts.SPARKLINE_PADDING  # 1.5 is drawn as 100%


def test_sparkline_summary_reads_the_scores_as_percentages():
    assert charts.sparkline([0.6, 0.75, 1.0]).summary == "60%, 75%, 100%"


def test_sparkline_baseline_is_where_zero_is_drawn():
    line = charts.sparkline([0.0, 1.0], width=100, height=24, padding=3)
    assert line.baseline_y == line.points[0][1] == 21


# --- the heatmap of days studied ---------------------------------------------------------------

TODAY = date(2026, 12, 2)


def test_heatmap_draws_a_square_per_day_up_to_today():
    heat = charts.heatmap({TODAY: 40, TODAY - timedelta(days=1): 5}, TODAY, goal=20)
    assert heat.cells[-1].day == TODAY and heat.cells[-1].level == 4
    assert heat.cells[-2].level == 1
    assert len(heat.cells) == 52 * 7 + TODAY.weekday() + 1
    assert heat.days_studied == 2 and heat.total == 45
    assert all(cell.x + heat.cell <= heat.width and cell.y + heat.cell <= heat.height for cell in heat.cells)


@pytest.mark.parametrize(("count", "level"), [(0, 0), (9, 1), (10, 2), (19, 2), (20, 3), (39, 3), (40, 4)])
def test_heat_levels_are_measured_against_the_goal(count, level):
    assert charts.heat_level(count, 20) == level


def test_heatmap_month_labels_fit_inside_the_drawing():
    for today in (date(2026, 12, 2), date(2026, 12, 30), date(2027, 3, 1)):
        heat = charts.heatmap({}, today, goal=20)
        assert heat.months and all(x + 3 * charts.HEAT_STEP <= heat.width for x, _ in heat.months)
        starts = [(day.year, day.month) for _, day in heat.months]
        assert len(starts) == len(set(starts))  # one label per month


def test_heatmap_markup_has_a_titled_square_per_day():
    heat = charts.heatmap({TODAY: 40}, TODAY, goal=20)
    markup = heat.squares_svg()
    assert markup.count("<rect ") == len(heat.cells)
    assert f'<rect class="heat-4" x="{heat.cells[-1].x}"' in markup
    assert f"<title>{TODAY.isoformat()}: 40</title>" in markup
