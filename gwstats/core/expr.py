"""Arithmetic expressions over metric codes, for indicators and check rules.

The grammar is Python's own arithmetic (parsed by :mod:`ast`), restricted to metric names,
numbers, ``+ - * /`` and parentheses. Evaluation works on scalars, Decimals and numpy arrays alike.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

_ALLOWED_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div)


class ExprError(ValueError):
    pass


@dataclass(frozen=True)
class Expr:
    text: str
    names: tuple[str, ...]
    _code: object

    @classmethod
    def parse(cls, text: str) -> "Expr":
        if not isinstance(text, str) or not text.strip():
            raise ExprError("表达式为空")
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as exc:
            raise ExprError(f"表达式“{text}”无法解析：{exc.msg}") from None
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
        code = compile(tree, f"<expr {text}>", "eval")
        return cls(text.strip(), tuple(names), code)

    def __reduce__(self):  # code objects do not pickle (import worker processes): compile again from the text
        return (Expr.parse, (self.text,))

    def evaluate(self, env: dict):
        """Evaluate with ``env`` mapping every name to a value (scalar, Decimal or array)."""
        missing = [n for n in self.names if n not in env]
        if missing:
            raise KeyError(missing[0])
        return eval(self._code, {"__builtins__": {}}, {n: env[n] for n in self.names})  # noqa: S307 - AST whitelisted above

    @property
    def is_single_name(self) -> bool:
        return len(self.names) == 1 and self.text == self.names[0]
