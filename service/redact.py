"""What each role may see: pure functions that shape needs, organisations and people.

Needs carry a visibility set by the company:
- public: everyone sees the need and the company behind it;
- anonymous: universities and analysts see the need and a description of the company
  ("mittelständisches Unternehmen in Hagen"), never its name or key;
- confidential: as anonymous, but the description names only the district, not the town or
  the size.
In both non-public cases the company's name, and contact data typed into the need's own
words (e-mail addresses, phone numbers, web addresses), are scrubbed from them too.
Staff and admins see everything. Universities and analysts never see contact data of
companies (street, people, e-mail), whatever the visibility.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .auth import Principal
from .scrub import (
    DOMAIN,
    EMAIL,
    EMAIL_SCRUBBED,
    PHONE,
    PHONE_SCRUBBED,
    URL,
    WEB_SCRUBBED,
    is_phone,
    own_domain_pattern,
)

COMPANY_KINDS = frozenset({"company", "craft_business", "service_provider"})
SCRUBBED = "[Unternehmen]"

# kind -> (German noun, grammatical gender), so the size adjective agrees with the noun
_KIND_DE = {
    "company": ("Unternehmen", "n"),
    "craft_business": ("Handwerksbetrieb", "m"),
    "service_provider": ("Dienstleister", "m"),
    "university": ("Hochschule", "f"),
    "institute": ("Institut", "n"),
    "research_group": ("Forschungsgruppe", "f"),
    "chamber": ("Kammer", "f"),
    "agency": ("Agentur", "f"),
}
_ENDING = {"n": "es", "m": "er", "f": "e"}  # strong declension after the indefinite article
_CONTACT_FIELDS = ("street", "email", "phone", "website_contact", "source_id")


def shows_identity(principal: Principal, visibility: str | None) -> bool:
    return principal.privileged or visibility == "public"


def size_class(employees: int | None) -> str | None:
    """The EU's size classes as the stem of the adjective staff use."""
    if employees is None:
        return None
    if employees < 10:
        return "klein"
    if employees < 250:
        return "mittelständisch"
    return "groß"


def anonymous_description(org: Mapping[str, Any] | None, visibility: str | None) -> str:
    """'mittelständisches Unternehmen in Hagen', or for confidential needs only the district."""
    if not org:
        return "ein Unternehmen der Region"
    noun, gender = _KIND_DE.get(org.get("kind") or "", ("Unternehmen", "n"))
    if visibility == "confidential":
        area = org.get("district")
        return f"{noun} im Gebiet {area}" if area else f"{noun} in der Region"
    size = size_class(org.get("employees"))
    town = org.get("city")
    words = f"{size}{_ENDING[gender]} {noun}" if size else noun
    return f"{words} in {town}" if town else words


def _phone_or_kept(match: re.Match[str]) -> str:
    found = match.group(0)
    return PHONE_SCRUBBED if is_phone(found) else found


def scrub_contacts(text: str | None, website: str | None = None) -> str | None:
    """`text` without e-mail addresses, phone numbers and web addresses; the company's own
    website's domain is removed wherever it stands, whatever it ends with. The patterns are
    service/scrub.py's, so the proposal of released wordings finds the same."""
    if not text:
        return text
    text = EMAIL.sub(EMAIL_SCRUBBED, text)
    text = URL.sub(WEB_SCRUBBED, text)
    own_domain = own_domain_pattern(website)
    if own_domain:
        text = own_domain.sub(WEB_SCRUBBED, text)
    text = DOMAIN.sub(WEB_SCRUBBED, text)
    return PHONE.sub(_phone_or_kept, text)


def scrub(text: str | None, names: list[str]) -> str | None:
    """`text` with every mention of the company's names replaced."""
    if not text:
        return text
    for name in sorted({n for n in names if n and len(n) >= 3}, key=len, reverse=True):
        text = re.sub(re.escape(name), SCRUBBED, text, flags=re.IGNORECASE)
    return text


def _name_variants(name: str | None) -> list[str]:
    """The full name and the name without its legal form ('Brandt Metallbau GmbH' -> 'Brandt
    Metallbau'), since texts rarely repeat the legal form."""
    if not name:
        return []
    full = name
    # Remarks in brackets ("(fiktiv)", "(Zweigniederlassung Hagen)") are not part of how texts
    # name the company.
    name = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip() or name
    core = re.sub(
        r"\s*(GmbH\s*&\s*Co\.?\s*KG|GmbH|AG|KG|OHG|e\.\s?K\.|e\.\s?V\.|UG|mbH|SE|KGaA)\b\.?\s*$",
        "",
        name,
        flags=re.IGNORECASE,
    ).strip()
    return [full, name, core] if core and core != name else [full, name]


def need_view(
    principal: Principal, need: Mapping[str, Any], org: Mapping[str, Any] | None
) -> dict[str, Any]:
    """A need as `principal` may see it, with its company named or described."""
    visibility = need.get("visibility")
    view = {
        field: need.get(field)
        for field in ("key", "title", "text", "lang", "status", "visibility", "created_at")
    }
    if shows_identity(principal, visibility):
        view["organization"] = (
            {field: org.get(field) for field in ("key", "name", "kind", "city")} if org else None
        )
        view["organization_description"] = None
        return view
    names = _name_variants(org.get("name")) if org else []
    if org and org.get("key"):
        names.append(str(org["key"]))
    website = org.get("website") if org else None
    # Contact data first: a name scrubbed inside an address ("info@[Unternehmen].de") would
    # leave the address unrecognisable, and its rest in the text.
    view["title"] = scrub(scrub_contacts(view["title"], website), names)
    view["text"] = scrub(scrub_contacts(view["text"], website), names)
    view["organization"] = None
    view["organization_description"] = anonymous_description(org, visibility)
    return view


def organization_view(principal: Principal, org: Mapping[str, Any]) -> dict[str, Any]:
    """An organisation without its contact data when the caller may not see it: no street, no
    CRM id, and coordinates rounded to about a kilometre (exact ones point at the door)."""
    view = dict(org)
    if not principal.privileged and org.get("kind") in COMPANY_KINDS:
        for field in _CONTACT_FIELDS:
            view.pop(field, None)
        for field in ("lat", "lon"):
            if isinstance(view.get(field), float | int):
                view[field] = round(float(view[field]), 2)
    return view


def person_view(
    principal: Principal, person: Mapping[str, Any], employer_kind: str | None
) -> dict[str, Any] | None:
    """A person, or None when the caller may not see people of this employer."""
    if principal.privileged:
        return dict(person)
    if employer_kind in COMPANY_KINDS:
        return None  # contact data of companies
    view = dict(person)
    view.pop("email", None)
    return view
