"""The one place the importer reaches the 2021 annual-report checker (the lead may move it into
its own package: then only this import changes)."""
from __future__ import annotations

from ..validate.annual2021 import GROUP_KEYS, check_stats

__all__ = ["GROUP_KEYS", "check_stats"]
