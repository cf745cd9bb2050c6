"""The entry as the rest of the pipeline sees it, after validation."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

TYPE_LABELS = {"policies": "政策文件", "interpretations": "政策解读", "reports": "年度报告", "pages": "页面"}
TYPE_SINGULAR = {"policies": "policy", "interpretations": "interpretation", "reports": "report", "pages": "page"}
STATUS_LABELS = {"pending": "尚未施行", "effective": "有效", "amended": "已修改", "repealed": "已废止", "expired": "已失效"}
STATUS_ORDER = ("effective", "amended", "repealed", "expired", "pending")
KIND_LABELS = {"rule": "规章", "normative": "行政规范性文件", "other": "其他文件"}   # a policy's `kind` (SPEC 10)
FORM_LABELS = {"text": "文字解读", "graphic": "图解", "video": "视频", "qa": "问答", "interview": "访谈"}
RELATIONS = ("repeals", "repealed_by", "amends", "amended_by")
BODY_PLACEHOLDER = "TODO：在此填写正文（Markdown）。"    # the body `build.py new` writes; a check warns while it is there


@dataclass
class AttachmentRef:
    file: str          # below content/, e.g. files/plan.pdf (also its output path)
    title: str
    size: int
    kind: str          # PDF, DOCX, ...
    digest: str = ""   # sha256 of the file (attachments/read.py)
    item: int = 0      # its place in the entry's `attachments` list (for the line of messages)


@dataclass
class Entry:
    id: str
    type: str
    path: str
    line_of: Callable[[tuple], int]
    body: str | None                      # None once checked: see load.source.body_of
    body_line: int
    digest: str
    title: str = ""
    index_no: str | None = None
    agencies: list[str] = field(default_factory=list)
    topic: str | None = None
    doc_no: str | None = None
    written: date | None = None
    published: date | None = None
    keywords: list[str] = field(default_factory=list)
    summary: str | None = None
    summary_given: bool = False
    lang: str = "zh-Hans"
    disclosure: str = "主动公开"
    attachments: list[AttachmentRef] = field(default_factory=list)
    validity: str | None = None           # as written
    valid_from: date | None = None
    valid_until: date | None = None
    status_date: date | None = None
    validity_note: str | None = None
    repeals: list[str] = field(default_factory=list)
    repealed_by: list[str] = field(default_factory=list)
    amends: list[str] = field(default_factory=list)
    amended_by: list[str] = field(default_factory=list)
    interprets: list[str] = field(default_factory=list)
    form: str | None = None
    year: int | None = None
    format: str | None = None
    stats: Any = None
    personal_data: str | None = None
    nav_order: int | None = None
    kind: str | None = None               # policies: rule | normative | other (KIND_LABELS)
    reg_no: str | None = None             # 统一登记号 of a normative document
    valid_until_default: bool = False     # valid_until comes from normative_validity_years, not the file
    # filled by the link stage
    interpreted_by: list[str] = field(default_factory=list)
    status: str = "effective"
    status_since: date | None = None
    status_cause: str | None = None        # id of the entry that caused the status
    written_fields: frozenset = frozenset()
    body_digest: str = ""                 # sha256 of the body text
    links: list[str] = field(default_factory=list)   # "type/id" of the entries its body links to
    table2: Any = None                    # 2021 reports: table 二 counted from the catalogue (audit/table2.py)

    @property
    def url(self) -> str:
        return f"{self.type}/{self.id}.html"

    @property
    def is_public_body(self) -> bool:
        return self.disclosure == "主动公开"

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.type]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind or "", "")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]
