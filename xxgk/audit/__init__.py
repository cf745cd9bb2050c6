"""The disclosure rules, checked (SPEC section 10): `python build.py audit`.

    workdays.py  working days under the State Council's holiday notice (chinese-calendar), the convention
    table2.py    a 2021 report's table 二 第二十条第（一）项 counted from the catalogue (also filled at build)
    rules.py     the rules: timely, interpretation, report-due, report-table-2, expiring, normative, stale
    report.py    the findings as text, JSON and one HTML page (through the site's templates)
"""
