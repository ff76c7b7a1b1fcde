"""Cursor pagination: a page holds `limit` items and an opaque cursor for the next one.

The cursor encodes the sort key of the last item returned, so a page is found by an indexed
`WHERE sort_key > $after` rather than by skipping, and stays stable while data is added.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from partnergraph.errors import InvalidRequest

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(position: list[Any]) -> str:
    raw = json.dumps(position, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str | None, *, arity: int | None = None) -> list[Any] | None:
    """The position a cursor stands for; InvalidRequest (400) for anything not made by us.

    Every value must survive the trip to Neo4j: strings that are valid Unicode (a lone
    surrogate cannot be sent as UTF-8), integers within 64 bits, finite numbers. `arity`: the
    number of strings the route's positions have.
    """
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        position = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError) as error:
        raise InvalidRequest(f"the cursor {cursor[:40]!r} is not valid") from error
    if not isinstance(position, list) or not all(_storable(v) for v in position):
        raise InvalidRequest(f"the cursor {cursor[:40]!r} is not valid")
    if arity is not None and (
        len(position) != arity or not all(isinstance(v, str) for v in position)
    ):
        raise InvalidRequest(f"the cursor {cursor[:40]!r} is not valid for this list")
    return position


def _storable(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    if isinstance(value, float):
        return math.isfinite(value)
    return False


def page_of(rows: list[T], limit: int, position_of: Any) -> tuple[list[T], str | None]:
    """Given up to limit + 1 rows, the page and the cursor of the next one (None at the end)."""
    if len(rows) <= limit:
        return rows, None
    page = rows[:limit]
    return page, encode_cursor(position_of(page[-1]))
