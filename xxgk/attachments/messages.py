"""The editor's messages for one entry's attachments, from the reports read.prepare made.

Each names the entry's file and the line of its `attachments` item, the attachment, and where in
it (PDF page, Word paragraph or table cell, `sheet!cell`); numbers only ever masked. Refused files
are errors; what could not be read is a warning; personal data is an error, or a notice for an
entry that must publish it (`personal_data: public_notice`).
"""
from __future__ import annotations

from ..diagnostics import Diagnostics

HINT = "发布前须去标识化（删除或部分遮盖）；依法须公示的（如惩戒公示）请在元数据中写 personal_data: public_notice"


def check_attachments(e, attachments, diags: Diagnostics) -> None:
    """Messages for the attachments of entry `e` (`attachments`: path → load.site.Attachment)."""
    public = e.personal_data == "public_notice"
    for ref in e.attachments:
        att = attachments.get(ref.file)
        report = getattr(att, "report", None)
        if not report:
            continue
        line = e.line_of(("attachments", ref.item))
        name = f"附件 content/{ref.file}"
        for level, code, message in report["problems"]:
            if public and code == "lost-digits":
                level = "notice"
            diags.add(e.path, line, "attachments", f"{name}：{message}", level, code=code)
        for _kind, label, masked, where, how in report["hits"]:
            split = f"（{how}）" if how else ""
            diags.add(e.path, line, "attachments", f"{name}（{where}）中疑似{label}“{masked}”{split}：{HINT}",
                      "notice" if public else "error", code="personal-data")
        if report.get("more"):
            diags.add(e.path, line, "attachments",
                      f"{name} 中另有 {report['more']} 处疑似个人信息未逐一列出：{HINT}",
                      "notice" if public else "error", code="personal-data")
