"""The topic catalogue behind the sample data set and the matching evaluation.

Each topic is something a Ruhr-area manufacturer, craft business or research group offers or
needs. The generator (`sample.generator`) turns topics into competences (provider wording:
technical terms, `phrases_*`) and needs (customer wording: concrete symptoms, `problems_*`),
so that the two sides share a subject but only part of their vocabulary, as real texts do.
The judged set of the matching evaluation is written against these ids, which is why they are
stable slugs and why each topic names its neighbours in `related` (partial relevance).

The topics themselves are data (`sample/catalogue/topics.json`), so the catalogue can be
reviewed and extended by people who do not read the generator; this module gives them a type
and lookups, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalogue import load


@dataclass(frozen=True)
class Topic:
    """One subject of the network, with the words both sides use for it.

    `trades` are Handwerksordnung codes (data/reference/trades.csv), `industries` WZ 2008
    divisions (data/reference/wz2008.csv); the first industry is the one a company offering the
    topic is filed under. `kinds` are the organisation kinds (records.OrgKind values) that
    typically offer it.
    """

    id: str
    group: str
    label_de: str
    label_en: str
    phrases_de: tuple[str, ...]
    phrases_en: tuple[str, ...]
    problems_de: tuple[str, ...]
    problems_en: tuple[str, ...]
    trades: tuple[str, ...]
    industries: tuple[str, ...]
    kinds: tuple[str, ...]
    related: tuple[str, ...]


_CATALOGUE = load("topics.json")

# Topic groups (German, English label): used for contexts, event names and how often companies
# offer a topic.
GROUPS: dict[str, tuple[str, str]] = {
    key: (group["label_de"], group["label_en"]) for key, group in _CATALOGUE["groups"].items()
}

# In catalogue order, which the generator's draws depend on.
TOPICS: tuple[Topic, ...] = tuple(Topic(**row) for row in _CATALOGUE["topics"])

TOPIC_BY_ID: dict[str, Topic] = {topic.id: topic for topic in TOPICS}


def topics_for_kind(kind: str) -> tuple[Topic, ...]:
    """The topics an organisation of this kind typically offers, in catalogue order."""
    return tuple(topic for topic in TOPICS if kind in topic.kinds)
