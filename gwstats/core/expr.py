"""Arithmetic expressions over metric codes, for indicators and check rules.

The grammar is Python's own arithmetic (parsed by :mod:`ast`), restricted to metric names,
numbers, ``+ - * /`` and parentheses. Evaluation works on scalars, Decimals and numpy arrays alike.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from decimal import Decimal

_ALLOWED_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div)
MAX_CHARS = 2000  # an indicator or rule is a few terms; a longer text is refused before parsing (RecursionError)


class ExprError(ValueError):
    pass


@dataclass(frozen=True)
class Expr:
    text: str
    names: tuple[str, ...]
    _code: object
    consts: tuple[str, ...] = ()  # the decimal constants (as written) bound to __c0, __c1, ... when evaluated

    @classmethod
    def parse(cls, text: str) -> "Expr":
        if not isinstance(text, str) or not text.strip():
            raise ExprError("表达式为空")
        if len(text) > MAX_CHARS:
            raise ExprError(f"表达式过长（{len(text):,} 个字符，最多 {MAX_CHARS:,} 个）")
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as exc:
            raise ExprError(f"表达式“{text}”无法解析：{exc.msg}") from None
        except (RecursionError, MemoryError):
            raise ExprError(f"表达式“{text[:40]}…”嵌套过深，无法解析") from None
        names: list[str] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Expression):
                continue
            if isinstance(node, ast.Name):
                if node.id not in names:
                    names.append(node.id)
            elif isinstance(node, ast.Constant):
                if not isinstance(node.value, (int, float)) or isinstance(node.value, bool):
                    raise ExprError(f"表达式“{text}”中只能出现数字和指标编码")
            elif isinstance(node, ast.BinOp):
                if not isinstance(node.op, _ALLOWED_BINOPS):
                    raise ExprError(f"表达式“{text}”中只允许 + - * / 运算")
            elif isinstance(node, ast.UnaryOp):
                if not isinstance(node.op, (ast.USub, ast.UAdd)):
                    raise ExprError(f"表达式“{text}”中只允许正负号")
            elif isinstance(node, (ast.Load, ast.operator, ast.unaryop)):
                continue
            else:
                raise ExprError(f"表达式“{text}”中有不允许的写法：{type(node).__name__}")
        # 0.5: bound when evaluated, a Decimal beside Decimal figures (Decimal * float fails), else a float
        named = _Consts(text.strip())
        try:
            tree = ast.fix_missing_locations(named.visit(tree))
            code = compile(tree, f"<expr {text}>", "eval")
        except (RecursionError, MemoryError):
            raise ExprError(f"表达式“{text[:40]}…”嵌套过深，无法解析") from None
        return cls(text.strip(), tuple(names), code, tuple(named.consts))

    def __reduce__(self):  # code objects do not pickle (import worker processes): compile again from the text
        return (Expr.parse, (self.text,))

    def evaluate(self, env: dict):
        """Evaluate with ``env`` mapping every name to a value (scalar, Decimal or array)."""
        missing = [n for n in self.names if n not in env]
        if missing:
            raise KeyError(missing[0])
        local = {n: env[n] for n in self.names}
        if self.consts:
            exact = any(_holds_decimal(v) for v in local.values())
            local.update({f"__c{i}": Decimal(c) if exact else float(c) for i, c in enumerate(self.consts)})
        return eval(self._code, {"__builtins__": {}}, local)  # noqa: S307 - AST whitelisted above

    @property
    def is_single_name(self) -> bool:
        return len(self.names) == 1 and self.text == self.names[0]


class _Consts(ast.NodeTransformer):
    """Float constants become names __c0, __c1, ..., their text kept in ``consts``."""

    def __init__(self, text: str):
        self.text, self.consts = text, []

    def visit_Constant(self, node):
        if isinstance(node.value, float):
            self.consts.append(ast.get_source_segment(self.text, node) or repr(node.value))
            return ast.copy_location(ast.Name(id=f"__c{len(self.consts) - 1}", ctx=ast.Load()), node)
        return node


def _holds_decimal(v) -> bool:
    if isinstance(v, Decimal):
        return True
    dtype = getattr(v, "dtype", None)
    if dtype is not None and dtype == object and getattr(v, "size", 0):
        return isinstance(v.flat[0], Decimal)
    return False
