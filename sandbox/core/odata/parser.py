"""Recursive-descent parser from tokens to a small syntax tree; it knows no model."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .lexer import Token, tokenize
from .model import ORDERING, ODataError

MAX_LENGTH = 2000
MAX_DEPTH = 50
LOGICAL = frozenset({"and", "or", "not"})
KEYWORDS = ORDERING | LOGICAL


@dataclass(frozen=True)
class Literal:
    kind: str  # "string" "int" "decimal" "bool" "null" "date" "datetime"
    value: object
    text: str
    pos: int


@dataclass(frozen=True)
class Path:
    segments: tuple[str, ...]
    pos: int

    @property
    def text(self) -> str:
        return "/".join(self.segments)


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]
    pos: int


@dataclass(frozen=True)
class Compare:
    op: str
    left: Node
    right: Node
    pos: int


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class Logic:
    op: str  # "and" | "or"
    # n-ary rather than binary so a long chain of "or" does not become a deep tree.
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Lambda:
    op: str  # "any" | "all"
    collection: Path
    variable: str | None  # None in the short form "centres/any(c/id eq 1)"
    body: Node | None  # None for "centres/any()"
    pos: int


Node = Literal | Path | Call | Compare | Not | Logic | Lambda


def parse_filter(text: str, date_formats: tuple[str, ...]) -> Node:
    parser = _Parser(_tokens(text, "filter", date_formats))
    node = parser.expression()
    parser.expect("eof")
    return node


def parse_orderby(text: str) -> list[tuple[Path, bool]]:
    """Return (property, descending) pairs."""
    parser = _Parser(_tokens(text, "orderby", ()))
    items = []
    while True:
        path = parser.path(parser.expect("ident"), lambdas=False)
        assert isinstance(path, Path)
        token = parser.peek()
        descending = False
        if token.kind == "ident" and token.text.lower() in ("asc", "desc"):
            descending = parser.advance().text.lower() == "desc"
        items.append((path, descending))
        if not parser.accept(","):
            parser.expect("eof")
            return items


def _tokens(text: str, what: str, date_formats: tuple[str, ...]) -> list[Token]:
    if len(text) > MAX_LENGTH:
        raise ODataError(f"The {what} is longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise ODataError(f"The {what} is empty")
    return tokenize(text, date_formats)


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.peek()
        self.index += 1
        return token

    def accept(self, kind: str) -> bool:
        if self.peek().kind == kind:
            self.index += 1
            return True
        return False

    def expect(self, kind: str) -> Token:
        token = self.peek()
        if token.kind != kind:
            wanted = {"eof": "end of input", "ident": "a property name"}.get(kind, f"'{kind}'")
            raise ODataError(f"Expected {wanted}, found {_describe(token)}", token.pos)
        return self.advance()

    def keyword(self, word: str) -> bool:
        token = self.peek()
        return token.kind == "ident" and token.text == word

    @contextmanager
    def nested(self, token: Token) -> Iterator[None]:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ODataError(f"Expression is nested deeper than {MAX_DEPTH} levels", token.pos)
        yield
        self.depth -= 1

    # Precedence, loosest first: or, and, not, comparison.
    def expression(self) -> Node:
        return self._chain("or", self.conjunction)

    def conjunction(self) -> Node:
        return self._chain("and", self.negation)

    def _chain(self, word: str, operand: Callable[[], Node]) -> Node:
        operands = [operand()]
        while self.keyword(word):
            self.advance()
            operands.append(operand())
        return operands[0] if len(operands) == 1 else Logic(word, tuple(operands))

    def negation(self) -> Node:
        # "not a eq b" means not (a eq b): the stricter reading, (not a) eq b, only ever
        # type-checks for a bool a, and gives the same answer there.
        if self.keyword("not"):
            token = self.advance()
            with self.nested(token):
                return Not(self.negation())
        return self.comparison()

    def comparison(self) -> Node:
        node = self.operand()
        token = self.peek()
        if token.kind == "ident" and token.text in ORDERING:
            self.advance()
            node = Compare(token.text, node, self.operand(), token.pos)
            token = self.peek()
        # ASP.NET refuses "EQ" and "And" too; say so rather than "expected end of input".
        if token.kind == "ident" and token.text.lower() in KEYWORDS and token.text not in KEYWORDS:
            raise ODataError(f"Operators are lowercase: write '{token.text.lower()}'", token.pos)
        return node

    def operand(self) -> Node:
        token = self.advance()
        if token.kind == "(":
            with self.nested(token):
                node = self.expression()
                self.expect(")")
                return node
        if token.kind == "literal":
            assert token.value is not None
            kind, value = token.value
            return Literal(kind, value, token.text, token.pos)
        if token.kind == "ident" and token.text.lower() not in KEYWORDS:
            if self.peek().kind == "(":
                return self.call(token)
            return self.path(token)
        raise ODataError(
            f"Expected a property, literal or function, found {_describe(token)}", token.pos
        )

    def call(self, name: Token) -> Call:
        self.expect("(")
        args: list[Node] = []
        with self.nested(name):
            if not self.accept(")"):
                args.append(self.operand())
                while self.accept(","):
                    args.append(self.operand())
                self.expect(")")
        return Call(name.text.lower(), tuple(args), name.pos)

    def path(self, first: Token, lambdas: bool = True) -> Path | Lambda:
        segments = [first.text]
        while self.accept("/"):
            token = self.expect("ident")
            if lambdas and token.text.lower() in ("any", "all") and self.peek().kind == "(":
                return self.lambda_(Path(tuple(segments), first.pos), token)
            segments.append(token.text)
        return Path(tuple(segments), first.pos)

    def lambda_(self, collection: Path, op: Token) -> Lambda:
        self.expect("(")
        with self.nested(op):
            variable = None
            body = None
            if not self.accept(")"):
                if self.peek().kind == "ident" and self.peek(1).kind == ":":
                    variable = self.advance().text
                    self.advance()
                body = self.expression()
                self.expect(")")
        if body is None and op.text.lower() == "all":
            raise ODataError("all() needs a condition", op.pos)
        return Lambda(op.text.lower(), collection, variable, body, op.pos)


def _describe(token: Token) -> str:
    return "end of input" if token.kind == "eof" else f"'{token.text}'"
