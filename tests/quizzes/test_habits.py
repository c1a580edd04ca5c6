"""Pure rules of the learning habit: days in a time zone, streaks."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from quizzes.habits import local_day, next_midnight, start_of_day, streak, zone

SHANGHAI, NEW_YORK = ZoneInfo("Asia/Shanghai"), ZoneInfo("America/New_York")


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
