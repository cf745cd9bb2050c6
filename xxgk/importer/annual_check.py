"""The one place the importer reaches the 2021 annual-report checker (the lead may move it into
its own package: then only this import changes)."""
from __future__ import annotations

from ..annual2021.checks import check_stats
from ..annual2021.schema import GROUP_KEYS

__all__ = ["GROUP_KEYS", "check_stats"]
