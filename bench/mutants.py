"""The mutants of bench/mutate.py: where one small edit can break a module, as byte spans and replacements.

Found by walking the module's syntax tree (``ast``): arithmetic and comparison operators flipped, ``and``/``or``
swapped, a unary minus or ``not`` dropped, constants changed (0 <-> 1, other ints + 1, other floats negated,
True <-> False), a division dropped (the forgotten ``1/m``), a ``.T`` dropped, a return value replaced by ``0``
or ``np.zeros_like(...)``, a simple statement replaced by ``pass``. Docstrings, f-strings, string constants,
imports and annotations are left alone: they are for people, not for the math.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

OP_TEXT = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
           ast.Pow: "**", ast.MatMult: "@", ast.BitOr: "|", ast.BitAnd: "&",
           ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
           ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in"}
BINOP_SWAP = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.FloorDiv: ast.Div,
              ast.Mod: ast.FloorDiv, ast.Pow: ast.Mult, ast.MatMult: ast.Mult, ast.BitOr: ast.BitAnd,
              ast.BitAnd: ast.BitOr}
CMP_SWAP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
            ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In}
DROPPABLE = (ast.Assign, ast.AugAssign, ast.Expr, ast.Raise, ast.Delete)


@dataclass
class Mutant:
    module: str
    index: int
    func: str  # the enclosing function or class, "<module>" at top level
    line: int
    kind: str
    start: int  # byte offsets of the replaced span in the module's source
    end: int
    text: str  # what replaces it
    before: str = ""  # the source line, before and after (filled by mutated_source)
    after: str = ""

    @property
    def key(self) -> str:
        """Stable across edits elsewhere in the file: names the function and the changed line."""
        return f"{self.module}.{self.func}: {self.before} → {self.after}"


class _Finder(ast.NodeVisitor):
    """Walk one module and record every mutation point as a byte span and its replacement."""

    def __init__(self, module: str, source: str):
        self.module, self.src = module, source.encode()
        starts, pos = [], 0
        for line in self.src.splitlines(keepends=True):
            starts.append(pos)
            pos += len(line)
        self.starts = [*starts, pos]
        self.found: list[Mutant] = []
        self.scope = ["<module>"]
        self.uses_np = b"import numpy as np" in self.src

    # --- positions -----------------------------------------------------------------------------------
    def _off(self, line, col):
        return self.starts[line - 1] + col

    def span(self, node):
        return self._off(node.lineno, node.col_offset), self._off(node.end_lineno, node.end_col_offset)

    def seg(self, node) -> str:
        a, b = self.span(node)
        return self.src[a:b].decode()

    def add(self, node, kind, start, end, text):
        line = self.src.count(b"\n", 0, start) + 1  # where the edit is, not where its expression starts
        self.found.append(Mutant(self.module, 0, self.scope[-1], line, kind, start, end, text))

    def replace(self, node, kind, text):
        self.add(node, kind, *self.span(node), text)

    def swap_op_between(self, node, left, right, old, new, kind):
        """Replace the operator text found in the gap between two operands (keeps the rest of the line)."""
        a, b = self._off(left.end_lineno, left.end_col_offset), self._off(right.lineno, right.col_offset)
        gap = self.src[a:b].decode()
        m = re.search(rf"(?<![<>=!/*]){re.escape(old)}(?![=/*])" if old.isascii() and not old.isalpha()
                      else rf"\b{old}\b", gap)
        if m:
            self.add(node, kind, a + len(gap[:m.start()].encode()), a + len(gap[:m.end()].encode()), new)

    # --- scopes and skipped zones ---------------------------------------------------------------------
    def visit_FunctionDef(self, node):
        for d in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
            self.visit(d)  # default values are behaviour; annotations and decorators are not
        self.scope.append(node.name)
        self._body(node.body)
        self.scope.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        self.scope.append(node.name)
        self._body(node.body)
        self.scope.pop()

    def visit_Module(self, node):
        self._body(node.body)

    def _body(self, body):
        for i, stmt in enumerate(body):
            docstring = i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
            if docstring or isinstance(stmt, ast.ImportFrom | ast.Import):
                continue
            if isinstance(stmt, DROPPABLE):
                self.replace(stmt, "drop statement", "pass")
            if isinstance(stmt, ast.AnnAssign):
                if stmt.value is not None:
                    self.visit(stmt.value)  # field types are not behaviour
                continue
            self.visit(stmt)

    def generic_visit(self, node):
        for field_name, value in ast.iter_fields(node):
            if field_name in ("body", "orelse", "finalbody") and isinstance(value, list) and value \
                    and isinstance(value[0], ast.stmt):
                self._body(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST):
                self.visit(value)

    def visit_JoinedStr(self, node):
        pass  # messages for people, not math

    # --- the mutations -------------------------------------------------------------------------------
    def visit_BinOp(self, node):
        new = BINOP_SWAP.get(type(node.op))
        if new:
            self.swap_op_between(node, node.left, node.right, OP_TEXT[type(node.op)], OP_TEXT[new], "operator")
        if isinstance(node.op, ast.Div):  # the classic: forgetting 1/m
            self.replace(node, "drop division", f"({self.seg(node.left)})")
        self.generic_visit(node)

    def visit_AugAssign(self, node):
        new = BINOP_SWAP.get(type(node.op))
        if new:
            a, b = self._off(node.target.end_lineno, node.target.end_col_offset), self._off(
                node.value.lineno, node.value.col_offset)
            gap = self.src[a:b].decode()
            old = OP_TEXT[type(node.op)] + "="
            k = gap.find(old)
            if k >= 0:
                s = a + len(gap[:k].encode())
                self.add(node, "operator", s, s + len(old), OP_TEXT[new] + "=")
        self.generic_visit(node)

    def visit_Compare(self, node):
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            new = CMP_SWAP[type(op)]
            self.swap_op_between(node, left, right, OP_TEXT[type(op)], OP_TEXT[new], "comparison")
            left = right
        self.generic_visit(node)

    def visit_BoolOp(self, node):
        new = "or" if isinstance(node.op, ast.And) else "and"
        parts = [self.seg(v) for v in node.values]
        self.replace(node, "boolean", "(" + f" {new} ".join(f"({p})" for p in parts) + ")")
        self.generic_visit(node)

    def visit_UnaryOp(self, node):
        if isinstance(node.op, ast.USub | ast.Not):
            self.replace(node, "drop unary", f"({self.seg(node.operand)})")
        self.generic_visit(node)

    def visit_Constant(self, node):
        v = node.value
        if isinstance(v, bool):
            self.replace(node, "constant", str(not v))
        elif isinstance(v, int):
            self.replace(node, "constant", {0: "1", 1: "0"}.get(v, str(v + 1)))
        elif isinstance(v, float):
            self.replace(node, "constant", {0.0: "1.0", 1.0: "0.0"}.get(v, repr(-v)))

    def visit_Attribute(self, node):
        if node.attr == "T":
            self.replace(node, "drop .T", f"({self.seg(node.value)})")
        self.generic_visit(node)

    def visit_Return(self, node):
        val = node.value
        if val is not None and not (isinstance(val, ast.Constant) and val.value is None):
            self.replace(val, "return 0", "0")
            containers = ast.Tuple | ast.Dict | ast.List | ast.Constant | ast.JoinedStr | ast.Compare
            constructor = isinstance(val, ast.Call) and self.seg(val.func)[:1].isupper()  # a dataclass, not an array
            if self.uses_np and not isinstance(val, containers) and not constructor:
                self.replace(val, "return zeros", f"np.zeros_like({self.seg(val)})")
        self.generic_visit(node)


def find_mutants(module: str, root: Path) -> list[Mutant]:
    source = (root / "logreg" / f"{module}.py").read_text()
    f = _Finder(module, source)
    f.visit(ast.parse(source))
    out = sorted(f.found, key=lambda m: (m.start, m.end, m.kind, m.text))
    for i, m in enumerate(out):
        m.index = i
        mutated_source(source, m)
    return out


def mutated_source(source: str, m: Mutant) -> str:
    """The module's text with ``m`` applied; also fills ``m.before`` / ``m.after`` (the changed lines)."""
    src = source.encode()
    new = src[:m.start] + m.text.encode() + src[m.end:]
    first = src.rfind(b"\n", 0, m.start) + 1

    def lines(text: bytes, end: int) -> str:
        stop = text.find(b"\n", end)
        return " ".join(part.strip() for part in text[first:stop if stop >= 0 else len(text)].decode().splitlines())

    m.before, m.after = lines(src, m.end), lines(new, m.start + len(m.text.encode()))
    return new.decode()


