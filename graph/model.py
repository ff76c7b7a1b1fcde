"""The graph model: node labels with their keys, relationship types, and the vocabulary of
the properties every package reads (organisation kinds, need statuses, visibilities).

This is the single definition of what the graph holds; `schema.py` derives its constraints
from it, the ingest validates against its enums, the service's OpenAPI schema shows them, and
`docs`-style tables in `graph/MODEL.md` describe it for people. Cypher text keeps its literals
(`{status: 'open'}`): queries are `LiteralString`s and never have values formatted into them.
"""

from __future__ import annotations

from enum import StrEnum


class Label(StrEnum):
    """The labels of the graph's data, in the explorer's order: content before the reference
    hubs (a neighbourhood that must be cut keeps the earlier ones)."""

    Organization = "Organization"
    Competence = "Competence"
    Need = "Need"
    Project = "Project"
    Event = "Event"
    Person = "Person"
    Trade = "Trade"
    Industry = "Industry"
    Region = "Region"


class LoadedLink(StrEnum):
    """Relationship types that files carry as rows of their own (a project's participants, an
    event's attendees), keyed `organisation key->target key`: the ingest loads them like nodes."""

    PARTICIPATED_IN = "PARTICIPATED_IN"
    ATTENDED = "ATTENDED"


# Labels whose text (title and text) is encoded for matching.
TEXT_LABELS: tuple[Label, ...] = (Label.Competence, Label.Project, Label.Need)
# Reference nodes many organisations link to: towns and districts, industries, trades.
HUB_LABELS: tuple[Label, ...] = (Label.Region, Label.Industry, Label.Trade)


class OrgKind(StrEnum):
    """An organisation's `kind`."""

    company = "company"
    craft_business = "craft_business"
    service_provider = "service_provider"
    university = "university"
    institute = "institute"
    research_group = "research_group"
    chamber = "chamber"
    agency = "agency"


# The kinds that are companies: their contact data and non-public needs are protected.
COMPANY_KINDS: frozenset[OrgKind] = frozenset(
    {OrgKind.company, OrgKind.craft_business, OrgKind.service_provider}
)


class NeedStatus(StrEnum):
    """A need's `status`."""

    open = "open"
    in_progress = "in_progress"
    solved = "solved"
    closed = "closed"


# Needs someone still works on (what universities may see).
ACTIVE_STATUSES: tuple[NeedStatus, ...] = (NeedStatus.open, NeedStatus.in_progress)


class Visibility(StrEnum):
    """A need's `visibility`, set by the company (see README "Security")."""

    public = "public"
    anonymous = "anonymous"
    confidential = "confidential"


# An organisation's properties and links as the columns of organizations.csv, in the order files
# are written (the canonical format, the sample generator, the service's CSV export).
ORGANIZATION_COLUMNS: tuple[str, ...] = (
    "key",
    "name",
    "kind",
    "description",
    "street",
    "postcode",
    "city",
    "district",
    "country",
    "lat",
    "lon",
    "website",
    "employees",
    "source_id",
    "parent_key",
    "trades",
    "industries",
)

# label -> the property that identifies a node of that label (unique, from the source)
NODE_KEYS: dict[str, str] = {
    Label.Organization: "key",
    Label.Trade: "code",
    Label.Industry: "code",
    Label.Region: "key",
    Label.Competence: "key",
    Label.Person: "key",
    Label.Need: "key",
    Label.Project: "key",
    Label.Event: "key",
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
