"""Working days (工作日) under the State Council's yearly holiday notice, including 调休.

The calendar is the maintained `chinese-calendar` library (statutory holidays and the adjusted
working days, 调休, of each year's notice); nothing is hard-coded here. For a year the library does
not know yet, Saturdays and Sundays alone are days off, and `Calendar.guessed` records that year
so the report can say so.

The convention (条例 第二十六条 "自该政府信息形成或者变更之日起20个工作日内"):

- the day a document is made is day 0; the first working day *after* it is working day 1
  (a document made on a Friday before a normal weekend has the next Monday as day 1);
- the deadline "within N working days" is the N-th working day after that day; a deadline
  that would fall on a holiday or weekend therefore moves to the next working day, and a 调休
  Saturday (a working day by the notice) counts like any weekday;
- publishing on the deadline day itself is in time; the day after it is late;
- a deadline set as a calendar day (条例 第五十条: 1月31日) that falls on a holiday or weekend moves
  to the next working day (`deadline_on`): 31 January 2025 fell in 春节, so the deadline was 5 February.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date

try:                                     # (the report says when it is missing: weekends only)
    import chinese_calendar as _cc
except ImportError:                      # pragma: no cover - pinned in requirements.txt
    _cc = None


def _library_years() -> range:
    """The years the library has a holiday notice for (as its own is_workday checks)."""
    if _cc is None or not _cc.holidays:
        return range(0)
    return range(min(_cc.holidays).year, max(_cc.holidays).year + 1)


class Calendar:
    """Working days, with a record of the years the holiday calendar did not know.

    Each year used is read once into a sorted list of its working days' ordinals, so that a
    deadline or a count is a bisection, not a walk day by day (10,000 entries: milliseconds)."""

    def __init__(self):
        self.guessed: set[int] = set()      # years counted with weekends only
        self._years: dict[int, list[int]] = {}
        self._known = _library_years()

    def _workdays_of(self, year: int) -> list[int]:
        got = self._years.get(year)
        if got is None:
            first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
            if year in self._known:          # the library's own rule (chinese_calendar.is_workday), on its data
                holidays, workdays = _cc.holidays, _cc.workdays
                got = [o for o in range(first, last + 1)
                       if (d := date.fromordinal(o)) in workdays or (d.weekday() < 5 and d not in holidays)]
            else:
                self.guessed.add(year)
                got = [o for o in range(first, last + 1) if date.fromordinal(o).weekday() < 5]
            self._years[year] = got
        return got

    def is_workday(self, day: date) -> bool:
        days = self._workdays_of(day.year)
        i = bisect_left(days, day.toordinal())
        return i < len(days) and days[i] == day.toordinal()

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after `start` (start itself is day 0, whatever it is)."""
        if n <= 0:
            return start
        year, after = start.year, start.toordinal()
        while True:
            days = self._workdays_of(year)
            i = bisect_right(days, after)
            if i + n <= len(days):
                return date.fromordinal(days[i + n - 1])
            n -= len(days) - i
            year += 1
            if year > 9998:               # (never: a deadline is days away)
                raise ValueError("date out of range")

    def deadline_on(self, day: date) -> date:
        """A calendar-day deadline: the day itself when it is a working day, else the next working day."""
        return day if self.is_workday(day) else self.add_workdays(day, 1)

    def workdays_between(self, start: date, end: date) -> int:
        """How many working days after `start` up to and including `end` (0 when end <= start):
        the working-day number of `end` counted from `start`."""
        if end <= start:
            return 0
        a, b, n = start.toordinal(), end.toordinal(), 0
        for year in range(start.year, end.year + 1):
            days = self._workdays_of(year)
            n += bisect_right(days, b) - bisect_right(days, a)
        return n
