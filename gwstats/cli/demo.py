"""`gwstats demo`: the whole path on the bundled sample data, through the library API.

For each sample (安庆市公安局关工委 2017–2018, 集安市关工委 2019–2020) it makes a fresh workspace
under the output folder, imports the units and both years of returns, and runs status, check,
rollup (with comparison and the .xlsx workbook), the chart set and the report (.docx and .html).
A step that fails is reported as such, never pretended, and the other steps still run.
"""

from __future__ import annotations

import shutil
import time
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable

from gwstats.core.errors import GwstatsError, UsageError

SAMPLES = ("anqing-police", "jian-an")
INPUT_DIR = "收到的报表"
OUTPUT_DIR = "输出"
# The parts of the sample data that are not returns (the generator and its definitions).
_NOT_DATA = {"__init__.py", "__pycache__", "generate.py", "definition", "README.md"}


# ---- the bundled data --------------------------------------------------------------------------
def sample_root():
    """The bundled sample data as an importlib Traversable (works from a wheel).

    Falls back to the repository's sample_data/ when the package mapping is missing
    (an old editable install made before sample_data shipped as gwstats.sample_data).
    """
    try:
        return resources.files("gwstats.sample_data")
    except ModuleNotFoundError:
        here = Path(__file__).resolve().parents[2] / "sample_data"  # gwstats/cli/demo.py -> the repository
        if (here / "definition").is_dir():
            return here
        raise GwstatsError("找不到自带的示例数据（gwstats.sample_data）。请重新安装 gwstats。") from None


def sample_definition(name: str) -> dict:
    """The sample's definition (organisation name, default year, years, units file, returns)."""
    if name not in SAMPLES:
        raise UsageError(f"没有示例“{name}”；可选：{'、'.join(SAMPLES)}、all")
    text = sample_root().joinpath("definition", f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _copy_tree(src, dest: Path) -> int:
    n = 0
    dest.mkdir(parents=True, exist_ok=True)
    for entry in sorted(src.iterdir(), key=lambda e: e.name):
        if entry.name in _NOT_DATA or entry.name.startswith("."):
            continue
        if entry.is_dir():
            n += _copy_tree(entry, dest / entry.name)
        else:
            (dest / entry.name).write_bytes(entry.read_bytes())
            n += 1
    return n


def copy_sample(name: str, dest: Path) -> int:
    """Copy one sample's units file and returns to ``dest``; returns the number of files."""
    src = sample_root().joinpath(name)
    if not src.is_dir():
        raise GwstatsError(f"示例数据 {name} 不完整（找不到该文件夹）。请重新安装 gwstats。")
    return _copy_tree(src, Path(dest))


# ---- results ------------------------------------------------------------------------------------
@dataclass
class Step:
    sample: str
    name: str
    status: str = "ok"  # ok | failed
    detail: str = ""
    outputs: list[Path] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class SampleRun:
    name: str
    organisation: str
    workspace: Path
    years: tuple[int, int]
    steps: list[Step] = field(default_factory=list)
    imports: dict[int, object] = field(default_factory=dict)  # year -> ImportReport
    status: object = None
    check: object = None
    rollup: object = None


@dataclass
class DemoResult:
    out_dir: Path
    runs: list[SampleRun] = field(default_factory=list)

    @property
    def steps(self) -> list[Step]:
        return [s for r in self.runs for s in r.steps]

    @property
    def ok(self) -> bool:
        return all(s.status == "ok" for s in self.steps)

    @property
    def outputs(self) -> list[Path]:
        return [p for s in self.steps for p in s.outputs]

    def records(self) -> list[dict]:
        text = {"ok": "完成", "failed": "失败"}
        return [{"示例": s.sample, "步骤": s.name, "结果": text[s.status], "说明": s.detail,
                 "产出": "；".join(str(p) for p in s.outputs)} for s in self.steps]


# ---- running ------------------------------------------------------------------------------------
def prepare_out_dir(out_dir: Path, samples: list[str], force: bool):
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir} 已存在且不是文件夹")
    if out_dir.exists() and any(out_dir.iterdir()):
        if not force:
            raise UsageError(f"{out_dir} 已存在且不是空文件夹；请换一个目录，或加 --force 重新生成其中的示例工作区")
        for name in samples:  # only what the demo itself makes
            target = out_dir / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
    out_dir.mkdir(parents=True, exist_ok=True)


def run_demo(out_dir: str | Path = "gwstats-demo", samples: list[str] | str | None = None, *, force: bool = False,
             echo: Callable[[str], None] = print) -> DemoResult:
    """Run the whole path for each sample under ``out_dir``; returns what was done and made."""
    if samples in (None, "all"):
        samples = list(SAMPLES)
    elif isinstance(samples, str):
        samples = [samples]
    for s in samples:
        if s not in SAMPLES:
            raise UsageError(f"没有示例“{s}”；可选：{'、'.join(SAMPLES)}、all")
    out_dir = Path(out_dir)
    prepare_out_dir(out_dir, samples, force)
    result = DemoResult(out_dir.resolve())
    for name in samples:
        result.runs.append(_run_sample(name, out_dir / name, echo))
    _print_summary(result, echo)
    return result


def _run_sample(name: str, root: Path, echo) -> SampleRun:
    return _Sample(name, root, echo).run_all()


class _Sample:
    """The steps of one sample; each runs through the library API and prints what its command prints."""

    def __init__(self, name: str, root: Path, echo):
        self.name, self.root, self.echo = name, root, echo
        self.info = sample_definition(name)["workspace"]
        self.years = tuple(self.info["years"])
        self.year0, self.year = self.years[0], self.years[-1]
        self.run = SampleRun(name, self.info["name"], root.resolve(), (self.year0, self.year))
        self.out = root / OUTPUT_DIR
        self.inputs = root / INPUT_DIR
        self._ws = None

    def run_all(self) -> SampleRun:
        year, year0 = self.year, self.year0
        self._banner()
        self.step("建立工作区", self.init)
        self.step("导入单位名单", self.units)
        for y in self.years:
            self.step(f"导入 {y} 年报表", lambda s, y=y: self.import_year(s, y))
        self.step(f"填报情况（{year} 年）", self.status)
        self.step(f"数据校验（{year} 年）", self.check)
        self.step(f"逐级汇总与同比（{year} 年对比 {year0} 年）", self.rollup)
        if self.info.get("catalog"):
            self.step(f"交叉表（{year} 年，按行 × 栏汇总）", self.crosstabs)
        self.step("会议图表", self.charts)
        self.step("工作总结 Word", lambda s: self.report(s, "docx"))
        self.step("工作总结 HTML", lambda s: self.report(s, "html"))
        return self.run

    def _banner(self):
        echo = self.echo
        echo("")
        echo("=" * 72)
        echo(f"示例：{self.info['name']}（{self.year0}、{self.year} 年报表）  工作区：{self.root}")
        echo("=" * 72)

    def step(self, title: str, fn) -> Step:
        """Run one step; a failure is recorded and shown, and the next steps still run."""
        s = Step(self.name, title)
        self.run.steps.append(s)
        self.echo("")
        self.echo(f"▶ {title}")
        t0 = time.perf_counter()
        try:
            fn(s)
        except GwstatsError as exc:
            s.status, s.detail = "failed", str(exc)
        except Exception as exc:  # a bug in a step: say so, keep going with the other steps
            s.status, s.detail = "failed", f"内部错误 {type(exc).__name__}: {exc}"
        s.seconds = time.perf_counter() - t0
        if s.status != "ok":
            self.echo(f"  ✗ （失败）{s.detail}")
        return s

    @property
    def ws(self):
        if self._ws is None:
            raise GwstatsError("工作区没有建成，此步骤跳过")
        return self._ws

    def init(self, s: Step):
        from gwstats.workspace import Workspace

        info, root = self.info, self.root
        n = copy_sample(self.name, self.inputs)
        ws = Workspace.init(root, name=info["name"], year=self.year)
        if info.get("charts"):
            set_standard_charts(ws.config_path, info["charts"])
            ws = Workspace(root)
        if info.get("catalog"):  # the sample's own catalog (the default one plus a cross-tab table)
            shutil.copyfile(self.inputs / info["catalog"], ws.root / "catalog.toml")
            ws = Workspace(root)
        example = ws.root / "units.csv"  # init's example list (某某市…) would only confuse here
        if example.exists():
            example.unlink()
        shutil.copyfile(self.inputs / info["units_file"], ws.root / info["units_file"])
        self._ws = ws
        s.outputs.append(ws.root / "gwstats.toml")
        s.detail = f"已复制示例报表 {n} 个文件到 {self.inputs}"
        self.echo(f"  gwstats init {root} —— 组织：{info['name']}，默认年度 {self.year}")
        self.echo(f"  {s.detail}")

    def units(self, s: Step):
        ws = self.ws
        count, findings = ws.import_units(ws.root / self.info["units_file"])
        s.detail = f"单位 {count} 个" + (f"，提醒 {len(findings)} 条" if findings else "")
        self.echo(f"  gwstats units import {self.info['units_file']} —— {s.detail}")
        tree = ws.hierarchy().render_tree().splitlines()
        for line in tree[:12]:
            self.echo("    " + line)
        if len(tree) > 12:
            self.echo(f"    ……（共 {len(tree)} 个单位）")

    def import_year(self, s: Step, y: int):
        from gwstats.render.file_lines import file_line

        rep = self.ws.import_paths([self.inputs / str(y)])
        self.run.imports[y] = rep
        self.echo(f"  gwstats import {INPUT_DIR}/{y}/")
        self.echo(_indent("\n".join(file_line(r, width=98) for r in rep.records())))
        self.echo(f"  {rep.summary_line()}")
        for f in rep.files:
            if f.status == "rejected":
                self.echo(f"  拒收：{f.name} —— " + "；".join(str(e.message) for e in f.errors))
        s.detail = rep.summary_line()

    def status(self, s: Step):
        from gwstats.cli.analysis_cmds import status_line
        from gwstats.render.table import render_records

        st = self.run.status = self.ws.status(self.year)
        s.detail = st.summary_line()
        self.echo(f"  gwstats status --year {self.year}")
        rows = st.display_rows()
        if rows:
            self.echo(_indent(render_records(rows, "table")))
        self.echo(f"  {status_line(st)}")

    def check(self, s: Step):
        from gwstats.render.table import render_records

        ck = self.run.check = self.ws.check(self.year)
        s.detail = ck.summary_line()
        self.echo(f"  gwstats check --year {self.year}")
        if ck.findings:
            self.echo(_indent(render_records(ck.display_rows(), "table")))
        self.echo(f"  {s.detail}")

    def rollup(self, s: Step):
        from gwstats.cli.analysis_cmds import headline_text

        res = self.run.rollup = self.ws.rollup(self.year, compare=self.year0)
        self.echo(f"  gwstats rollup --year {self.year} --compare {self.year0}（全市合计）")
        for text in headline_text(res):
            self.echo(_indent(text))
        s.detail = f"{len(res.units)} 个下级单位，对比 {res.compare_year} 年"
        self._workbook(s, res)

    def _workbook(self, s: Step, res):
        from gwstats.render.workbook import write_workbook

        self.out.mkdir(parents=True, exist_ok=True)
        path = self.out / f"{self.info['name']}{self.year}年度汇总.xlsx"
        written = write_workbook(self.ws, res, path)
        s.outputs.append(Path(written or path))
        self.echo(f"  gwstats rollup --year {self.year} -o {path.name} —— 已写入汇总工作簿")

    def crosstabs(self, s: Step):
        from gwstats.forms.crosstab import crosstab_tables
        from gwstats.render.table import render_records

        ws, year = self.ws, self.year
        res = self.run.rollup or ws.rollup(year, compare=self.year0)
        tables = crosstab_tables(ws.catalog, year)
        for code, t in tables.items():
            rows = []
            for row in t["rows"]:
                rec = {"类型": row}
                for col in t["cols"]:
                    m = t["cells"].get((row, col))
                    rec[col] = res.value(res.root, m.code) if m is not None else None
                rows.append(rec)
            n = ws.store.units_reporting_any(year, [m.code for m in t["cells"].values()])
            self.echo(f"  {code}（{t['title']}）：{res.tree.names[res.tree.index[res.root]]}合计，主栏 × 宾栏（填了此表的单位 {n} 个）")
            self.echo(_indent(render_records(rows, "table")))
        s.detail = f"交叉表 {len(tables)} 张：" + "、".join(tables)

    def charts(self, s: Step):
        cs = self.ws.charts(self.year, self.out / "图表")
        files = list(getattr(cs, "paths", cs))
        s.outputs.extend(Path(p) for p in files)
        index = getattr(cs, "index", None)
        if index:
            s.outputs.append(Path(index))
        skipped = getattr(cs, "skipped", [])
        s.detail = f"{len(files)} 张图" + (f"，{len(skipped)} 张无数据未生成" if skipped else "")
        self.echo(f"  gwstats charts --year {self.year} -o {OUTPUT_DIR}/图表 —— {s.detail}")
        for p in files:
            self.echo(f"    {Path(p).name}")
        for entry, reason in skipped:
            self.echo(f"    （未生成 {entry}：{reason}）")

    def report(self, s: Step, fmt: str):
        self.out.mkdir(parents=True, exist_ok=True)
        path = self.out / f"{self.info['name']}{self.year}年度统计分析.{fmt}"
        from gwstats.render.report import checks_path

        checks = fmt == "docx"  # the office's check list beside the Word report, as `gwstats report` writes it
        written = self.ws.report(self.year, path, fmt=fmt, checks=checks)
        s.outputs.append(Path(written) if isinstance(written, (str, Path)) else path)
        listed = checks_path(Path(written), checks) if isinstance(written, (str, Path)) else None
        if listed is not None:
            s.outputs.append(listed)
        s.detail = f"已写入 {path.name}" + (f"，数据核查清单 {listed.name}" if listed is not None else "")
        self.echo(f"  gwstats report --year {self.year} --format {fmt} -o {path.name} —— {s.detail}")


def set_standard_charts(config_path: Path, entries: list[str]):
    """Set [charts] standard in a workspace's gwstats.toml (the sample's meeting set)."""
    import re

    text = config_path.read_text(encoding="utf-8")
    body = "standard = [\n" + "".join(f'  "{e}",\n' for e in entries) + "]"
    new, n = re.subn(r"(?ms)^standard = \[.*?^\]", lambda _m: body, text, count=1)
    if n == 0 and "[charts]" in text:
        new = text.replace("[charts]", "[charts]\n" + body, 1)
    elif n == 0:
        new = text.rstrip("\n") + "\n\n[charts]\n" + body + "\n"
    tomllib.loads(new)  # never write a broken settings file
    config_path.write_text(new, encoding="utf-8")


def _indent(text: str, pad: str = "  ") -> str:
    return "\n".join(pad + line for line in text.rstrip("\n").splitlines())


def _print_summary(result: DemoResult, echo):
    echo("")
    echo("=" * 72)
    echo("演示完成情况")
    echo("=" * 72)
    for run in result.runs:
        echo(f"{run.organisation}：工作区 {run.workspace}")
        for s in run.steps:
            mark = {"ok": "✓", "failed": "✗"}[s.status]
            echo(f"  {mark} {s.name}（{s.seconds:.1f} 秒）" + ("" if s.status == "ok" else f"：{s.detail}"))
            for p in s.outputs:
                echo(f"      {p}")
    bad = [s for s in result.steps if s.status != "ok"]
    if bad:
        names = "、".join(dict.fromkeys(s.name for s in bad))
        echo(f"有 {len(bad)} 个步骤未完成：{names}")
    else:
        echo(f"全部步骤完成。产出在 {result.out_dir}")
