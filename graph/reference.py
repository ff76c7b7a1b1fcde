"""The reference tables shipped in `data/reference/` (see its SOURCES.md): trades of the
Handwerksordnung, WZ 2008 sections and divisions, NRW regions and postcodes. They are read from
`reference/` in PARTNERGRAPH_DATA_DIR (default `data`).

The ingest loads them into the graph (Trade, Industry, Region) and validates rows against them
(`Reference`, passed as the pydantic validation context); matching places a postcode with them.
They live here, below both, so neither reaches into the other.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache
from pathlib import Path

from partnergraph.settings import get_settings

from .texts import fold


@dataclass(frozen=True)
class Reference:
    """The lookups validation needs: trade codes and names, WZ codes."""

    trade_codes: frozenset[str]
    trade_by_name: dict[str, str]
    industry_codes: frozenset[str]
    # Cell values seen before and their codes: a big file repeats a few hundred of them.
    _codes_of: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = dataclass_field(
        default_factory=dict, compare=False, repr=False
    )

    def codes(self, kind: str, values: list[str]) -> list[str]:
        """The sorted distinct codes of `values` (kind 'trade' or 'industry'); ValueError
        names the first value that is neither a code nor a name of one."""
        memo = (kind, tuple(values))
        known = self._codes_of.get(memo)
        if known is None:
            find = self.trade if kind == "trade" else self.industry
            codes = set()
            for value in values:
                code = find(value)
                if code is None:
                    raise ValueError(_UNKNOWN_CODE[kind].format(value=value))
                codes.add(code)
            known = self._codes_of[memo] = tuple(sorted(codes))
        return list(known)

    def trade(self, value: str) -> str | None:
        code = value.strip().upper()
        if code in self.trade_codes:
            return code
        return self.trade_by_name.get(fold(value))

    def industry(self, value: str) -> str | None:
        code = value.strip().upper().removeprefix("WZ").strip()
        if code in self.industry_codes:
            return code
        match = re.match(r"^(\d{2})(?:\.\d+)*$", code)
        if match and match.group(1) in self.industry_codes:
            return match.group(1)
        return None


_UNKNOWN_CODE = {
    "trade": "unknown trade {value!r}: use a code or name of the Handwerksordnung "
    "(data/reference/trades.csv)",
    "industry": "unknown WZ 2008 code {value!r}: use a section (A-U) or division (01-99)",
}


_UNKNOWN_CODE = {
    "trade": "unknown trade {value!r}: use a code or name of the Handwerksordnung "
    "(data/reference/trades.csv)",
    "industry": "unknown WZ 2008 code {value!r}: use a section (A-U) or division (01-99)",
}


@cache
def reference_dir() -> Path:
    """`reference/` in PARTNERGRAPH_DATA_DIR, as the process found it first."""
    return get_settings().data_dir / "reference"


@dataclass(frozen=True)
class Postcode:
    postcode: str
    municipality_key: str
    municipality: str
    district_key: str
    district: str
    lat: float
    lon: float


@dataclass(frozen=True)
class ReferenceData:
    trades: list[dict[str, str]]
    industries: list[dict[str, str]]
    regions: list[dict[str, str]]
    postcodes: dict[str, list[Postcode]]

    def lookup(self) -> Reference:
        names: dict[str, str] = {}
        for trade in self.trades:
            names[fold(trade["name"])] = trade["code"]
        return Reference(
            trade_codes=frozenset(t["code"] for t in self.trades),
            trade_by_name=names,
            industry_codes=frozenset(i["code"] for i in self.industries),
        )

    def place(self, postcode: str | None, city: str | None = None) -> Postcode | None:
        """The municipality of a postcode; with several, the one named like `city`."""
        candidates = self.postcodes.get(postcode or "", [])
        if city and len(candidates) > 1:
            for candidate in candidates:
                if fold(candidate.municipality) == fold(city):
                    return candidate
        return candidates[0] if candidates else None


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference(folder: Path | None = None) -> ReferenceData:
    """The tables in `folder` (default: `reference_dir()`), read once per folder."""
    return _load_reference(folder or reference_dir())


@cache
def _load_reference(folder: Path) -> ReferenceData:
    postcodes: dict[str, list[Postcode]] = {}
    for row in _rows(folder / "postcodes.csv"):
        postcodes.setdefault(row["postcode"], []).append(
            Postcode(
                postcode=row["postcode"],
                municipality_key=row["municipality_key"],
                municipality=row["municipality"],
                district_key=row["district_key"],
                district=row["district"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
            )
        )
    return ReferenceData(
        trades=_rows(folder / "trades.csv"),
        industries=_rows(folder / "wz2008.csv"),
        regions=_rows(folder / "regions.csv"),
        postcodes=postcodes,
    )
