"""Tokens and literal values of the OData query language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from .model import ODataError

PUNCTUATION = frozenset("()/,:")
WORDS = {"true": ("bool", True), "false": ("bool", False), "null": ("null", None)}
TYPED_PREFIXES = {"datetime": "datetime", "datetimeoffset": "datetime", "date": "date"}

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Greedy on purpose: "01/31/2024" and "2024-01-31T10:00:00+02:00" must stay one token
# rather than become a path or a subtraction; classify() then decides what it was.
BARE = re.compile(r"-?[0-9][0-9A-Za-z/:.+\-]*")
INT = re.compile(r"-?[0-9]+[lL]?")
DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?[mMdDfF]?")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ISO_DATETIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt]([0-9]{2}:[0-9]{2}(?::[0-9]{2})?)"
    r"(?:\.([0-9]+))?([Zz]|[+-][0-9]{2}:[0-9]{2})?"
)
INT_RANGE = range(-(2**63), 2**63)
MAX_DIGITS = 38


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "ident", "literal", "eof" or the punctuation character itself
    text: str
    pos: int
    value: tuple[str, object] | None = None  # (literal kind, Python value) for literals


def tokenize(text: str, date_formats: tuple[str, ...]) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char in " \t\r\n":
            pos += 1
        elif char in PUNCTUATION:
            tokens.append(Token(char, char, pos))
            pos += 1
        elif char == "'":
            value, end = _string(text, pos)
            tokens.append(Token("literal", text[pos:end], pos, ("string", value)))
            pos = end
        elif match := BARE.match(text, pos):
            raw = match.group()
            tokens.append(Token("literal", raw, pos, classify(raw, pos, date_formats)))
            pos = match.end()
        elif match := IDENT.match(text, pos):
            token = _word(text, match)
            tokens.append(token)
            pos += len(token.text)
        else:
            raise ODataError(f"Unexpected character {char!r}", pos)
    tokens.append(Token("eof", "", len(text)))
    return tokens


def _word(text: str, match: re.Match[str]) -> Token:
    word, pos, end = match.group(), match.start(), match.end()
    if end < len(text) and text[end] == "'":
        kind = TYPED_PREFIXES.get(word.lower())
        if kind is None:
            raise ODataError(f"Unsupported typed literal {word}'...'", pos)
        value, end = _string(text, end)
        parsed = parse_temporal(value, ())
        if parsed is None:
            raise ODataError(f"Invalid {word} literal {text[pos:end]}", pos)
        return Token("literal", text[pos:end], pos, convert_temporal(parsed, kind, pos))
    if word.lower() in WORDS:
        return Token("literal", word, pos, WORDS[word.lower()])
    return Token("ident", word, pos)


def _string(text: str, start: int) -> tuple[str, int]:
    """Read a quoted string at `start`; a doubled quote stands for one quote."""
    parts = []
    pos = start + 1
    while True:
        end = text.find("'", pos)
        if end < 0:
            raise ODataError("Unterminated string literal", start)
        parts.append(text[pos:end])
        if text.startswith("''", end):
            parts.append("'")
            pos = end + 2
        else:
            return "".join(parts), end + 1


def classify(raw: str, pos: int, date_formats: tuple[str, ...]) -> tuple[str, object]:
    if INT.fullmatch(raw):
        number = int(raw.rstrip("lL"))
        if number not in INT_RANGE:
            raise ODataError(f"Integer literal {raw} is out of range", pos)
        return "int", number
    if DECIMAL.fullmatch(raw):
        if sum(c.isdigit() for c in raw) > MAX_DIGITS:
            raise ODataError(f"Decimal literal {raw} has too many digits", pos)
        return "decimal", Decimal(raw.rstrip("mMdDfF"))
    parsed = parse_temporal(raw, date_formats)
    if parsed is None:
        raise ODataError(f"Invalid literal {raw}", pos)
    return parsed


def parse_temporal(raw: str, date_formats: tuple[str, ...]) -> tuple[str, object] | None:
    """ISO dates and datetimes always, plus the model's own date formats.

    Datetimes with an offset become naive UTC, the form the columns hold.
    """
    if match := ISO_DATETIME.fullmatch(raw):
        day, time, fraction, zone = match.groups()
        # .NET clients send seven fractional digits; Python takes at most six.
        fraction = f".{fraction[:6]}" if fraction else ""
        zone = "+00:00" if zone in ("Z", "z") else zone or ""
        try:
            value = datetime.fromisoformat(f"{day}T{time}{fraction}{zone}")
            if value.tzinfo is not None:
                value = value.astimezone(UTC).replace(tzinfo=None)
        except (ValueError, OverflowError):
            return None
        return "datetime", value
    if ISO_DATE.fullmatch(raw):
        try:
            return "date", date.fromisoformat(raw)
        except ValueError:
            return None
    for fmt in date_formats:
        try:
            return "date", datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def convert_temporal(parsed: tuple[str, object], kind: str, pos: int) -> tuple[str, object]:
    """Turn a parsed date or datetime into `kind`, refusing to drop a time of day."""
    have, value = parsed
    if have == kind:
        return parsed
    if isinstance(value, datetime):
        if value.time() != time():
            raise ODataError(f"Date value {value.isoformat()} has a time of day", pos)
        return "date", value.date()
    assert isinstance(value, date)
    return "datetime", datetime.combine(value, time())
