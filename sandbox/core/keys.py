"""Deterministic keys for any vendor: numbers, codes and references derived from the
tenant's seed, so the same seed and the same calls give the same values on every run."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from itertools import count

from .lookups import by_reference
from .scope import RequestScope

CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def digest(*parts) -> int:
    """A 128-bit number from ``parts``: the same parts, the same number."""
    text = "\x1f".join(str(p) for p in parts)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:16], "big")


def code_from(value: int, length: int, alphabet: str = CODE_ALPHABET) -> str:
    """``length`` characters of ``alphabet`` drawn from ``value``, lowest digit first."""
    chars = []
    for _ in range(length):
        value, index = divmod(value, len(alphabet))
        chars.append(alphabet[index])
    return "".join(chars)


def derived_reference(
    scope: RequestScope, model, kind: str, new_id: int, *, prefix: str, hex_digits: int
) -> str:
    """``prefix`` + hex, derived from the tenant's seed and the new id; the first such
    reference no row of ``model`` in the tenant has yet."""
    session = scope.session
    return first_free_reference(
        lambda reference: by_reference(session, model, reference) is not None,
        scope.seed, kind, new_id, prefix=prefix, hex_digits=hex_digits,
    )


def first_free_reference(
    taken: Callable[[str], bool], seed: int, kind: str, new_id: int, *, prefix: str,
    hex_digits: int,
) -> str:
    """``derived_reference`` for any way of asking whether a reference is ``taken`` (an
    ORM lookup, or a hot path's precompiled statement)."""
    for attempt in count():
        text = f"{kind}\x1f{seed}\x1f{new_id}\x1f{attempt}"
        reference = prefix + hashlib.sha256(text.encode()).hexdigest()[:hex_digits]
        if not taken(reference):
            return reference
    raise AssertionError("unreachable")
