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
        here = Path(__file__).resolve().parent.parent / "sample_data"
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
    from gwstats.render.file_lines import file_line
    from gwstats.render.rollup_table import headline_rows, table_notes
    from gwstats.render.table import render_records
    from gwstats.workspace import Workspace

    d = sample_definition(name)
    info = d["workspace"]
    years = tuple(info["years"])
    year0, year = years[0], years[-1]
    run = SampleRun(name, info["name"], root.resolve(), (year0, year))
    out = root / OUTPUT_DIR
    inputs = root / INPUT_DIR
    echo("")
    echo("=" * 72)
    echo(f"示例：{info['name']}（{year0}、{year} 年报表）  工作区：{root}")
    echo("=" * 72)

    def step(title: str, fn):
        s = Step(name, title)
        run.steps.append(s)
        echo("")
        echo(f"▶ {title}")
        t0 = time.perf_counter()
        try:
            fn(s)
        except GwstatsError as exc:
            s.status, s.detail = "failed", str(exc)
        except Exception as exc:  # a bug in a step: say so, keep going with the other steps
            s.status, s.detail = "failed", f"内部错误 {type(exc).__name__}: {exc}"
        s.seconds = time.perf_counter() - t0
        if s.status != "ok":
            echo(f"  ✗ （失败）{s.detail}")
        return s

    ws_box: dict = {}

    def init(s: Step):
        n = copy_sample(name, inputs)
        ws = Workspace.init(root, name=info["name"], year=year)
        if info.get("charts"):
            set_standard_charts(ws.config_path, info["charts"])
            ws = Workspace(root)
        if info.get("catalog"):  # the sample's own catalog (the default one plus a cross-tab table)
            shutil.copyfile(inputs / info["catalog"], ws.root / "catalog.toml")
            ws = Workspace(root)
        example = ws.root / "units.csv"  # init's example list (某某市…) would only confuse here
        if example.exists():
            example.unlink()
        units_src = inputs / info["units_file"]
        units = ws.root / info["units_file"]
        shutil.copyfile(units_src, units)
        ws_box["ws"] = ws
        s.outputs.append(ws.root / "gwstats.toml")
        s.detail = f"已复制示例报表 {n} 个文件到 {inputs}"
        echo(f"  gwstats init {root} —— 组织：{info['name']}，默认年度 {year}")
        echo(f"  {s.detail}")

    def need_ws():
        if "ws" not in ws_box:
            raise GwstatsError("工作区没有建成，此步骤跳过")
        return ws_box["ws"]

    def units(s: Step):
        ws = need_ws()
        count, findings = ws.import_units(ws.root / info["units_file"])
        s.detail = f"单位 {count} 个" + (f"，提醒 {len(findings)} 条" if findings else "")
        echo(f"  gwstats units import {info['units_file']} —— {s.detail}")
        tree = ws.hierarchy().render_tree().splitlines()
        for line in tree[:12]:
            echo("    " + line)
        if len(tree) > 12:
            echo(f"    ……（共 {len(tree)} 个单位）")

    def import_year(y: int):
        def _do(s: Step):
            ws = need_ws()
            folder = inputs / str(y)
            rep = ws.import_paths([folder])
            run.imports[y] = rep
            echo(f"  gwstats import {INPUT_DIR}/{y}/")
            echo(_indent("\n".join(file_line(r, width=98) for r in rep.records())))
            echo(f"  {rep.summary_line()}")
            refused = [f for f in rep.files if f.status == "rejected"]
            for f in refused:
                echo(f"  拒收：{f.name} —— " + "；".join(str(e.message) for e in f.errors))
            s.detail = rep.summary_line()
        return _do

    def status(s: Step):
        ws = need_ws()
        st = ws.status(year)
        run.status = st
        s.detail = st.summary_line()
        echo(f"  gwstats status --year {year}")
        echo(f"  {s.detail}")

    def check(s: Step):
        ws = need_ws()
        ck = ws.check(year)
        run.check = ck
        s.detail = ck.summary_line()
        echo(f"  gwstats check --year {year}")
        echo(f"  {s.detail}")
        if ck.findings:
            rows = [{"级别": r["级别"], "单位": r["单位"], "说明": r["说明"]} for r in ck.display_rows()]
            echo(_indent(render_records(rows, "table")))

    def rollup(s: Step):
        ws = need_ws()
        res = ws.rollup(year, compare=year0)
        run.rollup = res
        echo(f"  gwstats rollup --year {year} --compare {year0}（全市合计）")
        echo(_indent(render_records(headline_rows(res), "table", left=("指标", "计量单位", "已报"))))
        for note in table_notes(res):
            echo(_indent(note))
        s.detail = f"{len(res.units)} 个下级单位，对比 {res.compare_year} 年"
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"{info['name']}{year}年度汇总.xlsx"
        from gwstats.render.workbook import write_workbook

        written = write_workbook(ws, res, path)
        s.outputs.append(Path(written or path))
        echo(f"  gwstats rollup --year {year} -o {path.name} —— 已写入汇总工作簿")

    def crosstabs(s: Step):
        from gwstats.forms.crosstab import crosstab_tables

        ws = need_ws()
        res = run.rollup or ws.rollup(year, compare=year0)
        tables = crosstab_tables(ws.catalog, year)
        for code, t in tables.items():
            rows = []
            for row in t["rows"]:
                rec = {"类型": row}
                for col in t["cols"]:
                    m = t["cells"].get((row, col))
                    rec[col] = res.value(res.root, m.code) if m is not None else None
                rows.append(rec)
            codes = [m.code for m in t["cells"].values()]
            n = ws.store.units_reporting_any(year, codes)
            echo(f"  {code}（{t['title']}）：{res.tree.names[res.tree.index[res.root]]}合计，主栏 × 宾栏（填了此表的单位 {n} 个）")
            echo(_indent(render_records(rows, "table")))
        s.detail = f"交叉表 {len(tables)} 张：" + "、".join(tables)

    def charts(s: Step):
        ws = need_ws()
        cs = ws.charts(year, out / "图表")
        files = list(getattr(cs, "paths", cs))
        s.outputs.extend(Path(p) for p in files)
        index = getattr(cs, "index", None)
        if index:
            s.outputs.append(Path(index))
        skipped = getattr(cs, "skipped", [])
        s.detail = f"{len(files)} 张图" + (f"，{len(skipped)} 张无数据未生成" if skipped else "")
        echo(f"  gwstats charts --year {year} -o {OUTPUT_DIR}/图表 —— {s.detail}")
        for p in files:
            echo(f"    {Path(p).name}")
        for entry, reason in skipped:
            echo(f"    （未生成 {entry}：{reason}）")

    def report(fmt: str):
        def _do(s: Step):
            ws = need_ws()
            out.mkdir(parents=True, exist_ok=True)
            path = out / f"{info['name']}{year}年度统计分析.{fmt}"
            written = ws.report(year, path, fmt=fmt)
            s.outputs.append(Path(written) if isinstance(written, (str, Path)) else path)
            s.detail = f"已写入 {path.name}"
            echo(f"  gwstats report --year {year} --format {fmt} -o {path.name} —— 已写入")
        return _do

    step("建立工作区", init)
    step("导入单位名单", units)
    for y in years:
        step(f"导入 {y} 年报表", import_year(y))
    step(f"填报情况（{year} 年）", status)
    step(f"数据校验（{year} 年）", check)
    step(f"逐级汇总与同比（{year} 年对比 {year0} 年）", rollup)
    if info.get("catalog"):
        step(f"交叉表（{year} 年，按行 × 栏汇总）", crosstabs)
    step("会议图表", charts)
    step("工作总结 Word", report("docx"))
    step("工作总结 HTML", report("html"))
    return run


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
