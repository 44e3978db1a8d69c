"""A safe evaluator for the ``visible_if`` / ``required_if`` conditions in form schemas.

The seed app ran these strings through ``eval()``; a schema file is configuration, not code, so here they go through
a small recursive-descent parser that knows only literals, field names, comparisons, ``in``, ``and``/``or``/``not``
and parentheses. Anything else (calls, attributes, subscripts, dunder names) is a syntax error at parse time.

Grammar::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := operand (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in") operand)?
    operand := NUMBER | STRING | true | false | null | NAME | "(" expr ")" | "[" [operand ("," operand)*] "]"
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


class ExpressionError(ValueError):
    """A condition that does not parse, or names a field that does not exist."""


_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in"}
_LITERALS: dict[str, Any] = {
    "true": True, "True": True, "false": False, "False": False, "null": None, "None": None, "none": None,
}


@dataclass(frozen=True)
class _Token:
    kind: str  # "number" | "string" | "op" | "name" | "keyword" | "end"
    text: str
    position: int


Node = Callable[[Mapping[str, Any]], Any]


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None:
            raise ExpressionError(f"unexpected character {source[position]!r} at position {position} in {source!r}")
        kind = match.lastgroup or ""
        text = match.group()
        if kind == "name" and text in _KEYWORDS:
            kind = "keyword"
        if kind != "ws":
            tokens.append(_Token(kind, text, position))
        position = match.end()
    tokens.append(_Token("end", "", len(source)))
    return tokens


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text[1:-1])


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    if op in ("in", "not in"):
        try:
            found = left in right
        except TypeError:
            found = False
        return found if op == "in" else not found
    try:
        if op == "<":
            return bool(left < right)
        if op == "<=":
            return bool(left <= right)
        if op == ">":
            return bool(left > right)
        return bool(left >= right)
    except TypeError:
        return False  # e.g. a number compared with an empty (None) field: the condition simply does not hold


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = _tokenize(source)
        self.index = 0
        self.names: set[str] = set()

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def error(self, token: _Token, expected: str) -> ExpressionError:
        found = repr(token.text) if token.kind != "end" else "end of expression"
        return ExpressionError(f"expected {expected} but found {found} at position {token.position} in {self.source!r}")

    def parse(self) -> Node:
        node = self.parse_or()
        if self.peek().kind != "end":
            raise self.error(self.peek(), "end of expression")
        return node

    def parse_or(self) -> Node:
        node = self.parse_and()
        while self.peek().text == "or" and self.peek().kind == "keyword":
            self.take()
            left, right = node, self.parse_and()
            node = _or(left, right)
        return node

    def parse_and(self) -> Node:
        node = self.parse_not()
        while self.peek().text == "and" and self.peek().kind == "keyword":
            self.take()
            left, right = node, self.parse_not()
            node = _and(left, right)
        return node

    def parse_not(self) -> Node:
        if self.peek().kind == "keyword" and self.peek().text == "not":
            self.take()
            inner = self.parse_not()
            return lambda values: not inner(values)
        return self.parse_compare()

    def parse_compare(self) -> Node:
        left = self.parse_operand()
        token = self.peek()
        op: str | None = None
        if token.kind == "op" and token.text in ("==", "!=", "<", "<=", ">", ">="):
            op = self.take().text
        elif token.kind == "keyword" and token.text == "in":
            self.take()
            op = "in"
        elif token.kind == "keyword" and token.text == "not" and self.tokens[self.index + 1].text == "in":
            self.index += 2
            op = "not in"
        if op is None:
            return left
        right = self.parse_operand()
        return lambda values: _compare(op, left(values), right(values))

    def parse_operand(self) -> Node:
        token = self.take()
        if token.kind == "number":
            number = float(token.text) if any(c in token.text for c in ".eE") else int(token.text)
            return lambda values: number
        if token.kind == "string":
            text = _unquote(token.text)
            return lambda values: text
        if token.kind == "name":
            if token.text in _LITERALS:
                literal = _LITERALS[token.text]
                return lambda values: literal
            if token.text.startswith("__"):
                raise ExpressionError(f"name {token.text!r} is not allowed in {self.source!r}")
            if self.peek().text == "(":
                raise ExpressionError(f"function calls are not allowed ({token.text}(...) in {self.source!r})")
            name = token.text
            self.names.add(name)
            return lambda values: values.get(name)
        if token.kind == "op" and token.text == "(":
            node = self.parse_or()
            if self.take().text != ")":
                raise self.error(self.tokens[self.index - 1], "')'")
            return node
        if token.kind == "op" and token.text == "[":
            items: list[Node] = []
            if self.peek().text != "]":
                items.append(self.parse_operand())
                while self.peek().text == ",":
                    self.take()
                    items.append(self.parse_operand())
            if self.take().text != "]":
                raise self.error(self.tokens[self.index - 1], "']'")
            return lambda values: [item(values) for item in items]
        raise self.error(token, "a value, a field name or '('")


def _or(left: Node, right: Node) -> Node:
    return lambda values: bool(left(values)) or bool(right(values))


def _and(left: Node, right: Node) -> Node:
    return lambda values: bool(left(values)) and bool(right(values))


@dataclass(frozen=True)
class Condition:
    """A parsed condition: ``names`` are the field names it reads (checked against the schema at load time)."""

    source: str
    names: frozenset[str]
    _node: Node

    def __call__(self, values: Mapping[str, Any]) -> bool:
        return bool(self._node(values))


def parse_condition(source: str) -> Condition:
    """Parse ``source`` once; raise ExpressionError with the position of the first problem."""
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("a condition must be a non-empty string")
    parser = _Parser(source)
    node = parser.parse()
    return Condition(source=source, names=frozenset(parser.names), _node=node)


def evaluate(source: str, values: Mapping[str, Any]) -> bool:
    """Parse and evaluate in one go (schemas parse once at load time and reuse the Condition)."""
    return parse_condition(source)(values)
