"""Pure rules of the learning loop: question types, days in a time zone, streaks, the heatmap."""

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from quizzes import charts
from quizzes.habits import local_day, next_midnight, start_of_day, streak, zone
from quizzes.selection import FILL_IN, MULTIPLE_CHOICE, Candidate, mixed_types, question_type_for, select

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
BOTH = {FILL_IN: 1, MULTIPLE_CHOICE: 2}
SHANGHAI, NEW_YORK = ZoneInfo("Asia/Shanghai"), ZoneInfo("America/New_York")


def seen(fact_id, *, fill_in_next, misses=0):
    return Candidate(
        fact_id, BOTH, due=NOW + timedelta(days=1), state=1, misses=misses, fill_in_next=fill_in_next
    )


def test_a_fact_answered_right_is_asked_as_fill_in_and_a_miss_goes_back_to_mcq():
    assert question_type_for(seen(1, fill_in_next=True)) == FILL_IN
    assert question_type_for(seen(1, fill_in_next=False)) == MULTIPLE_CHOICE


def test_a_fact_without_the_preferred_type_gets_the_other():
    assert question_type_for(Candidate(1, {MULTIPLE_CHOICE: 2}, fill_in_next=True)) == MULTIPLE_CHOICE
    assert question_type_for(Candidate(1, {FILL_IN: 1})) == FILL_IN


@pytest.mark.parametrize(("size", "typed"), [(3, 1), (5, 2), (10, 4), (20, 7)])
def test_a_first_quiz_of_new_facts_is_a_third_typed(size, typed):
    candidates = [Candidate(n, BOTH) for n in range(40)]
    picks = select(candidates, size, NOW, random.Random(size))
    assert [pick.question_type for pick in picks].count(FILL_IN) == typed


def test_missed_facts_are_never_moved_up_to_fill_in():
    chosen = [seen(n, fill_in_next=False, misses=2) for n in range(6)]
    assert mixed_types(chosen, random.Random(1)) == [MULTIPLE_CHOICE] * 6


def test_facts_already_typed_count_towards_the_share():
    chosen = [seen(1, fill_in_next=True), seen(2, fill_in_next=True)] + [
        Candidate(n, BOTH) for n in range(3, 7)
    ]
    assert mixed_types(chosen, random.Random(3)).count(FILL_IN) == 2


def test_new_facts_without_a_fill_in_question_stay_multiple_choice():
    chosen = [Candidate(n, {MULTIPLE_CHOICE: n}) for n in range(6)]
    assert mixed_types(chosen, random.Random(3)) == [MULTIPLE_CHOICE] * 6


def test_the_learners_day_follows_their_time_zone():
    late_utc = datetime(2026, 12, 2, 20, 30, tzinfo=UTC)  # 04:30 on the 3rd in Shanghai
    assert local_day(late_utc, SHANGHAI) == date(2026, 12, 3)
    assert local_day(late_utc, NEW_YORK) == date(2026, 12, 2)
    assert start_of_day(date(2026, 12, 3), SHANGHAI) == datetime(2026, 12, 2, 16, 0, tzinfo=UTC)


def test_not_today_lasts_until_the_learners_midnight():
    just_before = datetime(2026, 12, 2, 15, 59, tzinfo=UTC)  # 23:59 in Shanghai
    assert next_midnight(just_before, SHANGHAI) == datetime(2026, 12, 2, 16, 0, tzinfo=UTC)
    just_after = datetime(2026, 12, 2, 16, 0, tzinfo=UTC)  # 00:00 on the 3rd
    assert next_midnight(just_after, SHANGHAI) == datetime(2026, 12, 3, 16, 0, tzinfo=UTC)


def test_midnight_on_a_daylight_saving_day_is_still_midnight():
    # New York springs forward on 2026-03-08: that day is 23 hours long.
    moment = datetime(2026, 3, 8, 12, 0, tzinfo=UTC)
    assert next_midnight(moment, NEW_YORK) == datetime(2026, 3, 9, 4, 0, tzinfo=UTC)


def test_an_unknown_time_zone_falls_back_to_the_sites(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    assert zone("Mars/Olympus") == SHANGHAI and zone("") == SHANGHAI


TODAY = date(2026, 12, 2)


def days(*counts):
    """Counts for today, yesterday, the day before..."""
    return {TODAY - timedelta(days=n): count for n, count in enumerate(counts)}


def test_streak_counts_days_in_a_row_that_reach_the_goal():
    assert streak(days(20, 25, 20, 3, 40), 20, TODAY) == 3


def test_a_streak_survives_today_until_the_day_is_over():
    assert streak(days(5, 20, 30), 20, TODAY) == 2
    assert streak(days(0, 20, 30), 20, TODAY) == 2


def test_a_missed_day_breaks_the_streak():
    assert streak(days(20, 19, 20), 20, TODAY) == 1
    assert streak(days(0, 0, 20), 20, TODAY) == 0
    assert streak({}, 20, TODAY) == 0


def test_which_day_an_answer_counts_for_depends_on_the_time_zone():
    # 20 answers at 03:00 UTC and 20 at 15:00 UTC on the 1st: one day in Shanghai (11:00, 23:00),
    # two in New York (22:00 on the 30th, 10:00 on the 1st).
    sessions = [datetime(2026, 12, 1, 3, 0, tzinfo=UTC), datetime(2026, 12, 1, 15, 0, tzinfo=UTC)]
    for tz, expected in ((SHANGHAI, 1), (NEW_YORK, 2)):
        per_day = {}
        for moment in sessions:
            per_day[local_day(moment, tz)] = per_day.get(local_day(moment, tz), 0) + 20
        assert streak(per_day, 20, local_day(sessions[-1], tz)) == expected


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
