"""Working days (xxgk/audit/workdays.py): the statutory calendar with 调休, and the counting convention
(the day after is day 1; a deadline on a day off moves to the next working day). Each case is one
where counting Monday–Friday alone gives another answer."""
from __future__ import annotations

from datetime import date, timedelta

from xxgk.audit.workdays import Calendar


def weekdays_only(start: date, n: int) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def test_day_after_is_day_one():
    cal = Calendar()
    assert cal.add_workdays(date(2024, 3, 4), 1) == date(2024, 3, 5)      # Monday → Tuesday
    assert cal.add_workdays(date(2024, 3, 8), 1) == date(2024, 3, 11)     # Friday → Monday
    assert cal.add_workdays(date(2024, 3, 9), 1) == date(2024, 3, 11)     # made on a Saturday: Monday is day 1
    assert cal.add_workdays(date(2024, 3, 4), 0) == date(2024, 3, 4)
    assert cal.workdays_between(date(2024, 3, 8), date(2024, 3, 11)) == 1
    assert not cal.guessed


def test_spring_festival_2024():
    """春节 2024: 2月10日至17日放假; 2月4日（星期日）、2月18日（星期日）上班."""
    cal = Calendar()
    # a policy published on Friday 9 February: three working days are 18 (a Sunday, 调休), 19, 20 February
    assert cal.add_workdays(date(2024, 2, 9), 3) == date(2024, 2, 20)
    assert weekdays_only(date(2024, 2, 9), 3) == date(2024, 2, 14)        # (inside the holiday)
    assert cal.add_workdays(date(2024, 2, 9), 1) == date(2024, 2, 18)
    # made on Saturday 3 February: Sunday 4 February is a working day, so it is day 1
    assert cal.add_workdays(date(2024, 2, 3), 1) == date(2024, 2, 4)
    assert weekdays_only(date(2024, 2, 3), 1) == date(2024, 2, 5)


def test_national_day_2024_and_a_working_saturday():
    """国庆 2024: 10月1日至7日放假; 9月29日（星期日）、10月12日（星期六）上班."""
    cal = Calendar()
    assert cal.add_workdays(date(2024, 9, 30), 3) == date(2024, 10, 10)
    assert weekdays_only(date(2024, 9, 30), 3) == date(2024, 10, 3)
    # the 调休 Saturday 12 October is working day 3 after Wednesday 9 October
    assert cal.add_workdays(date(2024, 10, 9), 3) == date(2024, 10, 12)
    assert weekdays_only(date(2024, 10, 9), 3) == date(2024, 10, 14)
    # 20 working days (条例 第二十六条) from Friday 27 September: 30 October (weekdays alone: 25 October)
    assert cal.add_workdays(date(2024, 9, 27), 20) == date(2024, 10, 30)
    assert weekdays_only(date(2024, 9, 27), 20) == date(2024, 10, 25)
    assert cal.workdays_between(date(2024, 9, 27), date(2024, 10, 30)) == 20


def test_a_deadline_on_a_holiday_moves_to_the_next_working_day():
    """劳动节 2024: 5月1日至5日放假. Two working days after Monday 29 April: 30 April, then 6 May
    (counting weekdays alone ends on 1 May, a holiday)."""
    cal = Calendar()
    assert weekdays_only(date(2024, 4, 29), 2) == date(2024, 5, 1)
    assert cal.add_workdays(date(2024, 4, 29), 2) == date(2024, 5, 6)
    assert not cal.is_workday(date(2024, 5, 1))


def test_unknown_year_uses_weekends_and_says_so():
    cal = Calendar()
    assert cal.add_workdays(date(2099, 1, 2), 1) == date(2099, 1, 5)        # Friday → Monday
    assert cal.guessed == {2099}


def test_same_answer_as_the_library_every_day_it_knows():
    """The calendar reads the library's data once a year; it agrees with chinese_calendar.is_workday."""
    import chinese_calendar
    cal = Calendar()
    day = date(2004, 1, 1)
    while day <= date(2026, 12, 31):
        assert cal.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)
    assert not cal.guessed


def test_counts_across_years():
    cal = Calendar()
    start = date(2023, 12, 29)                 # Friday; 1 January 2024 a holiday
    assert cal.add_workdays(start, 1) == date(2024, 1, 2)
    assert cal.workdays_between(start, date(2024, 1, 2)) == 1
    assert cal.workdays_between(date(2023, 1, 1), date(2023, 12, 31)) == 249          # 2023: 249 working days
    # 2027 unknown: weekends alone, so 1 January 2027 (a Friday) counts as day 2
    assert cal.add_workdays(date(2026, 12, 30), 3) == date(2027, 1, 4)
    assert cal.guessed == {2027}
