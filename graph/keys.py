"""API keys of the service: stored as SHA-256 hashes, never as the keys themselves."""

from __future__ import annotations

from .connection import Graph, Row


def create_key(
    graph: Graph, *, id: str, name: str, role: str, organization: str | None, hash: str
) -> None:
    graph.write(
        "CREATE (:ApiKey {id: $id, name: $name, role: $role, organization: $organization, "
        "hash: $hash, created_at: datetime()})",
        id=id,
        name=name,
        role=role,
        organization=organization,
        hash=hash,
    )


def key_by_hash(graph: Graph, hash: str) -> Row | None:
    """The active key with this hash (revoked keys are not returned)."""
    rows = graph.read(
        "MATCH (k:ApiKey {hash: $hash}) WHERE k.revoked_at IS NULL "
        "RETURN k.id AS id, k.name AS name, k.role AS role, k.organization AS organization",
        hash=hash,
    )
    return rows[0] if rows else None


def list_keys(graph: Graph) -> list[Row]:
    return graph.read(
        "MATCH (k:ApiKey) RETURN k.id AS id, k.name AS name, k.role AS role, "
        "k.organization AS organization, toString(k.created_at) AS created_at, "
        "toString(k.revoked_at) AS revoked_at ORDER BY k.created_at, k.id"
    )


def revoke_key(graph: Graph, id: str) -> bool:
    """Mark the key revoked; False when there is no such key."""
    rows = graph.write(
        "MATCH (k:ApiKey {id: $id}) SET k.revoked_at = coalesce(k.revoked_at, datetime()) "
        "RETURN k.id AS id",
        id=id,
    )
    return bool(rows)
