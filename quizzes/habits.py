"""Days in the learner's time zone: today's goal, the streak, when "not today" ends."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings

DEFAULT_DAILY_GOAL = 20


def zone(name: str | None) -> ZoneInfo:
    """The named time zone; the site's own for a name that is empty or unknown."""
    try:
        return ZoneInfo(name or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def is_timezone_name(name: str) -> bool:
    return name in timezone_names()


def timezone_names() -> list[str]:
    return sorted(available_timezones())


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def start_of_day(day: date, tz: ZoneInfo) -> datetime:
    """The first instant of `day` in `tz` (aware); a day may be 23 or 25 hours long."""
    return datetime.combine(day, time.min, tzinfo=tz)


def next_midnight(moment: datetime, tz: ZoneInfo) -> datetime:
    """When the learner's next day begins: what "not today" waits for."""
    return start_of_day(local_day(moment, tz) + timedelta(days=1), tz)


def streak(answers_per_day: dict[date, int], goal: int, today: date) -> int:
    """Days in a row, up to today, whose answers reached `goal`.

    Today counts once it is reached; until then the streak of the days before still stands,
    because the learner has the rest of the day to keep it.
    """
    day = today if answers_per_day.get(today, 0) >= goal else today - timedelta(days=1)
    days = 0
    while answers_per_day.get(day, 0) >= goal:
        days += 1
        day -= timedelta(days=1)
    return days


@dataclass(frozen=True)
class Today:
    """What the navigation shows: reviews due now, and answers given today against the goal."""

    due: int
    done: int
    goal: int

    @property
    def goal_met(self) -> bool:
        return self.done >= self.goal
