"""What a build tells its caller: its messages, what it wrote, and which way it went."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostics


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    output: Path | None = None
    written: int = 0
    changed: list[str] = field(default_factory=list)    # files whose bytes changed
    entries: int = 0
    rendered: list[str] = field(default_factory=list)   # outputs rendered again: their record's key changed
    skipped: bool = False                               # nothing read had changed: nothing was done
    quick: bool = False                                 # only bodies were edited: see incremental/warm.py
    removed: list[str] = field(default_factory=list)    # published files deleted (no longer made)
    search: bool = True                                 # built with the full-text index
    full_because: str | None = None                     # a command-line build not resumed: why (resume.py)

    def summary(self) -> str:
        """The line a build prints: entries, files, what changed and what was deleted."""
        gone = ""
        if self.removed:
            index = 0 if self.search else sum(1 for r in self.removed if r.startswith("pagefind/"))
            gone = f"，删除 {len(self.removed)} 个" + (f"（其中 {index} 个是搜索索引：--no-search 的构建不含全文搜索）"
                                                     if index else "")
        return (f"已构建 {self.entries} 个条目 → {self.output}（{self.written} 个文件，"
                f"其中 {len(self.changed)} 个有变化{gone}）" + ("；只重新生成了正文改过的页面" if self.quick else ""))
