"""Write queries of the ingest: one function per query, rows in, counts out.

Every function takes a batch of plain dicts and writes it in one transaction, so the graph only
ever holds whole batches. New nodes are CREATEd (the caller knows from `existing_state` which
keys are new) and known ones MATCHed and updated: that spares MERGE's lock-and-check on the
first load, which is most of the cost of a big import.
"""

from __future__ import annotations

from typing import LiteralString

from .connection import Graph, Row
from .model import HUB_LABELS, NODE_KEYS, RELATIONSHIPS, TEXT_LABELS, Label, LoadedLink

# The queries below that differ only in their label are written once, as a shape, and built
# from it for each label when this module is imported. The label goes into the text, not into a
# dynamic `n:$($label)`: Neo4j 5.26 plans that as a scan of every node instead of a seek in the
# key's index (312,012 db hits against 9 for one key). Only members of the closed vocabulary in
# `model` are written into the text, never a value that comes with a call.

# The labels whose nodes files bring (the hubs come from the reference tables).
_FILE_LABELS: tuple[Label, ...] = (
    Label.Organization,
    Label.Person,
    Label.Competence,
    Label.Need,
    Label.Project,
    Label.Event,
)
assert set(_FILE_LABELS) == set(Label) - set(HUB_LABELS)
# (from label, to label) of each relationship type that files carry as rows
_LINK_ENDS: dict[LoadedLink, tuple[str, str]] = {
    link: next((a, b) for t, a, b in RELATIONSHIPS if t == link) for link in LoadedLink
}

# --- what is there already -------------------------------------------------------------------


def _node_state(label: Label) -> LiteralString:
    key = NODE_KEYS[label]
    # Only texts have a vector: other nodes answer null without looking for the properties.
    vector = "n.text_hash, n.embedding_model" if label in TEXT_LABELS else "null, null"
    return (
        "UNWIND $keys AS k MATCH (n:" + label + " {" + key + ": k}) "
        "RETURN collect([n." + key + ", n.hash, " + vector + ", n.source]) AS rows"
    )


def _link_state(link: LoadedLink) -> LiteralString:
    start, end = _LINK_ENDS[link]
    return (
        "UNWIND $keys AS k "
        "MATCH (:" + start + " {" + NODE_KEYS[start] + ": split(k, '->')[0]})"
        "-[r:" + link + "]->"
        "(:" + end + " {" + NODE_KEYS[end] + ": split(k, '->')[1]}) "
        "RETURN collect([k, r.hash, null, null, r.source]) AS rows"
    )


_STATE: dict[Label | LoadedLink, LiteralString] = {
    **{label: _node_state(label) for label in Label},
    **{link: _link_state(link) for link in LoadedLink},
}


def existing_state(graph: Graph, label: Label | LoadedLink, keys: list[str]) -> dict[str, Row]:
    """key -> {hash, text_hash, model, source} for the keys of `label` already in the graph.

    Keys are unique per label across all sources: the ingest refuses a row whose key belongs
    to another source's node rather than overwrite that node."""
    # One record holding a list: far fewer round trips than one record per key.
    rows = graph.read(_STATE[label], keys=keys)[0]["rows"]
    return {key: {"hash": h, "text_hash": t, "model": m, "source": s} for key, h, t, m, s in rows}


def part_of_chains(graph: Graph, keys: list[str]) -> dict[str, str | None]:
    """The PART_OF parent of every organisation on the way up from each of `keys` (the keys
    themselves included; None at the top)."""
    rows = graph.read(
        "UNWIND $keys AS k MATCH (:Organization {key: k})-[:PART_OF*0..]->(o:Organization) "
        "WITH DISTINCT o OPTIONAL MATCH (o)-[:PART_OF]->(p:Organization) "
        "RETURN o.key AS key, min(p.key) AS parent",
        keys=keys,
    )
    return {row["key"]: row["parent"] for row in rows}


def _keys_of_source(label: Label) -> LiteralString:
    return "MATCH (n:" + label + " {source: $source}) RETURN n.key AS key"


_KEYS_OF_SOURCE: dict[Label, LiteralString] = {
    label: _keys_of_source(label) for label in _FILE_LABELS
}


def keys_of_source(graph: Graph, label: Label, source: str) -> set[str]:
    """The keys of the nodes of `label` that came from `source` (none for the reference hubs,
    which belong to no file's source)."""
    if label not in _KEYS_OF_SOURCE:
        return set()
    return {row["key"] for row in graph.read(_KEYS_OF_SOURCE[label], source=source)}


# --- reference data --------------------------------------------------------------------------


def upsert_trades(graph: Graph, rows: list[Row]) -> None:
    graph.write(
        "UNWIND $rows AS row MERGE (t:Trade {code: row.code}) "
        "SET t.name = row.name, t.annex = row.annex, t.source = row.source, t.hash = row.hash",
        rows=rows,
    )


def upsert_industries(graph: Graph, rows: list[Row]) -> None:
    graph.write(
        "UNWIND $rows AS row MERGE (i:Industry {code: row.code}) "
        "SET i.name = row.name, i.level = row.level, i.source = row.source, i.hash = row.hash "
        "WITH i, row WHERE row.parent IS NOT NULL "
        "MERGE (p:Industry {code: row.parent}) MERGE (i)-[:PART_OF]->(p)",
        rows=rows,
    )


def upsert_regions(graph: Graph, rows: list[Row]) -> None:
    graph.write(
        "UNWIND $rows AS row MERGE (r:Region {key: row.key}) "
        "SET r.name = row.name, r.kind = row.kind, r.lat = row.lat, r.lon = row.lon, "
        "r.source = row.source, r.hash = row.hash "
        "WITH r, row WHERE row.parent_key IS NOT NULL "
        "MERGE (p:Region {key: row.parent_key}) MERGE (r)-[:PART_OF]->(p)",
        rows=rows,
    )


# --- organisations and people ------------------------------------------------------------------


def create_organizations(graph: Graph, rows: list[Row]) -> None:
    """New organisations with their trades, industries and region (one transaction).

    Safe to run for several batches at once: the batches share only the reference nodes they
    link to, and a deadlock over those is retried."""
    graph.write_retrying(
        "UNWIND $rows AS row CREATE (o:Organization) SET o = row.props "
        "WITH o, row "
        "CALL (o, row) { UNWIND row.trades AS code MATCH (t:Trade {code: code}) "
        "  CREATE (o)-[:PRACTISES]->(t) } "
        "CALL (o, row) { UNWIND row.industries AS code MATCH (i:Industry {code: code}) "
        "  CREATE (o)-[:IN_INDUSTRY]->(i) } "
        "CALL (o, row) { MATCH (r:Region {key: row.region_key}) CREATE (o)-[:LOCATED_IN]->(r) }",
        rows=rows,
    )


def update_organizations(graph: Graph, rows: list[Row]) -> None:
    """Changed organisations: properties replaced, classification links rebuilt."""
    graph.write(
        "UNWIND $rows AS row MATCH (o:Organization {key: row.props.key}) SET o = row.props "
        "WITH o, row "
        "CALL (o) { MATCH (o)-[old:PRACTISES|IN_INDUSTRY|LOCATED_IN]->() DELETE old } "
        "CALL (o, row) { UNWIND row.trades AS code MATCH (t:Trade {code: code}) "
        "  CREATE (o)-[:PRACTISES]->(t) } "
        "CALL (o, row) { UNWIND row.industries AS code MATCH (i:Industry {code: code}) "
        "  CREATE (o)-[:IN_INDUSTRY]->(i) } "
        "CALL (o, row) { MATCH (r:Region {key: row.region_key}) CREATE (o)-[:LOCATED_IN]->(r) }",
        rows=rows,
    )


def link_parents(graph: Graph, rows: list[Row]) -> None:
    """PART_OF for organisations (after all of them exist, parents may come later in a file),
    and their content hash, which marks them complete."""
    graph.write(
        "UNWIND $rows AS row MATCH (o:Organization {key: row.key}) SET o.hash = row.hash "
        "WITH o, row "
        "CALL (o) { MATCH (o)-[old:PART_OF]->() DELETE old } "
        "WITH o, row WHERE row.parent_key IS NOT NULL "
        "MATCH (p:Organization {key: row.parent_key}) CREATE (o)-[:PART_OF]->(p)",
        rows=rows,
    )


def upsert_people(graph: Graph, rows: list[Row]) -> None:
    graph.write(
        "UNWIND $rows AS row MERGE (p:Person {key: row.props.key}) SET p = row.props "
        "WITH p, row "
        "CALL (p) { MATCH (p)-[old:WORKS_AT]->() DELETE old } "
        "CALL (p, row) { MATCH (o:Organization {key: row.org_key}) CREATE (p)-[:WORKS_AT]->(o) }",
        rows=rows,
    )


# --- texts with embeddings ----------------------------------------------------------------------


def upsert_competences(graph: Graph, rows: list[Row]) -> None:
    """Competences and their owner (organisation or person); `embedding` null keeps the old."""
    graph.write(
        "UNWIND $rows AS row MERGE (c:Competence {key: row.props.key}) "
        "SET c += row.props "
        "WITH c, row "
        "CALL (c, row) { WITH c, row WHERE row.embedding IS NOT NULL "
        "  CALL db.create.setNodeVectorProperty(c, 'embedding', row.embedding) } "
        "CALL (c) { MATCH (c)<-[old:HAS_COMPETENCE]-() DELETE old } "
        "CALL (c, row) { OPTIONAL MATCH (o:Organization {key: row.owner_key}) "
        "  OPTIONAL MATCH (p:Person {key: row.owner_key}) "
        "  WITH coalesce(o, p) AS owner WHERE owner IS NOT NULL "
        "  CREATE (owner)-[:HAS_COMPETENCE]->(c) }",
        rows=rows,
    )


def upsert_needs(graph: Graph, rows: list[Row]) -> None:
    graph.write(
        "UNWIND $rows AS row MERGE (n:Need {key: row.props.key}) "
        "SET n += row.props, n.created_at = CASE WHEN row.created_at IS NULL THEN null "
        "  ELSE date(row.created_at) END "
        "WITH n, row "
        "CALL (n, row) { WITH n, row WHERE row.embedding IS NOT NULL "
        "  CALL db.create.setNodeVectorProperty(n, 'embedding', row.embedding) } "
        "CALL (n) { MATCH (n)<-[old:HAS_NEED]-() DELETE old } "
        "CALL (n, row) { MATCH (o:Organization {key: row.org_key}) CREATE (o)-[:HAS_NEED]->(n) }",
        rows=rows,
    )


def upsert_projects(graph: Graph, rows: list[Row]) -> None:
    graph.write(
        "UNWIND $rows AS row MERGE (p:Project {key: row.props.key}) "
        "SET p += row.props, "
        "  p.start = CASE WHEN row.start IS NULL THEN null ELSE date(row.start) END, "
        "  p.end = CASE WHEN row.end IS NULL THEN null ELSE date(row.end) END "
        "WITH p, row "
        "CALL (p, row) { WITH p, row WHERE row.embedding IS NOT NULL "
        "  CALL db.create.setNodeVectorProperty(p, 'embedding', row.embedding) }",
        rows=rows,
    )


# --- re-embedding ---------------------------------------------------------------------------------


def _stale_texts(label: Label) -> LiteralString:
    return (
        "MATCH (n:" + label + ") WHERE n.embedding_model IS NULL "
        "OR n.embedding_model <> $model RETURN n.key AS key, n.title AS title, n.text AS text "
        "ORDER BY n.key LIMIT $limit"
    )


def _set_vectors(label: Label) -> LiteralString:
    return (
        "UNWIND $rows AS row MATCH (n:" + label + " {key: row.key}) "
        "CALL db.create.setNodeVectorProperty(n, 'embedding', row.embedding) "
        "SET n.embedding_model = $model, n.embedding_dim = $dimension, n.text_hash = row.text_hash"
    )


_STALE_TEXTS: dict[Label, LiteralString] = {label: _stale_texts(label) for label in TEXT_LABELS}
_SET_VECTORS: dict[Label, LiteralString] = {label: _set_vectors(label) for label in TEXT_LABELS}


def stale_texts(graph: Graph, label: Label, model: str, limit: int) -> list[Row]:
    """Texts of `label` (one of `TEXT_LABELS`) whose vector was made by another model, or by
    none."""
    return graph.read(_STALE_TEXTS[label], model=model, limit=limit)


def set_embeddings(graph: Graph, label: Label, rows: list[Row], model: str, dimension: int) -> None:
    """Store the vectors of texts of `label` (one of `TEXT_LABELS`) with the model that made
    them and the hash of the text they were made from (rows: key, embedding, text_hash)."""
    graph.write(_SET_VECTORS[label], rows=rows, model=model, dimension=dimension)


# --- events and links ----------------------------------------------------------------------------


def upsert_events(graph: Graph, rows: list[Row]) -> None:
    graph.write(
        "UNWIND $rows AS row MERGE (e:Event {key: row.props.key}) SET e = row.props, "
        "  e.date = CASE WHEN row.date IS NULL THEN null ELSE date(row.date) END",
        rows=rows,
    )


def upsert_participations(graph: Graph, rows: list[Row]) -> None:
    graph.write(
        "UNWIND $rows AS row "
        "MATCH (o:Organization {key: row.org_key}) MATCH (p:Project {key: row.project_key}) "
        "MERGE (o)-[r:PARTICIPATED_IN]->(p) "
        "SET r.role = row.role, r.source = row.source, r.hash = row.hash",
        rows=rows,
    )


def upsert_attendances(graph: Graph, rows: list[Row]) -> None:
    graph.write(
        "UNWIND $rows AS row "
        "MATCH (o:Organization {key: row.org_key}) MATCH (e:Event {key: row.event_key}) "
        "MERGE (o)-[r:ATTENDED]->(e) SET r.source = row.source, r.hash = row.hash",
        rows=rows,
    )


# --- entity resolution ---------------------------------------------------------------------------


def other_sources_exist(graph: Graph, source: str) -> bool:
    """Whether any organisation came from another source (else there is nothing to resolve)."""
    rows = graph.read(
        "MATCH (o:Organization) WHERE o.source <> $source RETURN o.key AS key LIMIT 1",
        source=source,
    )
    return bool(rows)


def organizations_in_places(
    graph: Graph, postcodes: list[str], cities: list[str], other_than_source: str
) -> list[Row]:
    """Candidates for entity resolution: organisations of other sources sharing a place."""
    return graph.read(
        "CALL () { UNWIND $postcodes AS pc MATCH (o:Organization {postcode: pc}) RETURN o "
        "  UNION UNWIND $cities AS city MATCH (o:Organization) WHERE o.city = city RETURN o } "
        "WITH o WHERE o.source <> $source "
        "RETURN o.key AS key, o.name AS name, o.postcode AS postcode, o.city AS city, "
        "o.source AS source",
        postcodes=postcodes,
        cities=cities,
        source=other_than_source,
    )


def all_organization_places(graph: Graph) -> list[Row]:
    """Every organisation with what entity resolution compares: name and place."""
    return graph.read(
        "MATCH (o:Organization) RETURN o.key AS key, o.name AS name, o.postcode AS postcode, "
        "o.city AS city, o.source AS source"
    )


def link_same_as(graph: Graph, pairs: list[Row]) -> None:
    graph.write(
        "UNWIND $pairs AS pair "
        "MATCH (a:Organization {key: pair.a}) MATCH (b:Organization {key: pair.b}) "
        "MERGE (a)-[s:SAME_AS]-(b) SET s.score = pair.score, s.method = pair.method",
        pairs=pairs,
    )


def same_as_pairs(graph: Graph) -> list[Row]:
    return graph.read(
        "MATCH (a:Organization)-[s:SAME_AS]->(b:Organization) "
        "RETURN a.key AS a, b.key AS b, s.score AS score ORDER BY s.score DESC"
    )


# --- the ingest's manifest: which file content each source's tables last came from ----------


def source_files(graph: Graph, source: str) -> list[Row]:
    return graph.read(
        "MATCH (f:SourceFile {source: $source}) RETURN f.entity AS entity, f.sha256 AS sha256, "
        "f.file_entities AS file_entities, f.rows AS rows, f.model AS model, f.label AS label",
        source=source,
    )


def record_source_files(graph: Graph, source: str, rows: list[Row]) -> None:
    """Remember, per table, the file content just loaded whole (rows: entity, label, sha256,
    file, file_entities, rows, model)."""
    graph.write(
        "UNWIND $rows AS row MERGE (f:SourceFile {id: $source + '|' + row.entity}) "
        "SET f += row, f.source = $source, f.loaded_at = datetime()",
        source=source,
        rows=rows,
    )


def forget_source_files(graph: Graph, source: str, entities: list[str]) -> None:
    """Tables that did not load whole must be read again next time."""
    graph.write(
        "UNWIND $entities AS entity MATCH (f:SourceFile {id: $source + '|' + entity}) DELETE f",
        source=source,
        entities=entities,
    )


_COUNTS_OF_SOURCE: LiteralString = "RETURN " + ", ".join(
    "COUNT { MATCH (n:" + label + ") WHERE n.source = $source } AS " + label
    for label in _FILE_LABELS
)


def counts_of_source(graph: Graph, source: str) -> dict[str, int]:
    """How many nodes of each label ingest loads from files came from `source`.

    Labels written out, not `n:$($label)` (see above). One query for all labels, and one that
    plans quickly: the first re-load after a big load pays for planning it again (the
    statistics changed), and COUNT subqueries plan in about half the time of a UNION of the
    same counts."""
    row = graph.read(_COUNTS_OF_SOURCE, source=source)[0]
    return {label: int(n) for label, n in dict(row).items()}


def reference_tables_state(graph: Graph) -> Row:
    """The digest of the reference tables last written whole (None before the first), and how
    many Trade, Industry and Region nodes the graph holds (from Neo4j's count store)."""
    return graph.read(
        "OPTIONAL MATCH (f:SourceFile {id: 'reference|tables'}) "
        "RETURN f.sha256 AS sha256, COUNT { (:Trade) } AS Trade, "
        "COUNT { (:Industry) } AS Industry, COUNT { (:Region) } AS Region"
    )[0]


def record_reference_tables(graph: Graph, sha256: str, rows: int) -> None:
    """Remember the reference tables just written whole (their rows' digest)."""
    graph.write(
        "MERGE (f:SourceFile {id: 'reference|tables'}) "
        "SET f.source = 'reference', f.entity = 'reference_tables', f.file = 'data/reference', "
        "f.sha256 = $sha256, f.rows = $rows, f.loaded_at = datetime()",
        sha256=sha256,
        rows=rows,
    )


def plain_create_organizations(graph: Graph, rows: list[Row]) -> None:
    """The benchmarks' baseline: rows written as they are, no links, no checks."""
    graph.write("UNWIND $rows AS row CREATE (o:Organization) SET o = row", rows=rows)
