"""The sample's word material as data files, so it can be reviewed and extended without code.

- `topics.json`: the topic groups (German and English label) and the topics; the fields are
  those of `sample.topics.Topic`, whose docstring says what they mean.
- `institutions.json`: the real universities, faculties, chairs, institutes, chambers and
  agencies of the region (`sample.generator.Institution`); a unit names its `parent_key`.
- `network.json`: how the network is composed: districts with the weight of fictional firms
  there, more craft businesses for common trades, how often companies offer a topic group.
- `names.json`: words for people, streets, firm names (by industry, trade, service group),
  legal forms with their weights, project acronyms.
- `texts.json`: sentence templates of competences, needs, projects and events. Placeholders:
  `{p1}`..`{p3}` German and `{e1}`..`{e3}` English phrases of a topic (`{p12}`, `{e12}`: the
  first two joined, `{P1}`, `{E1}`: capitalised), `{p}`/`{e}` one phrase, `{label}` the topic's
  label, `{ctx}` a context of its group, `{city}`, `{years}`, `{projects}`, `{month}`, `{year}`;
  in `names.json`, `{s}` of a street form is a street stem.
  German phrases sit where German needs no declension (after colons, in lists, after "Thema").

Order matters: the generator draws from these lists by position, so reordering an entry changes
the generated files (the same seed still gives the same files).
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any


def load(name: str) -> Any:
    """One catalogue file, every JSON array as a tuple (the catalogue is read-only)."""
    return _frozen(json.loads(files(__name__).joinpath(name).read_text(encoding="utf-8")))


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    return value
