"""The backup file: JSON lines that give back the graph exactly. Pure: values and lines in and
out, no Neo4j and no files (`graph.backup` holds the queries, `partnergraph.backup` the run).

Line 1 is the header; then every node; then every relationship:

    {"format": "partnergraph-backup", "format_version": 1, "partnergraph_version": "0.1.0",
     "created_at": "2026-11-25T05:00:00Z", "schema_version": 4, "model": "use-multilingual",
     "dimension": 512, "with_keys": true, "left_out": ["SchemaMeta", "SourceFile"],
     "counts": {"nodes": {"Organization": 8, ...}, "relationships": {"HAS_NEED": 3, ...}},
     "body_sha256": "..."}
    {"node": "Organization", "props": {"key": "org-1", "name": "...", ...}}
    {"rel": "HAS_NEED", "from": ["Organization", "org-1"], "to": ["Need", "need-1"], "props": {}}

A node is identified by its label and key (`model.NODE_KEYS`), so a backup does not depend on
Neo4j's internal ids; a node's further labels, if any, are listed in `"labels"`. Property values
are JSON where JSON is exact (strings, integers, floats, booleans and lists of them); every other
type is a one-key object:

    {"$date": "2026-05-14"}            also $datetime, $localdatetime, $time, $localtime and
    {"$duration": "P1M2DT3S"}          $duration: Neo4j's own toString(), read back by date(),
                                       datetime() ... so "…Z" stays an offset and "…[UTC]" a zone
    {"$point": {"srid": 4326, "coordinates": [7.46, 51.51]}}
    {"$bytes": "<base64>"}
    {"$vector": "<base64 of little-endian float32>"}   an embedding, bit for bit; restored with
                                       db.create.setNodeVectorProperty as the ingest stores it

The header's checksum covers every line after it, and its counts say how many lines of each
label and type follow, so a cut-off or edited file is refused before anything is written.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeGuard

import numpy as np
from neo4j.spatial import CartesianPoint, Point, WGS84Point

from partnergraph.errors import BackupError

from .model import NODE_KEYS

FORMAT = "partnergraph-backup"
FORMAT_VERSION = 1
# Embeddings live in this property (graph.vectors indexes it on every embedded label).
VECTOR_PROPERTY = "embedding"

# valueType() of Neo4j's temporal types -> the tag of their toString() in the file
TEMPORAL_TAGS: dict[str, str] = {
    "DATE": "$date",
    "ZONED DATETIME": "$datetime",
    "LOCAL DATETIME": "$localdatetime",
    "ZONED TIME": "$time",
    "LOCAL TIME": "$localtime",
    "DURATION": "$duration",
}
_TEMPORAL_TYPES = {tag: tag[1:] for tag in TEMPORAL_TAGS.values()}  # "$date" -> "date"
_POINT_TYPES: dict[int, type[Point]] = {
    7203: CartesianPoint,
    9157: CartesianPoint,
    4326: WGS84Point,
    4979: WGS84Point,
}
_TAGS = frozenset([*_TEMPORAL_TYPES, "$point", "$bytes", "$vector"])

Row = dict[str, Any]


@dataclass(frozen=True)
class Header:
    partnergraph_version: str
    created_at: str
    schema_version: int | None
    model: str | None
    dimension: int | None
    with_keys: bool
    left_out: tuple[str, ...]
    nodes: dict[str, int]
    relationships: dict[str, int]
    body_sha256: str
    format_version: int = FORMAT_VERSION

    def line(self) -> str:
        data = {
            "format": FORMAT,
            "format_version": self.format_version,
            "partnergraph_version": self.partnergraph_version,
            "created_at": self.created_at,
            "schema_version": self.schema_version,
            "model": self.model,
            "dimension": self.dimension,
            "with_keys": self.with_keys,
            "left_out": list(self.left_out),
            "counts": {"nodes": self.nodes, "relationships": self.relationships},
            "body_sha256": self.body_sha256,
        }
        return json.dumps(data, ensure_ascii=False) + "\n"

    @property
    def node_total(self) -> int:
        return sum(self.nodes.values())

    @property
    def relationship_total(self) -> int:
        return sum(self.relationships.values())


@dataclass(frozen=True)
class NodeRow:
    """A node ready for `graph.backup.create_nodes`: props, temporal values, vectors, labels."""

    label: str
    key: Any
    row: Row


@dataclass(frozen=True)
class RelationshipRow:
    """A relationship ready for `graph.backup.create_relationships`."""

    from_label: str
    to_label: str
    row: Row


# --- writing ---------------------------------------------------------------------------------


def primary_label(labels: Iterable[str]) -> str | None:
    """The label that identifies a node: the first of `NODE_KEYS` it carries."""
    present = set(labels)
    return next((label for label in NODE_KEYS if label in present), None)


def node_line(label: str, labels: list[str], props: Row, temporal: list[list[Any]]) -> str:
    """One node as a line. `temporal` holds [name, valueType, toString] of its temporal props."""
    item: Row = {"node": label, "props": encode_props(props, temporal, vectors=True)}
    extra = sorted(other for other in labels if other != label)
    if extra:
        item["labels"] = extra
    return _dumps(item)


def relationship_line(
    type_: str, start: tuple[str, Any], end: tuple[str, Any], props: Row, temporal: list[list[Any]]
) -> str:
    item = {
        "rel": type_,
        "from": list(start),
        "to": list(end),
        "props": encode_props(props, temporal, vectors=False),
    }
    return _dumps(item)


def encode_props(props: Row, temporal: list[list[Any]], *, vectors: bool) -> Row:
    as_text = {name: (value_type, text) for name, value_type, text in temporal}
    encoded: Row = {}
    for name in sorted(props):
        value = props[name]
        if name in as_text:
            encoded[name] = _temporal(*as_text[name])
        elif vectors and name == VECTOR_PROPERTY and (narrow := _float32(value)) is not None:
            encoded[name] = {"$vector": base64.b64encode(narrow.tobytes()).decode("ascii")}
        else:
            encoded[name] = _plain(value, name)
    return encoded


def _temporal(value_type: str, text: Any) -> Any:
    base = value_type.removeprefix("LIST<").replace(" NOT NULL", "").rstrip(">").strip()
    tag = TEMPORAL_TAGS[base]
    if isinstance(text, list):
        return [{tag: item} for item in text]
    return {tag: text}


def _plain(value: Any, name: str) -> Any:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, bytes | bytearray):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Point):
        return {"$point": {"srid": value.srid, "coordinates": list(value)}}
    if isinstance(value, list | tuple):
        return [_plain(item, name) for item in value]
    # A type this format does not know must stop the backup, never be written half.
    raise TypeError(f"property {name!r}: cannot back up a value of type {type(value).__name__}")


def _float32(value: Any) -> np.ndarray | None:
    """The list as little-endian float32 if float32 holds it exactly (what
    db.create.setNodeVectorProperty stored), else None."""
    # Neo4j lists hold one type: the first item tells.
    if not isinstance(value, list) or not value or not isinstance(value[0], float):
        return None
    wide = np.asarray(value, dtype=np.float64)
    narrow = wide.astype("<f4")
    return narrow if np.array_equal(narrow.astype(np.float64), wide, equal_nan=True) else None


def _dumps(item: Row) -> str:
    return json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n"


# --- reading ---------------------------------------------------------------------------------


def read_backup(lines: Iterable[tuple[int, bytes]], file: str) -> Iterator[Any]:
    """The header, then a NodeRow or RelationshipRow per line, every line checked.

    `lines` are (line number, raw bytes with the line break). Problems raise BackupError with
    file and line; the checks at the end (counts, checksum) run when the last line is read, so
    a caller that must not write a damaged backup reads it whole once before writing.
    """
    iterator = iter(lines)
    first = next(iterator, None)
    if first is None:
        raise BackupError(file, None, None, "the file is empty: it is not a partnergraph backup")
    header = parse_header(first[1], file)
    yield header
    state = _ReadState(header)
    digest = hashlib.sha256()
    last = 1
    for number, raw in iterator:
        last = number
        digest.update(raw)
        yield state.parse(_json_line(raw, file, number), file, number)
    state.check_counts(file, last)
    if digest.hexdigest() != header.body_sha256:
        raise BackupError(
            file,
            last,
            None,
            "the lines do not match the checksum in the header: the file was changed or "
            "damaged after it was written",
        )


def parse_header(raw: bytes, file: str) -> Header:
    not_backup = "not a partnergraph backup: the first line is not its header"
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(file, 1, None, not_backup) from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(file, 1, None, not_backup)
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise BackupError(file, 1, "format_version", "missing or not a whole number")
    if version > FORMAT_VERSION:
        raise BackupError(
            file,
            1,
            "format_version",
            f"written by a newer partnergraph (format version {version}); this one reads "
            f"version {FORMAT_VERSION}: update partnergraph to restore it",
        )
    if version < 1:
        raise BackupError(file, 1, "format_version", f"{version} is not a format version")
    counts = data.get("counts")
    nodes = counts.get("nodes") if isinstance(counts, dict) else None
    relationships = counts.get("relationships") if isinstance(counts, dict) else None
    for name, value in (("counts.nodes", nodes), ("counts.relationships", relationships)):
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and _whole(v) and v >= 0 for k, v in value.items()
        ):
            raise BackupError(file, 1, name, "must map names to counts")
    model, dimension = data.get("model"), data.get("dimension")
    if (model is None) != (dimension is None) or (
        model is not None and not (isinstance(model, str) and _whole(dimension) and dimension > 0)
    ):
        raise BackupError(file, 1, "model", "model and dimension: give both (text, number) or none")
    checksum = data.get("body_sha256")
    if not isinstance(checksum, str) or len(checksum) != 64:
        raise BackupError(file, 1, "body_sha256", "missing or not a SHA-256 digest")
    schema_version = data.get("schema_version")
    left_out = data.get("left_out") or []
    return Header(
        partnergraph_version=str(data.get("partnergraph_version", "")),
        created_at=str(data.get("created_at", "")),
        schema_version=schema_version if _whole(schema_version) else None,
        model=model,
        dimension=dimension,
        with_keys=bool(data.get("with_keys", False)),
        left_out=tuple(str(label) for label in left_out),
        nodes=dict(nodes),  # type: ignore[arg-type]
        relationships=dict(relationships),  # type: ignore[arg-type]
        body_sha256=checksum,
        format_version=version,
    )


def _json_line(raw: bytes, file: str, number: int) -> Row:
    if not raw.strip():
        raise BackupError(file, number, None, "an empty line: the file was changed")
    try:
        item = json.loads(raw)
    except UnicodeDecodeError as error:
        raise BackupError(file, number, None, "not UTF-8 text: the file is damaged") from error
    except json.JSONDecodeError as error:
        raise BackupError(
            file,
            number,
            None,
            f"not valid JSON ({error.msg}, column {error.colno}): the file is damaged or cut off",
        ) from error
    if not isinstance(item, dict):
        raise BackupError(file, number, None, "each line must be a JSON object")
    return item


@dataclass
class _ReadState:
    """What the lines read so far established: the nodes (for endpoints) and the counts."""

    header: Header
    nodes: set[tuple[str, Any]] = field(default_factory=set)
    node_counts: Counter[str] = field(default_factory=Counter)
    relationship_counts: Counter[str] = field(default_factory=Counter)

    def parse(self, item: Row, file: str, line: int) -> NodeRow | RelationshipRow:
        if "node" in item and "rel" not in item:
            return self._node(item, file, line)
        if "rel" in item and "node" not in item:
            return self._relationship(item, file, line)
        raise BackupError(
            file, line, None, 'a line must be a node ("node") or a relationship ("rel")'
        )

    def _node(self, item: Row, file: str, line: int) -> NodeRow:
        if self.relationship_counts:
            raise BackupError(file, line, "node", "nodes must come before every relationship")
        label = item["node"]
        if label not in NODE_KEYS:
            known = ", ".join(NODE_KEYS)
            raise BackupError(
                file, line, "node", f"{label!r} is not a label of the model ({known})"
            )
        props = item.get("props")
        if not isinstance(props, dict):
            raise BackupError(file, line, "props", "must be an object")
        key_name = NODE_KEYS[label]
        key = props.get(key_name)
        if not _identifier(key):
            raise BackupError(
                file, line, f"props.{key_name}", f"a {label} needs its key {key_name!r}"
            )
        if (label, key) in self.nodes:
            raise BackupError(file, line, f"props.{key_name}", f"{label} {key!r} is given twice")
        labels = item.get("labels", [])
        if not isinstance(labels, list) or not all(isinstance(x, str) and x for x in labels):
            raise BackupError(file, line, "labels", "must be a list of label names")
        plain, temporal, vectors = _decode_props(props, file, line, vectors=True)
        self.nodes.add((label, key))
        self.node_counts[label] += 1
        row = {"props": plain, "temporal": temporal, "vectors": vectors, "labels": labels}
        return NodeRow(label=label, key=key, row=row)

    def _relationship(self, item: Row, file: str, line: int) -> RelationshipRow:
        type_ = item["rel"]
        if not isinstance(type_, str) or not type_:
            raise BackupError(file, line, "rel", "must be the relationship's type")
        ends = []
        for side in ("from", "to"):
            end = item.get(side)
            if not (isinstance(end, list) and len(end) == 2 and end[0] in NODE_KEYS):
                raise BackupError(file, line, side, "must be [label, key] of a node")
            if (end[0], end[1]) not in self.nodes:
                raise BackupError(
                    file, line, side, f"{end[0]} {end[1]!r} is not a node of this backup"
                )
            ends.append(end)
        props = item.get("props", {})
        if not isinstance(props, dict):
            raise BackupError(file, line, "props", "must be an object")
        plain, temporal, _ = _decode_props(props, file, line, vectors=False)
        self.relationship_counts[type_] += 1
        row = {
            "from_key": ends[0][1],
            "to_key": ends[1][1],
            "type": type_,
            "props": plain,
            "temporal": temporal,
        }
        return RelationshipRow(from_label=ends[0][0], to_label=ends[1][0], row=row)

    def check_counts(self, file: str, last_line: int) -> None:
        expected = (self.header.nodes, self.header.relationships)
        found = (dict(self.node_counts), dict(self.relationship_counts))
        if _nonzero(expected[0]) == found[0] and _nonzero(expected[1]) == found[1]:
            return
        wanted = self.header.node_total, self.header.relationship_total
        read = sum(found[0].values()), sum(found[1].values())
        if read < wanted:
            reason = (
                f"the file ends after {read[0]:,} nodes and {read[1]:,} relationships, but its "
                f"header announces {wanted[0]:,} and {wanted[1]:,}: it is cut off"
            )
        else:
            differ = sorted(
                name
                for announced, seen in zip(expected, found, strict=True)
                for name in set(announced) | set(seen)
                if announced.get(name, 0) != seen.get(name, 0)
            )
            reason = (
                "the lines do not match the counts in the header (" + ", ".join(differ) + "): "
                "the file was changed after it was written"
            )
        raise BackupError(file, last_line, None, reason)


def _decode_props(
    props: Row, file: str, line: int, *, vectors: bool
) -> tuple[Row, list[Row], list[Row]]:
    """Plain values for `SET n = props`, temporal values as text for Cypher, vectors apart."""
    plain: Row = {}
    temporal: list[Row] = []
    found_vectors: list[Row] = []
    for name, value in props.items():
        where = f"props.{name}"
        if isinstance(value, dict) and "$vector" in value:
            if not vectors:
                raise BackupError(file, line, where, "vectors are stored on nodes only")
            found_vectors.append({"name": name, "values": _vector(value, file, line, where)})
            continue
        tag = _tag_of(value, file, line, where)
        if tag in _TEMPORAL_TYPES:
            text = _temporal_text(value, tag, file, line, where)
            kind = _TEMPORAL_TYPES[tag] + ("[]" if isinstance(value, list) else "")
            temporal.append({"name": name, "type": kind, "value": text})
        else:
            plain[name] = _decode_plain(value, file, line, where)
    return plain, temporal, found_vectors


def _tag_of(value: Any, file: str, line: int, where: str) -> str | None:
    """The one tag of a value or of a list's items (None for plain JSON values)."""
    items = value if isinstance(value, list) else [value]
    tags = {_single_tag(item, file, line, where) for item in items}
    if len(tags) > 1:
        raise BackupError(file, line, where, "a list must hold values of one type")
    return tags.pop() if tags else None


def _single_tag(value: Any, file: str, line: int, where: str) -> str | None:
    if not isinstance(value, dict):
        return None
    if len(value) != 1 or next(iter(value)) not in _TAGS - {"$vector"}:
        raise BackupError(file, line, where, f"unknown value {_preview(value)}")
    tag: str = next(iter(value))
    return tag


def _temporal_text(value: Any, tag: str, file: str, line: int, where: str) -> Any:
    texts = [item[tag] for item in value] if isinstance(value, list) else [value[tag]]
    if not all(isinstance(text, str) and text for text in texts):
        raise BackupError(file, line, where, f"{tag} must be text")
    return texts if isinstance(value, list) else texts[0]


def _decode_plain(value: Any, file: str, line: int, where: str) -> Any:
    if value is None:
        raise BackupError(file, line, where, "null is not a property value")
    if isinstance(value, list):
        items = [_decode_scalar(item, file, line, where) for item in value]
        if len({type(item) for item in items}) > 1:
            raise BackupError(file, line, where, "a list must hold values of one type")
        return items
    return _decode_scalar(value, file, line, where)


def _decode_scalar(value: Any, file: str, line: int, where: str) -> Any:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict) and "$bytes" in value:
        try:
            return base64.b64decode(value["$bytes"], validate=True)
        except (binascii.Error, TypeError) as error:
            raise BackupError(file, line, where, "$bytes is not base64") from error
    if isinstance(value, dict) and "$point" in value:
        return _point(value["$point"], file, line, where)
    raise BackupError(file, line, where, f"not a property value: {_preview(value)}")


def _point(value: Any, file: str, line: int, where: str) -> Point:
    srid = value.get("srid") if isinstance(value, dict) else None
    coordinates = value.get("coordinates") if isinstance(value, dict) else None
    point_type = _POINT_TYPES.get(srid) if _whole(srid) else None
    if (
        point_type is None
        or not isinstance(coordinates, list)
        or len(coordinates) != (3 if srid in (9157, 4979) else 2)
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coordinates)
    ):
        raise BackupError(file, line, where, f"not a point: {_preview(value)}")
    return point_type(float(c) for c in coordinates)


def _vector(value: Row, file: str, line: int, where: str) -> list[float]:
    text = value["$vector"]
    try:
        data = base64.b64decode(text, validate=True) if isinstance(text, str) else b""
    except binascii.Error:
        data = b""
    if len(value) != 1 or not data or len(data) % 4:
        raise BackupError(file, line, where, "$vector is not base64 of float32 values")
    vector: list[float] = np.frombuffer(data, dtype="<f4").astype(np.float64).tolist()
    return vector


def _identifier(value: Any) -> bool:
    return (isinstance(value, str) and value != "") or _whole(value)


def _whole(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {name: count for name, count in counts.items() if count}


def _preview(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
