"""The canonical input format: one typed record model per file, with the German and English
header names each column accepts. `FORMAT.md` beside this module documents it for people.

Validation needs the reference tables (trade codes, WZ codes); they are passed as the
pydantic validation context (`Reference`), so the models stay plain and testable.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from graph.model import ORGANIZATION_COLUMNS as ORGANIZATION_COLUMNS  # the sample generator's
from graph.model import Label, LoadedLink, NeedStatus, OrgKind, Visibility
from graph.reference import Reference
from graph.texts import FORMULA_START, detect_lang, evidence_text, fold

# --- limits and patterns ---------------------------------------------------------------------

MAX_SHORT = 300  # names, titles, cities
MAX_TEXT = 20_000  # descriptions and competence/need/project texts
MAX_KEY = 200
LIST_SEPARATORS = re.compile(r"\s*[|;]\s*")
# What a spreadsheet shows for a broken formula (English and German Excel, LibreOffice).
SPREADSHEET_ERRORS = frozenset(
    "#NULL! #DIV/0! #VALUE! #REF! #NAME? #NUM! #N/A #SPILL! #CALC! #FIELD! #BLOCKED! "
    "#CONNECT! #BUSY! #UNKNOWN! #GETTING_DATA #NV #WERT! #BEZUG! #ZAHL! #ÜBERLAUF! #KALK! "
    "Err:502 Err:504 Err:508 Err:522".split()
)
# Control characters are never data; in a terminal some of them (ESC) run commands.
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_DEFUSED = tuple("'" + start for start in FORMULA_START)
# The first characters of every spreadsheet error, of a defused formula start and of an XLSX
# formula without a value: a cell starting otherwise, without a control character, is looked
# at no further (most cells; the hot path of big files).
_SUSPECT_START = frozenset("#E'=")
# The same asked of a whole row at once, its text cells joined by "|": a row with no cell
# starting so and nothing unprintable has no cell to look at (a false alarm, such as a list
# cell "a|#b", only costs the look cell by cell).
_SUSPECT_FIRST = frozenset("#'=")
_SUSPECT_AFTER_JOIN = re.compile(r"\|(?:[#'=]|Err:)")


class FormulaText(str):
    """An XLSX formula cell without a computed value (written by a program, never opened in a
    spreadsheet): its formula, which is not a value and is refused."""

    __slots__ = ()


POSTCODE = re.compile(r"^\d{5}$")
# Dashes a word processor or a CMS puts in place of the hyphen-minus (U+2010 in
# "boehringer‐ingelheim.com"), and the soft hyphen; no web address or e-mail holds them.
_DASHES: dict[int, str | None] = {
    **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-"),
    # invisible: the soft hyphen, zero-width and no-break spaces, the word joiner, a stray BOM
    **dict.fromkeys(map(ord, "\u00ad\u200b\u00a0\u202f\u2060\ufeff"), None),
}
EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}$")
WEBSITE = re.compile(r"^(https?://)?[\w\-]+(\.[\w\-]+)+(:\d+)?(/[^\s<>\"']*)?$", re.IGNORECASE)


def header_name(value: str) -> str:
    """A header as a lookup name: folded, separators as single underscores."""
    return re.sub(r"[^a-z0-9]+", "_", fold(value)).strip("_")


# --- value parsers (used as BeforeValidators) ------------------------------------------------


_THOUSANDS_DECIMAL = re.compile(r"-?\d{1,3}(\.\d{3})+,\d+")
_DECIMAL_COMMA = re.compile(r"-?\d+,\d+")
_THOUSANDS = re.compile(r"-?\d{1,3}(\.\d{3})+")


def _german_number(value: Any) -> Any:
    """'51,5136' -> '51.5136'; '1.250,5' -> '1250.5'; '51.529' stays 51.529 (a decimal point:
    for counts see `_german_integer`); leaves real numbers alone."""
    if not isinstance(value, str):
        return value
    text = value.strip().replace(" ", "")
    if "," not in text:
        return text
    if _THOUSANDS_DECIMAL.fullmatch(text):
        return text.replace(".", "").replace(",", ".")
    if _DECIMAL_COMMA.fullmatch(text):
        return text.replace(",", ".")
    return text


def _german_integer(value: Any) -> Any:
    """'1.200' and '1.200.000' (thousands points) -> '1200', '1200000'; otherwise as numbers."""
    if isinstance(value, str) and _THOUSANDS.fullmatch(value.strip()):
        return value.strip().replace(".", "")
    return _german_number(value)


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        text = value.strip()
        match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ].*", text):
            return text[:10]
    return value


def _list(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in LIST_SEPARATORS.split(value) if part]
    return value


def _postcode(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A number (a spreadsheet's): its lost leading zero comes back for German ones below.
        return str(int(value))
    if isinstance(value, str):
        return value.strip().upper().removeprefix("D-").removeprefix("DE-").strip()
    return value


def _lower(value: Any) -> Any:
    return fold(value).replace(" ", "_").replace("-", "_") if isinstance(value, str) else value


GermanFloat = Annotated[float, BeforeValidator(_german_number)]
GermanInt = Annotated[int, BeforeValidator(_german_integer)]
Date = Annotated[dt.date, BeforeValidator(_date)]
Key = Annotated[str, Field(min_length=1, max_length=MAX_KEY)]
Short = Annotated[str, Field(min_length=1, max_length=MAX_SHORT)]
Text = Annotated[str, Field(max_length=MAX_TEXT)]


# --- the model's enumerations (graph.model) in their German spellings -------------------------

ORG_KIND_ALIASES = {
    "unternehmen": OrgKind.company,
    "firma": OrgKind.company,
    "industrie": OrgKind.company,
    "handwerk": OrgKind.craft_business,
    "handwerksbetrieb": OrgKind.craft_business,
    "craft": OrgKind.craft_business,
    "dienstleister": OrgKind.service_provider,
    "dienstleistung": OrgKind.service_provider,
    "ingenieurbuero": OrgKind.service_provider,
    "service": OrgKind.service_provider,
    "hochschule": OrgKind.university,
    "universitaet": OrgKind.university,
    "fachhochschule": OrgKind.university,
    "institut": OrgKind.institute,
    "forschungsinstitut": OrgKind.institute,
    "lehrstuhl": OrgKind.research_group,
    "arbeitsgruppe": OrgKind.research_group,
    "fachgebiet": OrgKind.research_group,
    "kammer": OrgKind.chamber,
    "wirtschaftsfoerderung": OrgKind.agency,
    "agentur": OrgKind.agency,
}


NEED_STATUS_ALIASES = {
    "offen": NeedStatus.open,
    "in_bearbeitung": NeedStatus.in_progress,
    "laufend": NeedStatus.in_progress,
    "geloest": NeedStatus.solved,
    "erledigt": NeedStatus.solved,
    "geschlossen": NeedStatus.closed,
}


VISIBILITY_ALIASES = {
    "oeffentlich": Visibility.public,
    "anonym": Visibility.anonymous,
    "anonymisiert": Visibility.anonymous,
    "vertraulich": Visibility.confidential,
}


def _alias(aliases: dict[str, str]) -> Any:
    def convert(value: Any) -> Any:
        if isinstance(value, str):
            name = _lower(value)
            return aliases.get(name, name)
        return value

    return BeforeValidator(convert)


# --- the record models -------------------------------------------------------------------------


class Record(BaseModel):
    """Common rules: no unknown fields reach the graph, no cell may be a spreadsheet formula."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, frozen=True)

    entity: ClassVar[str]
    label: ClassVar[Label | LoadedLink]
    key_field: ClassVar[str] = "key"
    required: ClassVar[tuple[str, ...]]
    aliases: ClassVar[dict[str, tuple[str, ...]]]
    references: ClassVar[dict[str, str]] = {}  # field -> label it points at
    # Optional fields whose bad value still refuses the row under --skip-invalid, where the
    # default the dropped cell would leave is no safe guess (a visibility of "geheim").
    keep_whole: ClassVar[frozenset[str]] = frozenset()

    # Where the row comes from (a `source` column); the ingest's source name when empty.
    source: Annotated[str | None, Field(max_length=100)] = None

    @model_validator(mode="before")
    @classmethod
    def _values_only(cls, data: Any) -> Any:
        """Cells hold values: no spreadsheet errors, no formulas without a computed value, no
        control characters. A defused formula start ("'=...") loses its apostrophe."""
        if not isinstance(data, dict):
            return data
        try:
            joined = "|".join(filter(None, data.values()))
        except TypeError:  # numbers or lists (JSON, spreadsheets): cell by cell
            pass
        else:
            if (
                (joined.isprintable() or not CONTROL.search(joined))
                and joined[:1] not in _SUSPECT_FIRST
                and not joined.startswith("Err:")
                and not _SUSPECT_AFTER_JOIN.search(joined)
            ):
                return data
        defused: dict[str, Any] = {}
        for name, value in data.items():
            if isinstance(value, str):
                if value[:1] in _SUSPECT_START or CONTROL.search(value):
                    _check_cell(name, value)
                    if value.startswith(_DEFUSED):
                        defused[name] = value[1:]
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, str) and (
                        item[:1] in _SUSPECT_START or CONTROL.search(item)
                    ):
                        _check_cell(name, item)
        return {**data, **defused} if defused else data

    def identity(self) -> str:
        return str(getattr(self, self.key_field))


def cell_error(fields: str, message: str) -> PydanticCustomError:
    """A validation error that names the cells at fault (space-separated field names), for
    checks that see the whole row: the ingest drops those cells under --skip-invalid."""
    return PydanticCustomError("cell", "{message}", {"message": message, "fields": fields})


def _check_cell(name: str, item: str) -> None:
    if isinstance(item, FormulaText):
        raise cell_error(
            name,
            f"{name}: {item[:40]!r} is a formula without a computed value; open and save the "
            "workbook in a spreadsheet program, or export values",
        )
    if item in SPREADSHEET_ERRORS:
        raise cell_error(
            name,
            f"{name}: {item!r} is a spreadsheet error, not a value (a broken formula in the "
            "export)",
        )
    control = CONTROL.search(item)
    if control:
        raise cell_error(
            name,
            f"{name}: control character {control.group()!r} at position "
            f"{control.start() + 1}: not text (a damaged export?)",
        )


def fixed(info: ValidationInfo, field: str, reason: str) -> None:
    """Note a value the validation repaired (kept, with a warning in the ingest report)."""
    fixes = (info.context or {}).get("fixes")
    if fixes is not None:
        fixes.append((field, reason))


def _address(value: str) -> str:
    """A web or e-mail address without the dashes and spaces word processors put in."""
    if value.isascii():
        return value.replace(" ", "") if " " in value else value
    return value.translate(_DASHES).replace(" ", "")


class OrganizationRecord(Record):
    entity: ClassVar[str] = "organizations"
    label: ClassVar[Label | LoadedLink] = Label.Organization
    required: ClassVar[tuple[str, ...]] = ("key", "name", "kind")
    aliases: ClassVar[dict[str, tuple[str, ...]]] = {
        "key": ("key", "id", "schluessel", "kennung", "org_key", "organisation_id"),
        "name": ("name", "firmenname", "firma", "organisation", "bezeichnung", "unternehmen"),
        "kind": ("kind", "art", "typ", "organisationsart", "type"),
        "description": ("description", "beschreibung", "profil", "taetigkeit", "taetigkeiten"),
        "street": ("street", "strasse", "adresse", "anschrift", "strasse_und_hausnummer"),
        "postcode": ("postcode", "plz", "postleitzahl", "zip", "postal_code"),
        "city": ("city", "ort", "stadt", "gemeinde"),
        "district": ("district", "kreis", "landkreis"),
        "country": ("country", "land"),
        "lat": ("lat", "latitude", "breitengrad", "breite"),
        "lon": ("lon", "lng", "longitude", "laengengrad", "laenge"),
        "website": ("website", "webseite", "homepage", "internet", "url"),
        "employees": ("employees", "mitarbeiter", "beschaeftigte", "mitarbeiterzahl"),
        "source_id": ("source_id", "quell_id", "crm_id", "externe_id"),
        "parent_key": ("parent_key", "part_of", "gehoert_zu", "uebergeordnet", "parent"),
        "trades": ("trades", "trade", "gewerk", "gewerke", "handwerk", "hwo"),
        "industries": (
            "industries",
            "industry",
            "branche",
            "branchen",
            "wz",
            "wz_code",
            "wz2008",
            "branche_wz",  # "Branche/WZ", as chamber exports write it
        ),
        "outside_region": ("outside_region", "ausserhalb_der_region", "ausserhalb"),
    }
    references: ClassVar[dict[str, str]] = {"parent_key": "Organization"}

    key: Key
    name: Short
    kind: Annotated[OrgKind, _alias(ORG_KIND_ALIASES)]
    description: Text | None = None
    street: Short | None = None
    # before postcode: the postcode check reads the country
    country: Annotated[str, Field(min_length=2, max_length=2)] = "DE"
    postcode: Annotated[str | None, BeforeValidator(_postcode)] = None
    city: Short | None = None
    district: Short | None = None
    lat: Annotated[GermanFloat | None, Field(ge=-90, le=90)] = None
    lon: Annotated[GermanFloat | None, Field(ge=-180, le=180)] = None
    website: Annotated[str | None, Field(max_length=500)] = None
    employees: Annotated[GermanInt | None, Field(ge=0, le=1_000_000)] = None
    source_id: Short | None = None
    parent_key: Key | None = None
    trades: Annotated[list[str], BeforeValidator(_list)] = []
    industries: Annotated[list[str], BeforeValidator(_list)] = []
    # A partner outside the region (a foreign partner of a CORDIS project): in the graph so
    # that cooperation with it counts, and marked so that pages can say so. Left out of the
    # record's JSON (the row hash), which `ingest.pipeline.row_hash` extends only when set:
    # the hashes of every organisation loaded before stay as they were.
    outside_region: Annotated[
        bool, BeforeValidator(lambda value: value or False), Field(exclude=True)
    ] = False

    @field_validator("postcode")
    @classmethod
    def _german_postcode(cls, value: str | None, info: ValidationInfo) -> str | None:
        """German postcodes have five digits; other countries' are kept as given."""
        if value is None or info.data.get("country", "DE") != "DE" or POSTCODE.match(value):
            return value
        if len(value) == 4 and value.isdigit():
            # Spreadsheets (and CORDIS) drop the leading zero of postcodes such as 06108.
            fixed(info, "postcode", f"{value!r} read as '0{value}' (the leading zero was lost)")
            return "0" + value
        raise ValueError(f"{value!r} is not a German postcode (five digits)")

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> Any:
        if value is None:
            return "DE"
        if isinstance(value, str) and fold(value) in {"deutschland", "germany", "de", "deu"}:
            return "DE"
        return value.upper() if isinstance(value, str) else value

    @field_validator("parent_key")
    @classmethod
    def _not_its_own_parent(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and value == info.data.get("key"):
            raise ValueError(f"{value!r} is the organisation itself; leave it empty at the top")
        return value

    @field_validator("website")
    @classmethod
    def _website(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        address = _address(value)
        if address != value:
            fixed(info, "website", f"{value[:60]!r} read as {address[:60]!r}")
        if not WEBSITE.match(address):
            raise ValueError(f"{value[:60]!r} is not a web address")
        return address

    @field_validator("trades")
    @classmethod
    def _trades(cls, values: list[str], info: ValidationInfo) -> list[str]:
        reference: Reference | None = (info.context or {}).get("reference")
        return values if reference is None else reference.codes("trade", values)

    @field_validator("industries")
    @classmethod
    def _industries(cls, values: list[str], info: ValidationInfo) -> list[str]:
        reference: Reference | None = (info.context or {}).get("reference")
        return values if reference is None else reference.codes("industry", values)

    @model_validator(mode="after")
    def _coordinates_in_pairs(self) -> OrganizationRecord:
        if (self.lat is None) != (self.lon is None):
            raise cell_error("lat lon", "lat and lon: give both coordinates or neither")
        return self


class _TextRecord(Record):
    """Records whose text is embedded for matching."""

    title: Short
    text: Text | None = None
    lang: Annotated[str | None, Field(pattern=r"^(de|en)$")] = None

    @field_validator("lang", mode="before")
    @classmethod
    def _lang(cls, value: Any) -> Any:
        if isinstance(value, str):
            folded = fold(value)
            return {"deutsch": "de", "german": "de", "englisch": "en", "english": "en"}.get(
                folded, folded
            )
        return value

    @model_validator(mode="after")
    def _detect_lang(self) -> _TextRecord:
        if self.lang is None:
            object.__setattr__(self, "lang", detect_lang(f"{self.title} {self.text or ''}"))
        return self

    def embedding_text(self) -> str:
        return evidence_text(self.title, self.text)  # the one rule for what gets encoded


class CompetenceRecord(_TextRecord):
    entity: ClassVar[str] = "competences"
    label: ClassVar[Label | LoadedLink] = Label.Competence
    required: ClassVar[tuple[str, ...]] = ("key", "owner_key", "title")
    aliases: ClassVar[dict[str, tuple[str, ...]]] = {
        "key": ("key", "id", "schluessel", "kompetenz_id"),
        "owner_key": (
            "owner_key",
            "org_key",
            "organization_key",
            "organisation_key",
            "person_key",
            "inhaber",
        ),
        "title": ("title", "titel", "kompetenz", "thema", "name"),
        "text": ("text", "beschreibung", "description", "details"),
        "lang": ("lang", "sprache", "language"),
    }
    references: ClassVar[dict[str, str]] = {"owner_key": "Organization|Person"}

    key: Key
    owner_key: Key


class NeedRecord(_TextRecord):
    entity: ClassVar[str] = "needs"
    label: ClassVar[Label | LoadedLink] = Label.Need
    required: ClassVar[tuple[str, ...]] = ("key", "org_key", "title")
    aliases: ClassVar[dict[str, tuple[str, ...]]] = {
        "key": ("key", "id", "schluessel", "bedarf_id"),
        "org_key": ("org_key", "organization_key", "organisation_key", "unternehmen_key"),
        "title": ("title", "titel", "bedarf", "thema", "name"),
        "text": ("text", "beschreibung", "description", "details"),
        "lang": ("lang", "sprache", "language"),
        "status": ("status", "stand"),
        "visibility": ("visibility", "sichtbarkeit", "freigabe"),
        "created_at": ("created_at", "erstellt_am", "erstellt", "datum", "date"),
    }
    references: ClassVar[dict[str, str]] = {"org_key": "Organization"}
    keep_whole: ClassVar[frozenset[str]] = frozenset({"visibility"})

    key: Key
    org_key: Key
    status: Annotated[NeedStatus, _alias(NEED_STATUS_ALIASES)] = NeedStatus.open
    visibility: Annotated[Visibility, _alias(VISIBILITY_ALIASES)] = Visibility.anonymous
    created_at: Date | None = None


class ProjectRecord(_TextRecord):
    entity: ClassVar[str] = "projects"
    label: ClassVar[Label | LoadedLink] = Label.Project
    required: ClassVar[tuple[str, ...]] = ("key", "title")
    aliases: ClassVar[dict[str, tuple[str, ...]]] = {
        "key": ("key", "id", "projekt_id", "project_id"),
        "title": ("title", "titel", "projekt", "name", "acronym_title"),
        "text": ("text", "objective", "ziel", "ziele", "beschreibung", "description"),
        "lang": ("lang", "sprache", "language"),
        "start": ("start", "beginn", "start_date", "startdatum"),
        "end": ("end", "ende", "end_date", "enddatum"),
        "funding": ("funding", "foerderung", "programm", "programme"),
    }

    key: Key
    start: Date | None = None
    end: Date | None = None
    funding: Short | None = None

    @model_validator(mode="after")
    def _ordered(self) -> ProjectRecord:
        if self.start and self.end and self.end < self.start:
            raise cell_error("start end", f"end {self.end} lies before start {self.start}")
        return self


class ParticipationRecord(Record):
    entity: ClassVar[str] = "participations"
    label: ClassVar[Label | LoadedLink] = LoadedLink.PARTICIPATED_IN
    key_field: ClassVar[str] = "pair"
    required: ClassVar[tuple[str, ...]] = ("org_key", "project_key")
    aliases: ClassVar[dict[str, tuple[str, ...]]] = {
        "org_key": ("org_key", "organization_key", "organisation_key", "partner"),
        "project_key": ("project_key", "projekt_key", "projekt", "project"),
        "role": ("role", "rolle"),
    }
    references: ClassVar[dict[str, str]] = {"org_key": "Organization", "project_key": "Project"}

    org_key: Key
    project_key: Key
    role: Annotated[str, Field(max_length=50)] = "participant"

    @property
    def pair(self) -> str:
        return f"{self.org_key}->{self.project_key}"


class PersonRecord(Record):
    entity: ClassVar[str] = "people"
    label: ClassVar[Label | LoadedLink] = Label.Person
    required: ClassVar[tuple[str, ...]] = ("key", "name")
    aliases: ClassVar[dict[str, tuple[str, ...]]] = {
        "key": ("key", "id", "person_id"),
        "name": ("name", "vollstaendiger_name", "person"),
        "title": ("title", "titel", "akademischer_titel"),
        "role": ("role", "rolle", "funktion", "position"),
        "email": ("email", "e_mail", "mail"),
        "org_key": ("org_key", "organization_key", "organisation_key", "arbeitgeber"),
    }
    references: ClassVar[dict[str, str]] = {"org_key": "Organization"}

    key: Key
    name: Short
    title: Short | None = None
    role: Short | None = None
    email: Annotated[str | None, Field(max_length=254)] = None
    org_key: Key | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        address = _address(value)
        if address != value:
            fixed(info, "email", f"{value[:60]!r} read as {address[:60]!r}")
        if not EMAIL.match(address):
            raise ValueError(f"{value[:60]!r} is not an e-mail address")
        return address


class EventRecord(Record):
    entity: ClassVar[str] = "events"
    label: ClassVar[Label | LoadedLink] = Label.Event
    required: ClassVar[tuple[str, ...]] = ("key", "name")
    aliases: ClassVar[dict[str, tuple[str, ...]]] = {
        "key": ("key", "id", "veranstaltung_id", "event_id"),
        "name": ("name", "titel", "veranstaltung", "title"),
        "date": ("date", "datum"),
        "kind": ("kind", "art", "typ", "format"),
    }

    key: Key
    name: Short
    date: Date | None = None
    kind: Short | None = None


class AttendanceRecord(Record):
    entity: ClassVar[str] = "attendances"
    label: ClassVar[Label | LoadedLink] = LoadedLink.ATTENDED
    key_field: ClassVar[str] = "pair"
    required: ClassVar[tuple[str, ...]] = ("org_key", "event_key")
    aliases: ClassVar[dict[str, tuple[str, ...]]] = {
        "org_key": ("org_key", "organization_key", "organisation_key", "teilnehmer"),
        "event_key": ("event_key", "veranstaltung_key", "veranstaltung", "event"),
    }
    references: ClassVar[dict[str, str]] = {"org_key": "Organization", "event_key": "Event"}

    org_key: Key
    event_key: Key

    @property
    def pair(self) -> str:
        return f"{self.org_key}->{self.event_key}"


# Load order: what a file refers to is loaded before it.
RECORD_TYPES: tuple[type[Record], ...] = (
    OrganizationRecord,
    PersonRecord,
    CompetenceRecord,
    NeedRecord,
    ProjectRecord,
    ParticipationRecord,
    EventRecord,
    AttendanceRecord,
)
RECORD_BY_ENTITY: dict[str, type[Record]] = {r.entity: r for r in RECORD_TYPES}
# Sheet and file names people use for each entity (folded).
ENTITY_ALIASES: dict[str, tuple[str, ...]] = {
    "organizations": ("organizations", "organisations", "organisationen", "unternehmen", "orgs"),
    "people": ("people", "persons", "personen", "kontakte", "ansprechpartner"),
    "competences": ("competences", "competencies", "kompetenzen", "expertise"),
    "needs": ("needs", "bedarfe", "bedarf", "anfragen"),
    "projects": ("projects", "projekte"),
    "participations": ("participations", "beteiligungen", "projektbeteiligungen"),
    "events": ("events", "veranstaltungen"),
    "attendances": ("attendances", "teilnahmen", "teilnehmer"),
}


# Every header name some table accepts (folded): two columns of one of them are an error.
KNOWN_HEADERS: frozenset[str] = frozenset(
    {header_name(alias) for r in RECORD_TYPES for names in r.aliases.values() for alias in names}
    | {"source", "quelle"}
)


def entity_for_name(name: str) -> str | None:
    """The entity a file or sheet name stands for ('Bedarfe.csv' -> 'needs')."""
    stem = header_name(name.rsplit(".", 1)[0] if "." in name else name)
    for entity, names in ENTITY_ALIASES.items():
        if stem in names:
            return entity
    return None


# Columns accepted and deliberately not loaded: the sample generator's catalogue topic of each
# text, which only the judged set's rule reads (data/eval/build_qrels.py).
NOT_LOADED_COLUMNS = frozenset({"topic"})


def field_for_header(record_type: type[Record], cell: str) -> str | None:
    """The field a header cell names for this record type ('PLZ' -> 'postcode'), or None."""
    name = header_name(cell)
    if name in ("source", "quelle"):
        return "source"
    for field, aliases in record_type.aliases.items():
        if name in aliases:
            return field
    return None


def column_map(record_type: type[Record], header: list[str]) -> dict[str, str]:
    """Header cell -> field, for the cells this record type knows (the first cell of a field
    wins; `validate.column_warnings` reports the others)."""
    mapping: dict[str, str] = {}
    for cell in header:
        field = field_for_header(record_type, cell)
        if field and field not in mapping.values():
            mapping[cell] = field
    return mapping
