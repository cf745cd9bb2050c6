"""Annual reports in the 2021 national format (国办公开办函〔2021〕30号), in one place.

    schema.py   the official tables' labels (a verbatim copy) and the keys of `stats:`
    checks.py   check_stats: shape, counts and the sums the format states (the validate stage)
    numbers.py  normalised stats, fixed number formatting, every figure in table order
    tables.py   the three tables as HTML, placed at the end of their sections (the render stage)
    charts.py   a report's chart and the trends across reports, as inline SVG with data tables
    export.py   a report's numbers as JSON and CSV; every report's figures in one CSV

Every function after checks.py takes the *normalised* stats of check_stats; raw `stats:` that pass
the check are accepted too (checking is idempotent), stats with errors raise ValueError (the
validate stage reports them first). Output is deterministic: fixed number formatting, ids derived
from the report id, no randomness.
"""
from .charts import report_chart_svg, result_totals, trend_charts_svg
from .checks import Problem, check_stats
from .export import export_csv, export_json, figures_csv, parse_figures_csv
from .numbers import fmt, iter_figures, normalise
from .tables import insert_tables, render_tables, tables_context

__all__ = ["Problem", "check_stats", "normalise", "fmt", "iter_figures", "render_tables", "tables_context",
           "insert_tables", "report_chart_svg", "result_totals", "trend_charts_svg", "export_json", "export_csv",
           "figures_csv", "parse_figures_csv"]
