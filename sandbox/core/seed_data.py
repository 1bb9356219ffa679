"""A vendor's faker-built seed data for one seed, shipped as JSON beside its fixtures.

Importing faker and running it costs ~0.1 s, on the path of every start (the demo
tenant) while a fresh database has no template yet. For the default seed the vendor
ships the result instead: ``dump`` writes a dataclass of lists, dicts, tuples and dates
as JSON, ``load`` gives back an equal one. A test in each vendor's suite checks that the
shipped file still equals what faker builds, and says how to regenerate it.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

DATE = "__date__"
TUPLE = "__tuple__"


def _encode(value):
    if isinstance(value, date):
        return {DATE: value.isoformat()}
    if isinstance(value, tuple):
        return {TUPLE: [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


def _decode(value):
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        if DATE in value:
            return date.fromisoformat(value[DATE])
        if TUPLE in value:
            return tuple(_decode(v) for v in value[TUPLE])
        return {k: _decode(v) for k, v in value.items()}
    return value


def dump(dataset) -> str:
    fields = {f.name: _encode(getattr(dataset, f.name)) for f in dataclasses.fields(dataset)}
    return json.dumps(fields, ensure_ascii=False, indent=0, sort_keys=True) + "\n"


def load(cls, path: Path):
    fields = json.loads(path.read_text(encoding="utf-8"))
    return cls(**{name: _decode(value) for name, value in fields.items()})
