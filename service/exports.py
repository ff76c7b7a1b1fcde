"""Export formats: nodes and edges as GraphML and GEXF (for Gephi, yEd, networkx), organisations
as CSV. Pure functions on the explorer's plain data (`service.api.graph_views`); the caller has
already shaped every node for the role.

XML is built with `xml.etree`, which escapes markup; characters XML 1.0 cannot hold at all
(control characters) are dropped first, since no escaping makes them legal.
The CSV has the columns, separators and decimal commas of the canonical `organizations.csv`
(ingest/FORMAT.md), so an export loads again (a decimal point is ambiguous there: `51.529`
reads as thousands); it starts with a byte order mark so spreadsheet programs read UTF-8, and
text cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from typing import Any

from graph.model import ORGANIZATION_COLUMNS
from graph.texts import defuse

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://www.gexf.net/1.2draft"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Fields every explorer node has; `data` adds the rest (an organisation's community, its
# community's coverage, the stored layout's x and y, centrality). `label` is the name, as Gephi
# and yEd show it; `type` the node's label in the graph (Organization, Need, ...).
NODE_FIELDS: tuple[tuple[str, str], ...] = (
    ("label", "string"),
    ("type", "string"),
    ("kind", "string"),
    ("name", "string"),
    ("city", "string"),
    ("region", "string"),
    ("degree", "long"),
)
# The canonical columns and the source: keys belong to their source, so the file loads back
# into the same nodes instead of being refused as another source's keys.
EXPORT_COLUMNS: tuple[str, ...] = (*ORGANIZATION_COLUMNS, "source", "outside_region")


def xml_text(value: Any) -> str:
    """A value as XML character data: lists joined by '|', illegal characters dropped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "|".join(xml_text(v) for v in value)
    return _NOT_XML.sub("", str(value))


class AttributeTypes:
    """The node attributes of a graph, gathered node by node: (id, name, type) of the fixed
    fields, then of every data field by name, each typed with the narrowest GraphML/GEXF
    type that holds all its values."""

    def __init__(self) -> None:
        # name -> [a value seen, all booleans, all integers, all numbers]
        self._seen: dict[str, list[bool]] = {}

    def add(self, node: Mapping[str, Any]) -> None:
        for name, value in (node.get("data") or {}).items():
            if name in _FIXED:
                continue
            flags = self._seen.setdefault(name, [False, True, True, True])
            if value is None:
                continue
            number = isinstance(value, int | float) and not isinstance(value, bool)
            flags[0] = True
            flags[1] = flags[1] and isinstance(value, bool)
            flags[2] = flags[2] and number and isinstance(value, int)
            flags[3] = flags[3] and number

    def attributes(self) -> list[tuple[str, str, str]]:
        attributes = [(f"n{i}", name, kind) for i, (name, kind) in enumerate(NODE_FIELDS)]
        for name in sorted(self._seen):
            seen, booleans, integers, numbers = self._seen[name]
            if seen and booleans:
                kind = "boolean"
            elif seen and integers:
                kind = "long"
            elif seen and numbers:
                kind = "double"
            else:
                kind = "string"
            attributes.append((f"n{len(attributes)}", name, kind))
        return attributes


_FIXED = frozenset(name for name, _ in NODE_FIELDS)


def attributes_of(nodes: Iterable[Mapping[str, Any]]) -> list[tuple[str, str, str]]:
    """(id, name, type) of every node attribute: the fixed fields, then the data fields."""
    types = AttributeTypes()
    for node in nodes:
        types.add(node)
    return types.attributes()


def _value(node: Mapping[str, Any], name: str) -> Any:
    if name == "label":
        return node.get("name") or node.get("id")
    if name == "type":
        return node.get("label")
    if name in _FIXED:
        return node.get(name)
    return (node.get("data") or {}).get(name)


def _xml(element: ET.Element) -> str:
    return ET.tostring(element, encoding="unicode")


def _container(tag: str, attrib: dict[str, str], children: Iterator[str]) -> Iterator[str]:
    """An element around children serialised one by one, written as xml.etree would write it
    whole (`<tag ... />` when it has none)."""
    empty = _xml(ET.Element(tag, attrib))
    first = next(children, None)
    if first is None:
        yield empty
        return
    yield empty[: -len(" />")] + ">"
    yield first
    yield from children
    yield f"</{tag}>"


def graphml_chunks(
    attributes: list[tuple[str, str, str]],
    nodes: Iterable[Mapping[str, Any]],
    edges: Iterable[Mapping[str, Any]],
) -> Iterator[str]:
    """A directed GraphML document in pieces, node by node: `attributes` (of AttributeTypes)
    must cover the nodes, since the keys come first."""
    yield _DECLARATION
    root = _xml(ET.Element("graphml", {"xmlns": GRAPHML_NS}))
    yield root[: -len(" />")] + ">"
    for key_id, name, kind in attributes:
        yield _xml(
            ET.Element("key", {"id": key_id, "for": "node", "attr.name": name, "attr.type": kind})
        )
    yield _xml(
        ET.Element("key", {"id": "e0", "for": "edge", "attr.name": "type", "attr.type": "string"})
    )

    def elements() -> Iterator[str]:
        for node in nodes:
            element = ET.Element("node", {"id": xml_text(node["id"])})
            for key_id, name, _ in attributes:
                value = _value(node, name)
                if value is not None and value != "":
                    ET.SubElement(element, "data", {"key": key_id}).text = xml_text(value)
            yield _xml(element)
        for edge in edges:
            element = ET.Element(
                "edge",
                {
                    "id": xml_text(edge["id"]),
                    "source": xml_text(edge["source"]),
                    "target": xml_text(edge["target"]),
                },
            )
            ET.SubElement(element, "data", {"key": "e0"}).text = xml_text(edge["type"])
            yield _xml(element)

    yield from _container("graph", {"id": "partnergraph", "edgedefault": "directed"}, elements())
    yield "</graphml>"


def to_graphml(nodes: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]]) -> str:
    """A directed GraphML document; every node field becomes a typed `<data>` key."""
    return "".join(graphml_chunks(attributes_of(nodes), nodes, edges))


_GEXF_TYPES = {"long": "long", "double": "double", "boolean": "boolean", "string": "string"}


def gexf_chunks(
    attributes: list[tuple[str, str, str]],
    nodes: Iterable[Mapping[str, Any]],
    edges: Iterable[Mapping[str, Any]],
    *,
    description: str = "",
) -> Iterator[str]:
    """A static, directed GEXF 1.2 document in pieces, node by node (see graphml_chunks)."""
    yield _DECLARATION
    root = _xml(ET.Element("gexf", {"xmlns": GEXF_NS, "version": "1.2"}))
    yield root[: -len(" />")] + ">"
    meta = ET.Element("meta")
    ET.SubElement(meta, "creator").text = "partnergraph"
    if description:
        ET.SubElement(meta, "description").text = xml_text(description)
    yield _xml(meta)
    graph = _xml(ET.Element("graph", {"mode": "static", "defaultedgetype": "directed"}))
    yield graph[: -len(" />")] + ">"
    node_attributes = ET.Element("attributes", {"class": "node"})
    for key_id, name, kind in attributes:
        ET.SubElement(
            node_attributes, "attribute", {"id": key_id, "title": name, "type": _GEXF_TYPES[kind]}
        )
    yield _xml(node_attributes)
    edge_attributes = ET.Element("attributes", {"class": "edge"})
    ET.SubElement(edge_attributes, "attribute", {"id": "e0", "title": "type", "type": "string"})
    yield _xml(edge_attributes)

    def node_elements() -> Iterator[str]:
        for node in nodes:
            element = ET.Element(
                "node",
                {"id": xml_text(node["id"]), "label": xml_text(node.get("name") or node["id"])},
            )
            values = ET.SubElement(element, "attvalues")
            for key_id, name, _ in attributes:
                value = _value(node, name)
                if value is not None and value != "":
                    ET.SubElement(values, "attvalue", {"for": key_id, "value": xml_text(value)})
            yield _xml(element)

    def edge_elements() -> Iterator[str]:
        for edge in edges:
            element = ET.Element(
                "edge",
                {
                    "id": xml_text(edge["id"]),
                    "source": xml_text(edge["source"]),
                    "target": xml_text(edge["target"]),
                    "label": xml_text(edge["type"]),
                },
            )
            values = ET.SubElement(element, "attvalues")
            ET.SubElement(values, "attvalue", {"for": "e0", "value": xml_text(edge["type"])})
            yield _xml(element)

    yield from _container("nodes", {}, node_elements())
    yield from _container("edges", {}, edge_elements())
    yield "</graph></gexf>"


def to_gexf(
    nodes: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    *,
    description: str = "",
) -> str:
    """A static, directed GEXF 1.2 document (Gephi's own format); node fields as attributes."""
    return "".join(gexf_chunks(attributes_of(nodes), nodes, edges, description=description))


def csv_cell(value: Any) -> str:
    """A value for a spreadsheet cell: lists joined by '|', a text cell that starts like a
    formula defused (whatever its column: names, keys, addresses, lists)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        # Only the start of the cell makes a formula: the joined text is defused, once.
        return defuse("|".join(_plain(v) for v in value))
    if isinstance(value, bool | int | float):
        return _plain(value)
    return defuse(str(value))


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(value).replace(".", ",")  # German decimals, as the ingest reads them
    return str(value)


def organizations_csv_chunks(rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """Organisations in the columns of the canonical organizations.csv (';', UTF-8 with BOM),
    a row at a time."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow([csv_cell(row.get(column)) for column in EXPORT_COLUMNS])
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


def organizations_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    """Organisations in the columns of the canonical organizations.csv (';', UTF-8 with BOM)."""
    return "".join(organizations_csv_chunks(rows))


def buffered(pieces: Iterable[str], size: int = 1 << 16) -> Generator[bytes, None, None]:
    """Pieces of text as UTF-8 in chunks of about `size` bytes: one write per chunk, not per
    element."""
    held: list[str] = []
    length = 0
    for piece in pieces:
        held.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(held).encode("utf-8")
            held, length = [], 0
    if held:
        yield "".join(held).encode("utf-8")
