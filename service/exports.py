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
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ingest.records import ORGANIZATION_COLUMNS, defuse

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://www.gexf.net/1.2draft"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Fields every explorer node has; `data` adds the rest.
NODE_FIELDS: tuple[tuple[str, str], ...] = (
    ("label", "string"),
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


def _type_of(values: Iterable[Any]) -> str:
    """The narrowest GraphML/GEXF type that holds every non-empty value."""
    seen = [v for v in values if v is not None]
    if seen and all(isinstance(v, bool) for v in seen):
        return "boolean"
    if seen and all(isinstance(v, int) and not isinstance(v, bool) for v in seen):
        return "long"
    if seen and all(isinstance(v, int | float) and not isinstance(v, bool) for v in seen):
        return "double"
    return "string"


def _attributes(nodes: Sequence[Mapping[str, Any]]) -> list[tuple[str, str, str]]:
    """(id, name, type) of every node attribute: the fixed fields, then the data fields."""
    fixed = {name for name, _ in NODE_FIELDS}
    attributes = [(f"n{i}", name, kind) for i, (name, kind) in enumerate(NODE_FIELDS)]
    names = sorted({k for node in nodes for k in (node.get("data") or {}) if k not in fixed})
    for name in names:
        kind = _type_of((node.get("data") or {}).get(name) for node in nodes)
        attributes.append((f"n{len(attributes)}", name, kind))
    return attributes


def _value(node: Mapping[str, Any], name: str) -> Any:
    if any(name == field for field, _ in NODE_FIELDS):
        return node.get(name)
    return (node.get("data") or {}).get(name)


def to_graphml(nodes: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]]) -> str:
    """A directed GraphML document; every node field becomes a typed `<data>` key."""
    root = ET.Element("graphml", {"xmlns": GRAPHML_NS})
    attributes = _attributes(nodes)
    for key_id, name, kind in attributes:
        ET.SubElement(
            root, "key", {"id": key_id, "for": "node", "attr.name": name, "attr.type": kind}
        )
    ET.SubElement(
        root, "key", {"id": "e0", "for": "edge", "attr.name": "type", "attr.type": "string"}
    )
    graph = ET.SubElement(root, "graph", {"id": "partnergraph", "edgedefault": "directed"})
    for node in nodes:
        element = ET.SubElement(graph, "node", {"id": xml_text(node["id"])})
        for key_id, name, _ in attributes:
            value = _value(node, name)
            if value is not None and value != "":
                ET.SubElement(element, "data", {"key": key_id}).text = xml_text(value)
    for edge in edges:
        element = ET.SubElement(
            graph,
            "edge",
            {
                "id": xml_text(edge["id"]),
                "source": xml_text(edge["source"]),
                "target": xml_text(edge["target"]),
            },
        )
        ET.SubElement(element, "data", {"key": "e0"}).text = xml_text(edge["type"])
    return _DECLARATION + ET.tostring(root, encoding="unicode")


_GEXF_TYPES = {"long": "long", "double": "double", "boolean": "boolean", "string": "string"}


def to_gexf(
    nodes: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    *,
    description: str = "",
) -> str:
    """A static, directed GEXF 1.2 document (Gephi's own format); node fields as attributes."""
    root = ET.Element("gexf", {"xmlns": GEXF_NS, "version": "1.2"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "partnergraph"
    if description:
        ET.SubElement(meta, "description").text = xml_text(description)
    graph = ET.SubElement(root, "graph", {"mode": "static", "defaultedgetype": "directed"})
    attributes = _attributes(nodes)
    node_attributes = ET.SubElement(graph, "attributes", {"class": "node"})
    for key_id, name, kind in attributes:
        ET.SubElement(
            node_attributes, "attribute", {"id": key_id, "title": name, "type": _GEXF_TYPES[kind]}
        )
    edge_attributes = ET.SubElement(graph, "attributes", {"class": "edge"})
    ET.SubElement(edge_attributes, "attribute", {"id": "e0", "title": "type", "type": "string"})
    node_list = ET.SubElement(graph, "nodes")
    for node in nodes:
        element = ET.SubElement(
            node_list,
            "node",
            {"id": xml_text(node["id"]), "label": xml_text(node.get("name") or node["id"])},
        )
        values = ET.SubElement(element, "attvalues")
        for key_id, name, _ in attributes:
            value = _value(node, name)
            if value is not None and value != "":
                ET.SubElement(values, "attvalue", {"for": key_id, "value": xml_text(value)})
    edge_list = ET.SubElement(graph, "edges")
    for edge in edges:
        element = ET.SubElement(
            edge_list,
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
    return _DECLARATION + ET.tostring(root, encoding="unicode")


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


def organizations_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    """Organisations in the columns of the canonical organizations.csv (';', UTF-8 with BOM)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow([csv_cell(row.get(column)) for column in EXPORT_COLUMNS])
    return out.getvalue()
