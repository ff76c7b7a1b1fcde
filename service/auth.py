"""Roles and API keys.

A key is a random token shown once when it is made (`partnergraph keys add`); the graph keeps
only its SHA-256 hash (keys are long random strings, so a fast hash is enough: nothing to brute
force). Requests carry it as `Authorization: Bearer <key>` or `X-API-Key: <key>`.

Roles:
- staff: everything about matching, needs, organisations and analytics;
- university: discovery; needs anonymised unless public, no contact data of companies;
- analyst: graph and analytics, anonymised;
- admin: everything staff may, plus keys and ingest.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from graph import keys
from graph.connection import Graph
from partnergraph.errors import Forbidden, InvalidRequest, Unauthorized

KEY_PREFIX = "pg_"


class Role(StrEnum):
    staff = "staff"
    university = "university"
    analyst = "analyst"
    admin = "admin"


# Roles that see companies' identities and contact data.
PRIVILEGED = frozenset({Role.staff, Role.admin})


@dataclass(frozen=True)
class Principal:
    key_id: str
    name: str
    role: Role
    organization: str | None  # the university's / institute's own organisation key

    @property
    def privileged(self) -> bool:
        return self.role in PRIVILEGED


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> tuple[str, str]:
    """A fresh (key id, secret key); the id is public, the key is shown once."""
    key_id = secrets.token_hex(4)
    return key_id, f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"


def add_key(
    graph: Graph, name: str, role: Role | str, organization: str | None = None
) -> tuple[str, str]:
    """Store a new key's hash; returns (key id, secret key)."""
    role = Role(role)
    if role is Role.university and not organization:
        raise InvalidRequest("a university key needs --organization: the key of its organisation")
    key_id, secret = new_key()
    keys.create_key(
        graph,
        id=key_id,
        name=name,
        role=role.value,
        organization=organization,
        hash=hash_key(secret),
    )
    return key_id, secret


_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer pg_...`")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key")


def principal_for(graph: Graph, key: str | None) -> Principal:
    if not key:
        raise Unauthorized("an API key is needed: send `Authorization: Bearer <key>`")
    row = keys.key_by_hash(graph, hash_key(key))
    if row is None:
        raise Unauthorized("the API key is unknown or has been revoked")
    return Principal(
        key_id=row["id"], name=row["name"], role=Role(row["role"]), organization=row["organization"]
    )


def key_of(request: Request) -> str | None:
    """The API key a request carries (Bearer token first), without checking it."""
    authorization = request.headers.get("authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.headers.get("x-api-key") or None


def current_principal(
    request: Request,
    bearer: HTTPAuthorizationCredentials | None = Depends(_bearer),
    header: str | None = Depends(_header),
) -> Principal:
    graph: Graph = request.app.state.graph_state.graph
    principal = principal_for(graph, bearer.credentials if bearer else header)
    request.state.principal = principal  # for the request log
    return principal


def require(*roles: Role) -> Callable[..., Principal]:
    """A dependency that lets only these roles (admin always) through: 401 / 403 otherwise."""
    allowed = frozenset(roles) | {Role.admin}

    def dependency(principal: Principal = Depends(current_principal)) -> Principal:
        if principal.role not in allowed:
            names = ", ".join(sorted(r.value for r in allowed))
            raise Forbidden(f"the role {principal.role.value!r} may not do this (allowed: {names})")
        return principal

    return dependency
