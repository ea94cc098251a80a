"""What an import did, file by file: the report that ``import`` prints and the web page shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gwstats.core.errors import Finding

STATUS_TEXT = {"accepted": "已导入", "unchanged": "未变化", "replaced": "已替换", "rejected": "未导入"}
DRY_STATUS_TEXT = {"accepted": "将导入", "unchanged": "未变化", "replaced": "将替换", "rejected": "未导入"}


@dataclass
class ReturnInfo:
    unit: str
    unit_name: str
    year: int
    scope: str
    n_values: int
    sheet: str | None = None
    source: str = "return"


@dataclass
class FileResult:
    path: Path
    status: str = "accepted"  # accepted | unchanged | replaced | rejected (dry run: what would happen)
    returns: list[ReturnInfo] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sha256: str | None = None
    size: int = 0

    @property
    def name(self) -> str:
        return self.path.name

    def reject(self, finding: Finding):
        self.errors.append(finding)
        self.status = "rejected"


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def has_rejections(self) -> bool:
        return any(f.status == "rejected" for f in self.files)

    def counts(self) -> dict[str, int]:
        out = {k: 0 for k in STATUS_TEXT}
        for f in self.files:
            out[f.status] += 1
        return out

    def summary_line(self) -> str:
        c = self.counts()
        texts = DRY_STATUS_TEXT if self.dry_run else STATUS_TEXT
        parts = [f"{texts[k]} {c[k]}" for k in ("accepted", "replaced", "unchanged", "rejected") if c[k]]
        head = "试运行（未写入）：" if self.dry_run else ""
        values = sum(r.n_values for f in self.files if f.status in ("accepted", "replaced") for r in f.returns)
        return f"{head}共 {len(self.files)} 个文件，" + "，".join(parts or ["无"]) + f"；数值 {values} 个"

    def records(self) -> list[dict]:
        texts = DRY_STATUS_TEXT if self.dry_run else STATUS_TEXT
        out = []
        for f in self.files:
            names = list(dict.fromkeys(r.unit_name for r in f.returns))
            unit = "、".join(names[:3]) + (f" 等 {len(names)} 个" if len(names) > 3 else "")
            out.append({
                "文件": f.name,
                "结果": texts[f.status],
                "单位": unit,
                "年度": _one_or_joined(list(dict.fromkeys(r.year for r in f.returns))),
                "口径": "、".join(dict.fromkeys(r.scope for r in f.returns)),
                "数值个数": sum(r.n_values for r in f.returns),
                "提醒": "；".join([_short(w) for w in f.warnings] + f.notes),
                "错误": "；".join(_short(e) for e in f.errors),
            })
        return out


def _one_or_joined(years: list[int]):
    if len(years) == 1:
        return years[0]
    return "、".join(map(str, years)) or None


def _short(f: Finding) -> str:
    where = "!".join(p for p in (f.sheet, f.cell) if p)
    return f"{where} {f.message}" if where else f.message
