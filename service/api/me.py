"""Who the caller is: the pages use it to show the role's views."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from service.auth import Principal, current_principal

router = APIRouter(tags=["session"])


class Me(BaseModel):
    key_id: str
    name: str
    role: str
    organization: str | None


@router.get("/me", summary="The caller's key: name, role and organisation")
def me(principal: Principal = Depends(current_principal)) -> Me:
    return Me(
        key_id=principal.key_id,
        name=principal.name,
        role=principal.role.value,
        organization=principal.organization,
    )
