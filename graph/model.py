"""The graph model: node labels with their keys, and relationship types.

This is the single definition of what the graph holds; `schema.py` derives its constraints
from it and `docs`-style tables in `graph/MODEL.md` describe it for people.
"""

from __future__ import annotations

# label -> the property that identifies a node of that label (unique, from the source)
NODE_KEYS: dict[str, str] = {
    "Organization": "key",
    "Trade": "code",
    "Industry": "code",
    "Region": "key",
    "Competence": "key",
    "Person": "key",
    "Need": "key",
    "Project": "key",
    "Event": "key",
    "ApiKey": "id",  # the service's API keys (hash only, never the key itself)
    "Subscription": "id",  # a key's subscription to a topic of needs (the needs board)
    "NeedEvent": "id",  # one change in a need's history (graph.cases)
    "Answer": "id",  # a university's "we can help" to a need (graph.cases)
    "SourceFile": "id",  # per source and table: the file content last loaded (ingest skips it)
}

# Labels of the system's own bookkeeping: not data, left out of dumps and emptiness checks.
BOOKKEEPING_LABELS: tuple[str, ...] = (
    "SchemaMeta",
    "SourceFile",
    "ApiKey",
    "Subscription",
    "LoadLock",
    "Community",  # derived by graph.communities after an ingest
)

# (type, from label, to label)
# (SAME_AS, Organization - Organization, is written by entity resolution and drawn in MODEL.md;
# it is not listed here, where every type needs its name on the service's pages.)
RELATIONSHIPS: list[tuple[str, str, str]] = [
    ("PART_OF", "Organization", "Organization"),
    # the reference data's hierarchies: WZ division -> section, municipality -> district -> ...
    ("PART_OF", "Industry", "Industry"),
    ("PART_OF", "Region", "Region"),
    ("PRACTISES", "Organization", "Trade"),
    ("IN_INDUSTRY", "Organization", "Industry"),
    ("LOCATED_IN", "Organization", "Region"),
    ("HAS_COMPETENCE", "Organization|Person", "Competence"),
    ("WORKS_AT", "Person", "Organization"),
    ("HAS_NEED", "Organization", "Need"),
    ("PARTICIPATED_IN", "Organization", "Project"),
    ("ATTENDED", "Organization", "Event"),
    # written by the service: an accepted suggestion for a need (need key, when, by whom)
    ("COOPERATES_WITH", "Organization", "Organization"),
    # what staff did with a suggestion: contacted / accepted / rejected, with a note
    ("FEEDBACK", "Need", "Organization"),
    # a need's history and the answers of universities (graph.cases)
    ("HAS_EVENT", "Need", "NeedEvent"),
    ("GAVE_ANSWER", "Organization", "Answer"),
    ("ANSWERS", "Answer", "Need"),
    # a need a subscription has listed (so it is listed once)
    ("SEEN", "Subscription", "Need"),
]
