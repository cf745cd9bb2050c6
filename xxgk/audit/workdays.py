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

from datetime import date, timedelta

try:                                     # (the report says when it is missing: weekends only)
    import chinese_calendar as _cc
except ImportError:                      # pragma: no cover - pinned in requirements.txt
    _cc = None


class Calendar:
    """Working days, with a record of the years the holiday calendar did not know."""

    def __init__(self):
        self.guessed: set[int] = set()      # years counted with weekends only
        self._memo: dict[date, bool] = {}

    def is_workday(self, day: date) -> bool:
        got = self._memo.get(day)
        if got is None:
            got = self._memo[day] = self._lookup(day)
        return got

    def _lookup(self, day: date) -> bool:
        if _cc is not None:
            try:
                return bool(_cc.is_workday(day))
            except NotImplementedError:       # a year the library has no notice for yet
                pass
        self.guessed.add(day.year)
        return day.weekday() < 5

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after `start` (start itself is day 0, whatever it is)."""
        day, left = start, n
        while left > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day

    def deadline_on(self, day: date) -> date:
        """A calendar-day deadline: the day itself when it is a working day, else the next working day."""
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """How many working days after `start` up to and including `end` (0 when end <= start):
        the working-day number of `end` counted from `start`."""
        n, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_workday(day):
                n += 1
        return n
