"""What each role may see: pure functions that shape needs, organisations and people.

Needs carry a visibility set by the company:
- public: everyone sees the need and the company behind it;
- anonymous and confidential: universities and analysts read only the wording staff released
  for the need (`service.release`), under its opaque shared key, with a description of the
  company fixed at release ("mittelständisches Unternehmen in Hagen"; for confidential needs
  the district at most); a need without a current release is not theirs to see at all.
  As a second line, the company's name and contact data (e-mail addresses, phone numbers, web
  addresses) are scrubbed from the released words once more.
Staff and admins see everything. Universities and analysts never see contact data of
companies (street, people, e-mail), whatever the visibility.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from graph.model import COMPANY_KINDS, OrgKind, Visibility

from .auth import Principal
from .scrub import (
    DOMAIN,
    EMAIL,
    EMAIL_SCRUBBED,
    PHONE,
    PHONE_SCRUBBED,
    URL,
    WEB_SCRUBBED,
    Gazetteer,
    Owner,
    Scrubber,
    is_phone,
    own_domain_pattern,
)

SCRUBBED = "[Unternehmen]"

# kind -> (German noun, grammatical gender), so the size adjective agrees with the noun
KIND_DE: dict[str, tuple[str, str]] = {
    OrgKind.company: ("Unternehmen", "n"),
    OrgKind.craft_business: ("Handwerksbetrieb", "m"),
    OrgKind.service_provider: ("Dienstleister", "m"),
    OrgKind.university: ("Hochschule", "f"),
    OrgKind.institute: ("Institut", "n"),
    OrgKind.research_group: ("Forschungsgruppe", "f"),
    OrgKind.chamber: ("Kammer", "f"),
    OrgKind.agency: ("Agentur", "f"),
}
_ENDING = {"n": "es", "m": "er", "f": "e"}  # strong declension after the indefinite article
_CONTACT_FIELDS = ("street", "email", "phone", "website_contact", "source_id")


def shows_identity(principal: Principal, visibility: str | None) -> bool:
    return principal.privileged or visibility == Visibility.public


def size_class(employees: int | None) -> str | None:
    """The EU's size classes as the stem of the adjective staff use."""
    if employees is None:
        return None
    if employees < 10:
        return "klein"
    if employees < 250:
        return "mittelständisch"
    return "groß"


def adjective_ending(gender: str) -> str:
    """The ending of an adjective before a noun of `gender` after the indefinite article."""
    return _ENDING[gender]


def is_released(need: Mapping[str, Any]) -> bool:
    """Whether a non-public need has a release for its current words and visibility."""
    released = need.get("released_hash")
    return (
        released is not None
        and released == need.get("text_hash")
        and need.get("released_visibility") == need.get("visibility")
        and bool(need.get("shared_id"))
    )


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
) -> dict[str, Any] | None:
    """A need as `principal` may see it, with its company named or described; None when the
    caller may not see it at all (a non-public need without a current release)."""
    visibility = need.get("visibility")
    fields = ("key", "title", "text", "lang", "status", "visibility", "created_at")
    if shows_identity(principal, visibility):
        view = {field: need.get(field) for field in fields}
        view["organization"] = (
            {field: org.get(field) for field in ("key", "name", "kind", "city")} if org else None
        )
        view["organization_description"] = None
        return view
    if not is_released(need):
        return None
    names = _name_variants(org.get("name")) if org else []
    if org and org.get("key"):
        names += [str(org["key"]), str(need.get("key"))]
    website = org.get("website") if org else None
    view = {field: need.get(field) for field in fields}
    view["key"] = need["shared_id"]
    # Contact data first: a name scrubbed inside an address ("info@[Unternehmen].de") would
    # leave the address unrecognisable, and its rest in the text.
    view["title"] = scrub(scrub_contacts(need.get("shared_title"), website), names)
    view["text"] = scrub(scrub_contacts(need.get("shared_text"), website), names)
    view["organization"] = None
    view["organization_description"] = need.get("shared_description")
    return view


def organization_view(principal: Principal, org: Mapping[str, Any]) -> dict[str, Any]:
    """An organisation without its contact data when the caller may not see it: no street, no
    CRM id, coordinates rounded to about a kilometre (exact ones point at the door), and its
    description without the addresses, numbers and people typed into it."""
    view = dict(org)
    if not principal.privileged and org.get("kind") in COMPANY_KINDS:
        for field in _CONTACT_FIELDS:
            view.pop(field, None)
        for field in ("lat", "lon"):
            if isinstance(view.get(field), float | int):
                view[field] = round(float(view[field]), 2)
        if isinstance(view.get("description"), str):
            view["description"] = contact_free_description(view["description"], org)
    return view


# Contact data needs no names of the graph: its patterns (addresses, numbers, "Herr ...")
# and the organisation's own street and numbers find it.
_CONTACTS = Scrubber(Gazetteer(organizations=(), people=(), towns=(), districts=()))
# Descriptions without any of these hold no contact data the scrubber would find: most are
# skipped at the cost of one search (a whole-graph export shapes every organisation).
_MAY_HOLD_CONTACTS = re.compile(
    r"\d|@|\(at\)|www\.|https?:|\.(?:de|com|net|org|eu)\b|Herr|Frau|Dr\.|Prof\.|"
    r"[Aa]nsprech|[Kk]ontakt|[Ii]nhaber|[Gg]eschäftsführ|[Ss]tra(?:ß|ss)e|[Ww]eg\b|[Pp]latz",
)


def contact_free_description(text: str, org: Mapping[str, Any]) -> str:
    if not _MAY_HOLD_CONTACTS.search(text):
        return text
    owner = Owner.of(org)
    return _CONTACTS.contact_free(text, owner)


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
