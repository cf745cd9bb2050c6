"""Stage 4: Markdown → HTML, Jinja templates → pages, and the machine-readable exports."""
