"""Finding codes: one enumeration, a Chinese name for each, and every code the package can produce in it."""

import ast
import csv
import io
import json
from pathlib import Path

import gwstats
from gwstats.core.errors import Finding
from gwstats.core.findings import FindingCode, label

PACKAGE = Path(gwstats.__file__).parent

# calls that make a finding, and which positional argument is its code:
# Finding(severity, code, ...), Context.finding(severity, code, ...), the checks' add(severity, code, message, i, ...)
# and room(code, severity, n), the last two called as methods (self.add, ck.room)
CODE_ARG = {"Finding": 1, "finding": 1, "add": 1, "room": 0}


def _code_arg(call: ast.Call):
    f = call.func
    name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
    if name not in CODE_ARG:
        return None
    if name in ("add", "room") and not (isinstance(f, ast.Attribute) and len(call.args) >= 3):
        return None  # set.add(x), a local add(...) helper: not the checks' methods
    k = CODE_ARG[name]
    if len(call.args) > k:
        return call.args[k]
    return next((kw.value for kw in call.keywords if kw.arg == "code"), None)


def _strings(value, index=None):
    """The string constants an assigned value can be (``a if c else b``, ``x, y = "a", "b"``)."""
    if index is not None:
        return _strings(value.elts[index]) if isinstance(value, ast.Tuple) else None
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return {value.value}
    if isinstance(value, ast.IfExp):
        a, b = _strings(value.body), _strings(value.orelse)
        return None if a is None or b is None else a | b
    return None


def _assigned(func, name: str):
    """Every string constant assigned to ``name`` inside ``func``, or None if one is not a constant."""
    found = set()
    for node in ast.walk(func):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id == name:
                got = _strings(node.value)
            elif isinstance(target, ast.Tuple) and any(isinstance(e, ast.Name) and e.id == name for e in target.elts):
                got = _strings(node.value, [getattr(e, "id", None) for e in target.elts].index(name))
            else:
                continue
            if got is None:
                return None
            found |= got
    return found


def produced_codes():
    """{code: [where]} for every finding code in the package's source, and the calls whose code could not
    be told."""
    codes: dict[str, list[str]] = {}
    unknown = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        funcs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or (arg := _code_arg(node)) is None:
                continue
            where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
            values = _strings(arg)
            if values is None and isinstance(arg, ast.Name):
                func = min((f for f in funcs if f.lineno <= node.lineno <= f.end_lineno),
                           key=lambda f: f.end_lineno - f.lineno)
                params = {a.arg for a in [*func.args.args, *func.args.kwonlyargs]}
                if arg.id in params:
                    continue  # passed through (Context.finding, the checks' add and room)
                values = _assigned(func, arg.id)
            if values is None:
                unknown.append(f"{where}: {ast.unparse(arg)}")
                continue
            for code in values:
                codes.setdefault(code, []).append(where)
    return codes, unknown


def test_every_code_the_package_produces_has_a_chinese_name():
    codes, unknown = produced_codes()
    assert not unknown, f"finding codes that are not written as text: {unknown}"
    # the scan sees every way a finding is made: checks (through add), parsers (Context.finding), the importer
    assert {"rule", "rule-total", "huizong-mismatch", "total-row-mismatch", "yoy-jump", "approximate",
            "batch-conflict", "year-locked", "units-dropped", "orphan"} <= set(codes)
    missing = {code: where for code, where in codes.items() if code not in set(FindingCode)}
    assert not missing, f"finding codes without a Chinese name in gwstats/core/findings.py: {missing}"


def test_every_named_code_is_produced_somewhere():
    codes, _ = produced_codes()
    assert {c.value for c in FindingCode} - set(codes) == set()


def test_the_names_are_chinese_and_distinct():
    labels = [c.label for c in FindingCode]
    assert len(set(labels)) == len(labels)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in labels)
    assert label("hidden-sheet") == "隐藏工作表"
    assert label("no-such-code") == "其他"


def test_a_code_is_still_its_text_for_comparisons_json_and_csv():
    f = Finding("warning", FindingCode.YOY_JUMP, "同比变化超过 50%")
    assert f.code == "yoy-jump" and FindingCode("yoy-jump") is FindingCode.YOY_JUMP
    assert json.dumps({"code": f.code}) == '{"code": "yoy-jump"}'
    out = io.StringIO()
    csv.writer(out).writerow([f.code])
    assert out.getvalue().strip() == "yoy-jump"
    assert f"{f.code}" == str(f.code) == "yoy-jump"
    assert label(f.code) == "同比异常"
