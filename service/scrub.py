"""The wording of a non-public need that staff may release to universities and analysts.

When staff save an anonymous or confidential need, the service proposes a shared wording: the
need's text with every identifying detail found and replaced by a German placeholder in square
brackets ("[Unternehmen]", "[Person]", "[Ort]", ...), each replaced passage marked, so staff can
review and edit it before they release it. What counts as identifying comes from what an
attacker used to re-identify companies from the old scrubber's output: spelling variants of the
name, a distinctive part of it, the street, the contact person, keys, town plus headcount, and a
sentence copied from one of the company's public needs.

Everything here is pure: the caller gathers what the graph knows (`Gazetteer`, `Owner`) and
the `Scrubber` compiles it once; `propose` and `contact_free` only read strings. Names are
matched on tokens (case-folded, umlauts folded, hyphens and whitespace between tokens ignored,
genitive endings stripped), through a trie of token sequences, so thousands of names cost one
dictionary look-up per token of the text.

The contact patterns (e-mail, phone, web addresses) live here and `service/redact.py` imports
them, so there is one definition of each.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

# --- contact data ---------------------------------------------------------------------------
# Contact data people type into a need ("Rückfragen an m.kemper@kemper-metallbau.de oder
# 02302 123456, www.kemper-metallbau.de"): each names the company as surely as its name does.
EMAIL_SCRUBBED = "[E-Mail]"
PHONE_SCRUBBED = "[Telefon]"
WEB_SCRUBBED = "[Website]"
# Every pattern starts only where a word starts (look-behind) and gives nothing back once it
# has read a run of characters (possessive quantifiers), so a need of 20,000 characters is
# scanned in linear time whatever it holds.
EMAIL = re.compile(
    r"(?<![\w.+%-])[\w.+%-]++\s?(?:@|\(at\)|\[at\])\s?[\w-]++(?:\.[\w-]++)++", re.IGNORECASE
)
# The end of a URL is the last character that is not sentence punctuation after it.
URL_REST = r"[^\s<>\"]*[^\s<>\".,;:!?)\]]"
URL = re.compile(rf"(?<![\w.-])(?:https?://|www\.){URL_REST}", re.IGNORECASE)
# A bare domain ("kemper-metallbau.de/kontakt"); only with the endings websites here have, so
# that abbreviations and file names ("z.B.", "bericht.pdf") stay.
DOMAIN = re.compile(
    r"(?<![\w.-])[a-z0-9-]++(?:\.[a-z0-9-]++)*"
    rf"\.(?:de|com|net|org|eu|info|biz|nrw|ruhr|io|at|ch|nl)\b(?![.-]\w)(?:/{URL_REST})?",
    re.IGNORECASE,
)
# A phone number starts with a country code (+49, 0049), an area code in brackets ("(0201)")
# or a trunk 0 and a non-zero digit ("0231", "0171"); digit groups are separated by a space,
# or by "-" or "/" with optional spaces. Dots do not separate (dates: "01.03.2026"), numbers
# without a leading 0 or + are never phone numbers ("13919", "1200 x 800"), and fewer than 7
# digits are not one either ("01 2026"). Once the start matched, a match never fails (nothing
# after the last group is required), so a run of digit groups is read once, not once per group.
_GROUP_SEP = r"(?:\s?[-/]\s?|\s)"
PHONE = re.compile(
    rf"(?<![\w+,.])(?:(?:\+|00)[1-9]\d{{0,2}}{_GROUP_SEP}?(?:\(0\){_GROUP_SEP}?)?[1-9]\d*+"
    rf"|\(0[1-9]\d*+\)|0[1-9]\d*+)(?:{_GROUP_SEP}\d++)*+"
)
MIN_PHONE_DIGITS = 7


def is_phone(found: str) -> bool:
    return sum(c.isdigit() for c in found) >= MIN_PHONE_DIGITS


def domain_of(website: str | None) -> str | None:
    """'https://www.kemper-metallbau.de/kontakt' -> 'kemper-metallbau.de'."""
    if not website:
        return None
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", website.strip(), flags=re.IGNORECASE)
    host = re.split(r"[/?#:]", host, maxsplit=1)[0]
    host = re.sub(r"^www\.", "", host, flags=re.IGNORECASE)
    return host if "." in host else None


def own_domain_pattern(website: str | None) -> re.Pattern[str] | None:
    """The company's own domain wherever it stands, whatever it ends with."""
    domain = domain_of(website)
    if not domain:
        return None
    return re.compile(rf"(?<![\w.-]){re.escape(domain)}\b(?:/{URL_REST})?", re.IGNORECASE)


# --- the interface --------------------------------------------------------------------------


@dataclass(frozen=True)
class Gazetteer:
    """What the graph knows, gathered by the caller."""

    organizations: Sequence[tuple[str, str]]  # (key, name) of every organisation
    people: Sequence[str]  # full names of every person ("Jan Krüger", "Dr. Anna Weber")
    towns: Sequence[str]  # municipality names (reference table + organisations' cities)
    districts: Sequence[str]  # "Ennepe-Ruhr-Kreis", "Kreis Unna", "Dortmund"
    keys: Sequence[str] = ()  # other keys to remove (need keys, ...)
    # lowercase ordinary words: never "distinctive", and another organisation's name made only
    # of them is not looked for. Build it with `ordinary_words`: lower-casing whole texts would
    # make the names they mention (their own company's!) ordinary too.
    common_words: frozenset[str] = frozenset()
    # towns spelt like ordinary words, on top of AMBIGUOUS_TOWNS: taken for a town only where a
    # place is meant ("in Lage", "aus Essen", "44135 ...")
    ordinary_towns: frozenset[str] = frozenset()
    # a part of the owner's name is distinctive if at most this many organisation names hold it
    distinctive_max_names: int = 2


@dataclass(frozen=True)
class Owner:
    """The company behind the need; any field may be None."""

    key: str
    name: str | None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    district: str | None = None
    website: str | None = None
    email: str | None = None
    phone: str | None = None
    people: Sequence[str] = ()

    @classmethod
    def of(cls, org: Mapping[str, Any], people: Sequence[str] = ()) -> Owner:
        """The owner as an organisation's stored properties describe it."""
        return cls(
            key=str(org.get("key") or ""),
            name=org.get("name"),
            street=org.get("street"),
            postcode=org.get("postcode"),
            city=org.get("city"),
            district=org.get("district"),
            website=org.get("website"),
            email=org.get("email"),
            phone=org.get("phone"),
            people=tuple(p for p in people if p),
        )


@dataclass(frozen=True)
class Mark:
    """One replaced passage: offsets into the proposed text, which holds the placeholder
    there; `original` is what stood in the need's text."""

    start: int
    end: int
    original: str
    kind: str


@dataclass(frozen=True)
class Proposal:
    text: str
    marks: tuple[Mark, ...]


PLACEHOLDERS = {
    "organization": "[Unternehmen]",
    "person": "[Person]",
    "street": "[Straße]",
    "postcode": "[PLZ]",
    "town": "[Ort]",
    "headcount": "[Anzahl]",
    "revenue": "[Umsatz]",
    "email": EMAIL_SCRUBBED,
    "phone": PHONE_SCRUBBED,
    "web": WEB_SCRUBBED,
    "key": "[Schlüssel]",
    "linked_sentence": "[Satz entfernt]",
}
# Of two findings of the same length over the same passage, the one that says more wins.
_PRIORITY = {
    "linked_sentence": 12,
    "email": 11,
    "web": 10,
    "phone": 9,
    "key": 8,
    "street": 7,
    "postcode": 6,
    "person": 5,
    "organization": 4,
    "town": 3,
    "revenue": 2,
    "headcount": 1,
}
CONTACT_KINDS = frozenset({"email", "phone", "web", "street", "postcode", "person"})


# --- tokens ---------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# What may stand between two tokens of one name: spaces, line breaks, hyphens and dashes, the
# dots and ampersand of legal forms; a zero-width space or soft hyphen someone slipped in.
_NAME_GAP = re.compile(r"[\s\-‐‑‒–—.&+/·()\u200b\u00ad]{1,6}")
# What may split one token of a name in two: a hyphen at a line break, a soft hyphen.
_JOIN_GAP = re.compile(r"[-‐‑\u00ad\u200b]\s*|\s*\n\s*")
_APOSTROPHES = frozenset("'’´`")
_JOIN_STARTS = frozenset("-‐‑\u00ad\u200b \t\r\n")
_ABBREVIATED_LEGAL = frozenset({"e", "k", "v", "co"})
_ABBREVIATION_DOT = re.compile(r"\.(?=[ \t]*[a-zäöüß,;:)(]|\.)")


@functools.lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """How a token is compared: NFKC, case-folded, umlauts spelt out ('Krüger' == 'KRUEGER')."""
    if word.isascii():
        return word.lower()
    return unicodedata.normalize("NFKC", word).casefold().translate(_FOLD)


class _Token(NamedTuple):
    start: int
    end: int
    raw: str
    norm: str


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.start(), m.end(), m.group(), fold(m.group())) for m in _TOKEN.finditer(text)]


def _folded_tokens(phrase: str) -> tuple[str, ...]:
    return tuple(fold(m.group()) for m in _TOKEN.finditer(phrase))


# --- word lists -----------------------------------------------------------------------------

LEGAL_TOKENS = frozenset(
    _folded_tokens(
        "GmbH mbH AG KG OHG UG SE KGaA GbR eG e V K eV eK Co Ltd Inc LLC plc BV NV SA SARL "
        "PartG mbB haftungsbeschränkt gGmbH Stiftung"
    )
)
STOP_WORDS = frozenset(
    _folded_tokens(
        "der die das den dem des ein eine einer eines einem einen und oder aber für fuer mit "
        "von vom zu zum zur im in am an auf aus bei nach über unter vor hinter neben zwischen "
        "ist sind war wir ihr sie er es uns unser unsere unseren unserem ich du man nicht auch "
        "als wie so da dort hier sehr mehr noch schon nur bis durch gegen ohne um wenn weil "
        "the a an and or of for with to in on at by from our we us is are was be this that "
        "these those it its as not no all any new neue neuer neues gruppe group und"
    )
)
# Towns spelt like an ordinary word ("die Lage", "beim Essen", "sie kamen", "mit Haltern"):
# taken for a town only where a place is meant. Only real words: a town left out of running
# text is a leak, a town replaced needlessly is a word staff put back.
AMBIGUOUS_TOWNS = frozenset(
    _folded_tokens(
        "Lage Essen Alpen Much Kamen Senden Halle Bünde Löhne Heiden Geldern Wenden Wetter "
        "Schlangen Enger Ahlen Werther Lotte Brühl Haltern Datteln Frechen"
    )
)
# "-er" forms of towns that are words or first names of their own (Hamm, Werne)
_ORDINARY_ADJECTIVES = frozenset({"hammer", "werner", "lager", "kamener", "halleer"})
_PLACE_WORDS = frozenset(
    _folded_tokens(
        "in aus nach bei von Standort Standorte Standorten Raum Region Großraum Sitz Stadt "
        "Gemeinde Umgebung Nähe Werk Niederlassung Betrieb near"
    )
)
_HONORIFICS = frozenset({"Herr", "Herrn", "Frau", "Hr.", "Fr.", "Dr.", "Prof.", "Mr.", "Ms."})
_PERSON_TITLES = re.compile(
    r"\b(?:Herrn?|Frau|Hr\.|Fr\.|Mr\.|Mrs\.|Ms\.|Dr\.(?:\s?-?Ing\.)?|Prof\.|Dipl\.-\w+\.|"
    r"Ing\.|rer\.\s?nat\.|med\.|phil\.|h\.\s?c\.|M\.\s?Sc\.|B\.\s?Sc\.|MBA)",
)


# --- a trie of token sequences --------------------------------------------------------------

_END = "\0"


class _Trie:
    """Token sequences -> payload; `longest` finds the longest entry starting at a token,
    allowing the spelling variants names take in running text."""

    def __init__(self) -> None:
        self.root: dict[str, Any] = {}  # token -> child node; _END -> payload

    def add(self, tokens: Sequence[str], payload: object) -> None:
        if not tokens:
            return
        node = self.root
        for token in tokens:
            node = node.setdefault(token, {})
        node.setdefault(_END, payload)

    def longest(self, tt: _Text, i: int) -> tuple[int, int, object] | None:
        """(index after the last token used, end offset, payload) of the longest entry that
        starts at token `i`, or None."""
        root = self.root
        if not any(first in root for first in tt.firsts[i]):
            return None  # most tokens begin no name: one look-up per spelling, no search
        tokens = tt.tokens
        best: tuple[int, int, object] | None = None
        frontier = [(self.root, i)]
        while frontier:
            node, j = frontier.pop()
            if j >= len(tokens) or (j > i and not tt.name_gap(j)):
                continue
            steps: list[tuple[dict[str, Any], int, bool]] = []
            child = node.get(tokens[j].norm)
            if child is not None:
                steps.append((child, j + 1, False))
            joined = tt.joined[j]
            if joined is not None and (child := node.get(joined)) is not None:
                steps.append((child, j + 2, False))
            for stem in tt.stems[j]:
                child = node.get(stem)
                if child is not None and _END in child:
                    steps.append(({_END: child[_END]}, j + 1, True))
            for child, after, final in steps:
                if _END in child:
                    end = tokens[after - 1].end
                    if tt.apostrophe_s[after - 1]:  # "Brandt-Metallbau's"
                        end = tokens[after].end
                    elif tt.text.startswith(")", end) and "(" in tt.text[tokens[i].start : end]:
                        end += 1  # "Kemper Metallbau e.K. (fiktiv)"
                    elif tokens[after - 1].norm in _ABBREVIATED_LEGAL and _ABBREVIATION_DOT.match(
                        tt.text, end
                    ):
                        end += 1  # the dot of "e.K." unless it ends the sentence too
                    if best is None or end > best[1]:
                        best = (after, end, child[_END])
                if not final:
                    frontier.append((child, after))
        return best


class _Text:
    """A text's tokens and, computed once for all tries, how each joins its neighbours and
    what it may stand for (`firsts`: its spellings that could begin an entry)."""

    __slots__ = ("apostrophe_s", "firsts", "gaps", "hits", "joined", "stems", "text", "tokens")

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokens = _tokens(text)
        n = len(tokens)
        # gaps[j]: what stands between token j-1 and token j
        self.gaps = [""] + [text[tokens[j - 1].end : tokens[j].start] for j in range(1, n)]
        # joined[j]: token j and the next as one word ("Metall-\nbau"), if only a hyphen at a
        # line break or an invisible character splits them
        self.joined: list[str | None] = [None] * n
        for j in range(n - 1):
            gap = self.gaps[j + 1]
            if gap[0] in _JOIN_STARTS and _JOIN_GAP.fullmatch(gap):
                self.joined[j] = tokens[j].norm + tokens[j + 1].norm
        # stems[j]: token j without a genitive ending ("Metallbaus", "Hohensyburges")
        self.stems = [_genitive_stems(t.norm) for t in tokens]
        self.firsts = [
            (t.norm, *stems, joined) if joined else (t.norm, *stems)
            for t, stems, joined in zip(tokens, self.stems, self.joined, strict=True)
        ]
        self.apostrophe_s = [
            j + 1 < n
            and tokens[j + 1].norm == "s"
            and tokens[j + 1].start == tokens[j].end + 1
            and text[tokens[j].end] in _APOSTROPHES
            for j in range(n)
        ]

        self.hits: list[int] = []

    def find_beginnings(self, *beginnings: Collection[str]) -> None:
        """Keep the tokens that may begin an entry: only they are looked up in the tries."""
        self.hits = [
            j
            for j, firsts in enumerate(self.firsts)
            if any(first in words for first in firsts for words in beginnings)
        ]

    def name_gap(self, j: int) -> bool:
        """Token j may continue a name begun before it."""
        return j > 0 and bool(_NAME_GAP.fullmatch(self.gaps[j]))


def _genitive_stems(norm: str) -> tuple[str, ...]:
    if not norm.endswith("s") or len(norm) < 4:
        return ()
    return (norm[:-1], norm[:-2]) if norm.endswith("es") else (norm[:-1],)


def _strip_brackets(name: str) -> str:
    return re.sub(r"\s*[\(\[][^)\]]*[\)\]]", " ", name).strip() or name


def _name_forms(name: str) -> list[tuple[str, ...]]:
    """Token sequences a text may use for an organisation: the full name, without bracket
    remarks, without the legal form, with "und" for "&" and "&" for "und"; each also as one
    token ('BrandtMetallbau')."""
    forms: list[tuple[str, ...]] = []
    for variant in (name, _strip_brackets(name)):
        for spelt in (variant, re.sub(r"\s*&\s*", " und ", variant)):
            tokens = list(_folded_tokens(spelt))
            for drop_and in (False, True):
                if drop_and:
                    tokens = [t for t in tokens if t not in ("und", "and")]
                if tokens:
                    forms.append(tuple(tokens))
                core = list(tokens)
                while core and core[-1] in LEGAL_TOKENS:
                    core.pop()
                if core:
                    forms.append(tuple(core))
    joined: list[tuple[str, ...]] = [("".join(form),) for form in forms if len(form) > 1]
    return list(dict.fromkeys(forms + joined))


def _person_forms(name: str) -> list[tuple[str, ...]]:
    """'Dr. Anna Weber' -> ('anna', 'weber'), ('a', 'weber'); one-word names need a title
    before them, which the honorific pattern handles."""
    core = _PERSON_TITLES.sub(" ", name)
    tokens = _folded_tokens(core)
    if len(tokens) < 2:
        return []
    forms = [tokens, (tokens[0][0], *tokens[1:])]
    if len(tokens) > 2:  # "Jan Peter Krüger" is also "Jan Krüger"
        forms += [(tokens[0], tokens[-1]), (tokens[0][0], tokens[-1])]
    return forms


def _town_forms(town: str) -> list[tuple[str, ...]]:
    """'Mülheim an der Ruhr' -> also 'Mülheim'; 'Halle (Westf.)' -> also 'Halle'."""
    forms = [_folded_tokens(town), _folded_tokens(_strip_brackets(town))]
    short = re.split(r"\s+(?:an der|an|am|im|in|ob der|ob)\s+|\s*[(/]", town, maxsplit=1)[0]
    forms.append(_folded_tokens(short))
    return [form for form in dict.fromkeys(forms) if form]


# --- patterns that need no gazetteer --------------------------------------------------------

_STREET_SUFFIX = r"(?:straße|strasse|str\.|weg|allee|platz|ring|damm|gasse|ufer|wall|chaussee)"
_HOUSE_NUMBER = r"\s?\d{1,4}(?:\s?[a-zA-Z])?\b(?:\s?[-–/]\s?\d{1,4}(?:\s?[a-zA-Z])?\b)?"
_CAP = r"[A-ZÄÖÜ][\wäöüß.'-]*"
# Technical compounds that end like a street and take a number ("Dichtring 2", "Messplatz 3")
_NOT_STREETS = (
    r"(?!(?:O-Ring|Dichtring|Kolbenring|Sprengring|Stützring|Lagerring|Zahnring|Arbeitsplatz|"
    r"Messplatz|Prüfplatz|Stellplatz|Parkplatz|Lagerplatz|Steckplatz|Sitzplatz|Ladeplatz|"
    r"Umweg|Hubweg|Federweg|Schaltweg|Stellweg|Bremsweg|Messweg|Verfahrweg|Lösungsweg|Rundweg)\b)"
)
# A street written apart ("Eilper Str. 1", "Hohe Straße 5") follows a word that is not an
# article or a place in a works ("Der Platz 2", "Halle Ring 3")
_NOT_STREET_WORDS = (
    r"(?!(?:Der|Die|Das|Den|Dem|Des|Ein|Eine|Einen|Einem|Am|Im|Zum|Zur|Vom|Beim|Unser|Unsere|"
    r"Unseren|Standort|Werk|Halle|Tor|Stand|Gebäude|Bau|Haus|Raum|Bereich|Linie)\s)"
)
STREET = re.compile(
    rf"(?<![\w.'-])(?:{_NOT_STREETS}[A-ZÄÖÜ][\w.-]*?(?i:{_STREET_SUFFIX})"
    rf"|{_NOT_STREET_WORDS}(?:{_CAP}\s+){{1,2}}(?i:{_STREET_SUFFIX}))"
    rf"{_HOUSE_NUMBER}(?![\d,.]\d|\s?(?:%|°|mm|cm|kg|Uhr|Stück))"
    rf"|\b(?:Am|An\s+der|An\s+den|Auf\s+dem|Auf\s+der|Auf\s+den|Zum|Zur|Hinter\s+der|"
    rf"Unter\s+den)\s+(?!(?:Beispiel|Teil|Ende|Anfang|Schluss|Jahr|Tag|Stand|Standort|Werk|"
    rf"Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag)\b)"
    rf"[A-ZÄÖÜ][\wäöüß-]+(?:\s+[A-ZÄÖÜ][\wäöüß-]+)?"
    rf"\s\d{{1,3}}(?:\s?[a-z])?\b(?![\d,.]\d|\s?(?:%|°|mm|cm|kg|Uhr|Stück|Jahre))"
)
_NAME_WORD = r"[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?"
_TITLE = (
    r"(?:Dr\.\s?-Ing|Dipl\.\s?-\w+|Dr|Prof|Ing|med|phil|habil|jur|dent|rer\.\s?nat|rer\.\s?pol|"
    r"h\.\s?c)\."
)
HONORIFIC_NAME = re.compile(
    rf"\b(?:(?:Herrn?|Frau|Hr\.|Fr\.|Mr\.|Mrs\.|Ms\.)\s+(?:{_TITLE}\s*)*|(?:Dr\.|Prof\.|Dipl\.\s?-\w+\.)\s*"
    rf"(?:{_TITLE}\s*)*)"
    rf"(?:(?:von|van|de|zu|von\s+der|van\s+der|von\s+und\s+zu)\s+)?"
    rf"({_NAME_WORD})(?:\s+({_NAME_WORD}))?"
)
# "Ansprechpartnerin: Petra Unbekannt", "Inhaber Max Muster": a name after a role
LABELLED_NAME = re.compile(
    r"\b(?:Ansprechpartner(?:in)?|Ansprechperson|Kontaktperson|Kontakt|Inhaber(?:in)?|"
    r"Geschäftsführer(?:in)?|Geschäftsführung|Leiter(?:in)?|Leitung|Contact(?:\s+person)?|"
    r"Owner|Managing\s+Director|CEO)\s*:?\s+"
    rf"({_NAME_WORD})\s+({_NAME_WORD})"
)
_POSTCODE_MARKED = re.compile(r"(?:\bD\s?-\s?|\bPLZ:?\s*)(\d{5})(?!\d)")
_POSTCODE_BEFORE = re.compile(r"(?<![\d.,])\d{5}\s+$")

_QUAL = (
    r"(?:(?:etwa|ca\.|circa|rund|ungefähr|knapp|über|mehr\s+als|weniger\s+als|fast|annähernd|"
    r"gut|bis\s+zu|derzeit|aktuell|inzwischen|insgesamt|about|around|approximately|approx\.|"
    r"over|more\s+than|nearly|almost|some|roughly|~)\s+){0,3}"
)
_NUMBER = (
    r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?:\s?(?:-|–|bis|to)\s?\d+)?|"
    r"(?i:zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|vierzig|"
    r"fünfzig|hundert|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|"
    r"thirty|forty|fifty|hundred)"
)
_STAFF_NOUN = (
    r"(?:(?:fest\s*angestellte[nr]?|feste[n]?|engagierte[n]?|qualifizierte[n]?|"
    r"full[-\s]time|skilled|dedicated)\s+)?"
    r"(?:Mitarbeiter(?:innen|n|:innen|\*innen|_innen|Innen)?|Mitarbeitende[n]?|Beschäftigte[n]?|"
    r"Angestellte[n]?|Festangestellte[n]?|Personen|Leute[n]?|Menschen|Köpfe[n]?|Fachkräfte[n]?|"
    r"Kolleg(?:inn)?en|Kolleg:innen|Mitglieder[n]?|MA|Auszubildende[n]?|Azubis|Monteure[n]?|"
    r"Facharbeiter[n]?|Handwerker[n]?|Ingenieur(?:e|en|innen)|"
    r"(?i:employees|people|staff|workers|persons|engineers|technicians|FTEs?))\b(?!-)"
)
HEADCOUNT = re.compile(
    rf"(?<![\w.,-])({_QUAL}(?:{_NUMBER}))\s+{_STAFF_NOUN}"
    rf"|\b(?:Team|Belegschaft|Mitarbeiterzahl|Mitarbeiteranzahl|Beschäftigtenzahl|Personalstärke|"
    rf"staff|team|workforce|headcount|employs|employing|beschäftigt|beschäftigen)"
    rf"\s*(?:von|aus|mit|:|of|with|=|umfasst|zählt)?\s*({_QUAL}(?:{_NUMBER}))(?![\w.,]\d|\s?%)"
    # "Mitarbeitende: 91", "Employees: 80"
    rf"|\b(?:Mitarbeiter\w*|Mitarbeitende|Beschäftigte|Angestellte|(?i:employees|staff))"
    rf"\s*:\s*({_QUAL}(?:{_NUMBER}))(?![\w.,]\d|\s?%)",
)
_MONEY_NUMBER = r"\d{1,3}(?:[.,]\d{3})*(?:[.,]\d+)?"
_MAGNITUDE = (
    r"(?:Mio\.?|Millionen|Million|Mrd\.?|Milliarden|Tsd\.?|Tausend|Mn\.?|mn|million|millions|"
    r"bn|billion|m\b|k\b|T€|TEUR|Mio€)"
)
_CURRENCY = r"(?:€|EUR\b|Euro\b|USD\b|\$)"
AMOUNT = (
    rf"(?:{_CURRENCY}\s?{_MONEY_NUMBER}(?:\s?{_MAGNITUDE})?"
    rf"|{_MONEY_NUMBER}\s?{_MAGNITUDE}(?:\s?{_CURRENCY})?"
    rf"|{_MONEY_NUMBER}\s?{_CURRENCY})"
)
_REVENUE_WORD = (
    r"(?:(?:Jahres|Gesamt|Konzern)?[Uu]msatz(?:volumen|erlöse[n]?|es)?|Umsätze[n]?|"
    r"(?i:revenues?|turnover|annual\s+sales|sales))"
)
REVENUE = re.compile(
    rf"\b{_REVENUE_WORD}(?:[^!?\n\d]|(?<!\d)(?:19|20)\d\d(?!\d)){{0,40}}?({_QUAL}{AMOUNT})"
    rf"|({_QUAL}{AMOUNT})\s+(?:(?:Jahres)?[Uu]msatz|Umsätze|(?i:in\s+)?(?i:revenue|turnover|sales))"
)
# After a label any digits are a number to call, however they are spaced ("0 23 31 / 98 76 54")
LABELLED_PHONE = re.compile(
    r"\b(?:Tel(?:efon)?|Fon|Fax|Mobil|Handy|Phone|Durchwahl|Rufnummer)\.?(?:\s?-?Nr\.)?:?\s*"
    r"(\+?\(?\d[\d\s/()+-]{4,30}\d)",
    re.IGNORECASE,
)
_KEY_CHUNK = re.compile(r"[^\s()\[\]{}<>\"',;/|]+")
_ABBREVIATIONS = frozenset(
    _folded_tokens(
        "dr prof ca bzw z b str nr mio mrd tsd co etc u a usw ggf inkl evtl vgl d h ing dipl "
        "hr fr bspw max min mind zzgl st abs s e v k f ff jh jhd"
    )
)
_SENTENCE_END = re.compile(r"[.!?]+[\"'»«“”)\]]*\s+|\n\s*")


@dataclass(frozen=True, slots=True)
class _Finding:
    start: int
    end: int
    kind: str


@dataclass
class _OwnerIndex:
    names: _Trie = field(default_factory=_Trie)
    people: _Trie = field(default_factory=_Trie)
    surnames: frozenset[str] = frozenset()
    towns: _Trie = field(default_factory=_Trie)
    key_set: frozenset[str] = frozenset()
    patterns: list[tuple[re.Pattern[str], str]] = field(default_factory=list)


class Scrubber:
    """Compiled once from the gazetteer; proposes released wordings for many needs."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.common = frozenset(fold(w) for w in gazetteer.common_words)
        self.ordinary_towns = AMBIGUOUS_TOWNS | {fold(w) for w in gazetteer.ordinary_towns}
        self.distinctive_max_names = gazetteer.distinctive_max_names
        # how many organisation names hold a token: a part of the owner's name is distinctive
        # only if few others share it ("Brandt" is, "Metallbau" is not)
        self.name_frequency: dict[str, int] = {}
        for _, name in gazetteer.organizations:
            for token in set(_folded_tokens(name or "")):
                self.name_frequency[token] = self.name_frequency.get(token, 0) + 1
        places = set()
        self.towns = _Trie()
        for town in [*gazetteer.towns, *gazetteer.districts]:
            for form in _town_forms(town):
                ambiguous = len(form) == 1 and self._ordinary_town(form[0])
                self.towns.add(form, ambiguous)
                places.add(form)
                # "Dortmunder Unternehmen", "Schwerter Betrieb": the town as an adjective
                if len(form) == 1 and not ambiguous and len(form[0]) >= 4:
                    stem = form[0][:-1] if form[0].endswith("e") else form[0]
                    for adjective in (stem + "er", form[0] + "er"):
                        if adjective not in _ORDINARY_ADJECTIVES:
                            self.towns.add((adjective,), False)
        self.places = frozenset(places)
        self.organizations = _Trie()
        for _, name in gazetteer.organizations:
            if name:
                for form in self._safe_forms(name):
                    self.organizations.add(form, "organization")
        self.people = _Trie()
        surnames = set()
        for person in gazetteer.people:
            for form in _person_forms(person or ""):
                self.people.add(form, "person")
                surnames.add(form[-1])
        self.surnames = frozenset(surnames)
        # every word that can begin a name, a person or a place: other tokens are skipped
        self.beginnings = frozenset(
            {*self.organizations.root, *self.people.root, *self.towns.root, *surnames}
        )
        self.keys = frozenset(
            fold(k)
            for k in [*(key for key, _ in gazetteer.organizations), *gazetteer.keys]
            if k and len(k) >= 3 and not k.isdigit()
        )

    # -- compile helpers

    def _ordinary(self, token: str) -> bool:
        return token in self.common or token in STOP_WORDS or token in AMBIGUOUS_TOWNS

    def _ordinary_town(self, token: str) -> bool:
        # not common_words: texts name towns so often that every town would count as a word
        return token in self.ordinary_towns or token in STOP_WORDS

    def _safe_forms(self, name: str) -> list[tuple[str, ...]]:
        """Forms of another organisation's name that cannot be an ordinary phrase: a single
        word only if it is not an ordinary word or a place, several only if one is not."""
        safe = []
        for form in _name_forms(name):
            substantive = [
                t for t in form if t not in LEGAL_TOKENS and not self._ordinary(t) and len(t) > 2
            ]
            if not substantive:
                continue
            if len(form) == 1 and (len(form[0]) < 4 or form in self.places):
                continue
            safe.append(form)
        return safe

    def distinctive_parts(self, name: str | None) -> list[str]:
        """Tokens of the owner's name that identify it alone ('Hohensyburg')."""
        parts = []
        for token in _folded_tokens(_strip_brackets(name or "")):
            if (
                len(token) >= 3
                and not token.isdigit()
                and token not in LEGAL_TOKENS
                and not self._ordinary(token)
                and self.name_frequency.get(token, 0) <= self.distinctive_max_names
            ):
                parts.append(token)
        return parts

    def _owner_index(self, owner: Owner | None) -> _OwnerIndex:
        index = _OwnerIndex()
        if owner is None:
            return index
        if owner.name:
            for form in _name_forms(owner.name):
                index.names.add(form, "organization")
            for part in self.distinctive_parts(owner.name):
                index.names.add((part,), "organization")
        surnames = set()
        for person in owner.people:
            for form in _person_forms(person or ""):
                index.people.add(form, "person")
                if not self._ordinary(form[-1]) and len(form[-1]) >= 3:
                    surnames.add(form[-1])
        index.surnames = frozenset(surnames)
        index.key_set = frozenset({fold(owner.key)} if owner.key else ())
        # the owner's town even where the reference table lacks it
        for town in (owner.city, owner.district):
            for form in _town_forms(town or ""):
                index.towns.add(form, len(form) == 1 and self._ordinary_town(form[0]))
        if owner.street:
            index.patterns.append((_street_pattern(owner.street), "street"))
        if owner.postcode and re.fullmatch(r"\s*\d{4,5}\s*", owner.postcode):
            index.patterns.append(
                (re.compile(rf"(?<![\d.,]){re.escape(owner.postcode.strip())}(?!\d)"), "postcode")
            )
        own_domain = own_domain_pattern(owner.website)
        if own_domain:
            index.patterns.append((own_domain, "web"))
        phone = _phone_pattern(owner.phone)
        if phone:
            index.patterns.append((phone, "phone"))
        if owner.email:
            index.patterns.append((re.compile(re.escape(owner.email.strip()), re.I), "email"))
        return index

    # -- finding

    def _text(self, text: str, index: _OwnerIndex) -> _Text:
        tt = _Text(text)
        tt.find_beginnings(
            self.beginnings,
            index.names.root,
            index.people.root,
            index.towns.root,
            index.surnames,
        )
        return tt

    def _contacts(self, text: str, index: _OwnerIndex) -> Iterator[_Finding]:
        for m in EMAIL.finditer(text):
            yield _Finding(m.start(), m.end(), "email")
        for m in URL.finditer(text):
            yield _Finding(m.start(), m.end(), "web")
        for m in DOMAIN.finditer(text):
            yield _Finding(m.start(), m.end(), "web")
        for m in PHONE.finditer(text):
            if is_phone(m.group()):
                yield _Finding(m.start(), m.end(), "phone")
        for m in LABELLED_PHONE.finditer(text):
            if sum(c.isdigit() for c in m.group(1)) >= 6:
                yield _Finding(m.start(1), m.end(1), "phone")
        for m in STREET.finditer(text):
            yield _Finding(m.start(), m.end(), "street")
        for m in _POSTCODE_MARKED.finditer(text):
            yield _Finding(m.start(), m.end(), "postcode")
        for pattern, kind in index.patterns:
            for m in pattern.finditer(text):
                yield _Finding(m.start(), m.end(), kind)

    def _persons(self, tt: _Text, index: _OwnerIndex) -> Iterator[_Finding]:
        text, tokens = tt.text, tt.tokens
        for m in HONORIFIC_NAME.finditer(text):
            end = m.end()
            second = m.group(2)
            # "Frau Weber Bescheid geben": an ordinary noun after the surname is no name
            if second and (self._ordinary(fold(second)) and fold(second) not in self.surnames):
                end = m.end(1)
            yield _Finding(m.start(), end, "person")
        for m in LABELLED_NAME.finditer(text):
            if not any(self._ordinary(fold(m.group(g))) for g in (1, 2)):
                yield _Finding(m.start(1), m.end(2), "person")
        for i in tt.hits:
            token = tokens[i]
            for trie in (self.people, index.people):
                found = trie.longest(tt, i)
                # an initial counts only with its dot: "J. Krüger", not "a Fischer-Tropsch"
                if found and (len(token.raw) > 1 or text.startswith(".", token.end)):
                    yield _Finding(token.start, found[1], "person")
            if token.norm in index.surnames and token.raw[:1].isupper():
                yield _Finding(token.start, token.end, "person")
            # "Herrn krüger": a known surname after a title, whatever its case
            if i > 0 and (token.norm in self.surnames or token.norm in index.surnames):
                title = tokens[i - 1]
                dotted = text[title.start : title.end + 1]
                if title.raw in _HONORIFICS or dotted in _HONORIFICS:
                    yield _Finding(title.start, token.end, "person")

    def _names_and_places(self, tt: _Text, index: _OwnerIndex, *, keys: bool) -> Iterator[_Finding]:
        text, tokens = tt.text, tt.tokens
        for i in tt.hits:
            token = tokens[i]
            for trie in (self.organizations, index.names):
                found = trie.longest(tt, i)
                if found:
                    yield _Finding(token.start, _legal_tail(tt, found[0], found[1]), "organization")
            if token.raw[:1].isupper():
                for trie in (self.towns, index.towns):
                    found = trie.longest(tt, i)
                    if found and (not found[2] or _place_context(text, tokens, i)):
                        yield _Finding(token.start, _town_tail(text, found[1]), "town")
        if keys:
            for m in _KEY_CHUNK.finditer(text):
                # "(siehe org-brandt)." : the key without the sentence's punctuation
                for chunk in dict.fromkeys((m.group(), m.group().rstrip(".:!?-"))):
                    if chunk and (fold(chunk) in self.keys or fold(chunk) in index.key_set):
                        yield _Finding(m.start(), m.start() + len(chunk), "key")
                        break

    def _figures(self, text: str) -> Iterator[_Finding]:
        for m in HEADCOUNT.finditer(text):
            group = next(g for g in (1, 2, 3) if m.group(g) is not None)
            yield _Finding(m.start(group), m.end(group), "headcount")
        for m in REVENUE.finditer(text):
            group = 1 if m.group(1) is not None else 2
            yield _Finding(m.start(group), m.end(group), "revenue")

    def _findings(self, text: str, owner: Owner | None) -> list[_Finding]:
        index = self._owner_index(owner)
        tt = self._text(text, index)
        found = [
            *self._contacts(text, index),
            *self._persons(tt, index),
            *self._names_and_places(tt, index, keys=True),
            *self._figures(text),
        ]
        # "44135 Dortmund": five digits before a town are its postcode
        for town in [f for f in found if f.kind == "town"]:
            before = _POSTCODE_BEFORE.search(text, max(0, town.start - 12), town.start)
            if before:
                found.append(_Finding(before.start(), before.start() + 5, "postcode"))
        return _merge(found)

    # -- the interface

    def propose(
        self, text: str, owner: Owner | None, *, public_texts: Sequence[str] = ()
    ) -> Proposal:
        """`text` with every identifying passage replaced and marked."""
        if not text:
            return Proposal(text or "", ())
        findings = self._findings(text, owner)
        if public_texts:
            findings = _merge([*findings, *self._linked(text, findings, owner, public_texts)])
        return _render(text, findings)

    def contact_free(self, text: str, owner: Owner | None) -> str:
        """An organisation's description without contact data (addresses, numbers, people);
        its own name and town stay, since its profile is public."""
        if not text:
            return text
        index = self._owner_index(owner)
        tt = self._text(text, index)
        # a person's name inside the organisation's own ("Jan Krüger Metallbau GmbH") stays
        own_names = _Trie()
        for form in _name_forms(owner.name or "") if owner else ():
            own_names.add(form, "organization")
        own = [own_names.longest(tt, i) for i in range(len(tt.tokens))]
        spans = [(t.start, o[1]) for t, o in zip(tt.tokens, own, strict=True) if o]
        found = [
            f
            for f in [*self._contacts(text, index), *self._persons(tt, index)]
            if f.kind in CONTACT_KINDS
            and not (f.kind == "person" and any(a <= f.start and f.end <= b for a, b in spans))
        ]
        towns = [f for f in self._names_and_places(tt, index, keys=False) if f.kind == "town"]
        for town in towns:
            before = _POSTCODE_BEFORE.search(text, max(0, town.start - 12), town.start)
            if before:
                found.append(_Finding(before.start(), before.start() + 5, "postcode"))
        return _render(text, _merge(found)).text

    # -- linked sentences

    def _linked(
        self,
        text: str,
        findings: list[_Finding],
        owner: Owner | None,
        public_texts: Sequence[str],
    ) -> list[_Finding]:
        """Sentences of `text` that, scrubbed, equal or nearly equal a sentence the public can
        read of the same owner, scrubbed the same way: the pair would link the two."""
        public: list[tuple[str, ...]] = []
        for other in public_texts:
            if other:
                keys = _sentence_keys(other, self._findings(other, owner))
                public.extend(key for _, _, key in keys if len(key) >= 4)
        exact = set(public)
        linked = []
        for start, end, key in _sentence_keys(text, findings):
            if len(key) >= 4 and (key in exact or any(_nearly_equal(key, o) for o in public)):
                linked.append(_Finding(start, end, "linked_sentence"))
        return linked


def ordinary_words(texts: Iterable[str], *, min_texts: int = 5) -> frozenset[str]:
    """Words of `texts` that are ordinary: seen in lower case somewhere, or (German nouns are
    capitalised) seen in at least `min_texts` of the texts. Pass one text per organisation
    (its competence texts joined): a company's name, mentioned only in its own, stays out."""
    lowercase: set[str] = set()
    seen_in: dict[str, int] = {}
    for text in texts:
        words = set()
        for m in _TOKEN.finditer(text or ""):
            word = m.group()
            if word.isdigit():
                continue
            folded = fold(word)
            words.add(folded)
            if word[:1].islower():
                lowercase.add(folded)
        for folded in words:
            seen_in[folded] = seen_in.get(folded, 0) + 1
    return frozenset(lowercase | {w for w, n in seen_in.items() if n >= min_texts})


# --- helpers --------------------------------------------------------------------------------


def _street_pattern(street: str) -> re.Pattern[str]:
    """The owner's street in any case and spacing, with Straße/Strasse/Str., with or without
    its house number ('Eilper Str. 1' -> 'eilperstraße', 'Eilper  Strasse 1')."""
    street = street.strip()
    name = re.sub(r"\s*\d+\s?[a-zA-Z]?(?:\s?[-/]\s?\d+\s?[a-zA-Z]?)?\s*$", "", street) or street
    suffix = re.search(r"(?i)(stra(?:ß|ss)e|str\.?)$", name)
    base = name[: suffix.start()] if suffix else name
    words = [re.escape(w) for w in re.split(r"[\s\-]+", base.strip()) if w]
    body = r"[\s\-]*".join(words)
    if suffix:
        body += r"[\s\-]*(?:stra(?:ß|ss)e|str\.?)"
    return re.compile(rf"(?<![\w-]){body}(?:{_HOUSE_NUMBER})?", re.IGNORECASE)


def _phone_pattern(phone: str | None) -> re.Pattern[str] | None:
    """The owner's number however it is spaced or prefixed ('+49 2331 987654' also as
    '0 23 31 / 98 76 54' or '(02331) 987-654')."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0049"):
        digits = digits[4:]
    elif digits.startswith("49") and (phone or "").lstrip().startswith("+"):
        digits = digits[2:]
    digits = digits.lstrip("0")  # the trunk 0, also from "+49 (0)2331"
    if len(digits) < 6:
        return None
    sep = r"[\s/().\-]*"
    prefix = rf"(?:(?:\+|00)\s?49{sep}(?:\(0\){sep})?|0{sep})?"
    return re.compile(rf"(?<![\d+]){prefix}{sep.join(digits)}(?!\d)")


def _legal_tail(tt: _Text, after: int, end: int) -> int:
    """The end of a name with the legal form the text adds ("Brandt Metallbau GmbH & Co. KG"
    where the gazetteer has "Brandt Metallbau GmbH")."""
    tokens = tt.tokens
    while after < len(tokens) and tokens[after].norm in LEGAL_TOKENS and tt.name_gap(after):
        if len(tokens[after].norm) == 1 and not tt.text.startswith(".", tokens[after].end):
            break  # "e.K." needs its dots; a lone "e" or "k" is something else
        end = tokens[after].end
        after += 1
    if tokens[after - 1].norm in _ABBREVIATED_LEGAL and _ABBREVIATION_DOT.match(tt.text, end):
        end += 1
    return end


_DISTRICT_OF_TOWN = re.compile(r"-[A-ZÄÖÜ][\wäöüß]+")


def _town_tail(text: str, end: int) -> int:
    """A part of a town belongs to it: "Hagen-Haspe", "Schwerte-Ergste"."""
    m = _DISTRICT_OF_TOWN.match(text, end)
    return m.end() if m else end


def _place_context(text: str, tokens: Sequence[_Token], i: int) -> bool:
    """A town spelt like an ordinary word is one after 'in', 'aus', 'Standort', ... or after
    a postcode."""
    if i == 0:
        return False
    previous = tokens[i - 1]
    gap = text[previous.end : tokens[i].start]
    if not re.fullmatch(r"[\s:]{1,3}", gap):
        return False
    return previous.norm in _PLACE_WORDS or bool(re.fullmatch(r"\d{5}", previous.raw))


def _merge(findings: Iterable[_Finding]) -> list[_Finding]:
    """Overlapping findings become one, over their union, of the kind of the longest (an
    e-mail address holding the name is one [E-Mail])."""
    merged: list[_Finding] = []
    group: list[_Finding] = []
    end = -1
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if finding.end <= finding.start:
            continue
        if group and finding.start < end:
            group.append(finding)
            end = max(end, finding.end)
            continue
        if group:
            merged.append(_one_of(group))
        group, end = [finding], finding.end
    if group:
        merged.append(_one_of(group))
    return merged


def _one_of(group: list[_Finding]) -> _Finding:
    winner = max(group, key=lambda f: (f.end - f.start, _PRIORITY[f.kind]))
    return _Finding(min(f.start for f in group), max(f.end for f in group), winner.kind)


def _render(text: str, findings: Sequence[_Finding]) -> Proposal:
    parts: list[str] = []
    marks: list[Mark] = []
    at = 0
    length = 0
    for finding in findings:
        kept = text[at : finding.start]
        parts.append(kept)
        length += len(kept)
        placeholder = PLACEHOLDERS[finding.kind]
        marks.append(
            Mark(length, length + len(placeholder), text[finding.start : finding.end], finding.kind)
        )
        parts.append(placeholder)
        length += len(placeholder)
        at = finding.end
    parts.append(text[at:])
    return Proposal("".join(parts), tuple(marks))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or line, without surrounding whitespace; a full stop
    after an abbreviation, an initial or a number ends nothing."""
    spans = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group()[0] == ".":
            word = _word_before(text, m.start(), start)
            if word and (fold(word) in _ABBREVIATIONS or word.isdigit()):
                continue
        spans.append((start, m.start() + len(m.group().rstrip())))
        start = m.end()
    spans.append((start, len(text)))
    result = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            result.append((s, e))
    return result


def _word_before(text: str, at: int, floor: int) -> str:
    """The word that ends at `at` (at most 20 characters back, never before `floor`)."""
    begin = at
    while begin > max(floor, at - 20) and text[begin - 1].isalnum():
        begin -= 1
    return text[begin:at]


def _sentence_keys(
    text: str, findings: Sequence[_Finding]
) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    """(start, end, key) of each sentence of `text`."""
    ends = [f.end for f in findings]
    for start, end in sentence_spans(text):
        yield start, end, _sentence_key(text, start, end, findings, ends)


def _sentence_key(
    text: str, start: int, end: int, findings: Sequence[_Finding], ends: list[int]
) -> tuple[str, ...]:
    """A sentence scrubbed and normalised for comparison: folded words, placeholders as
    words of their own, punctuation and spacing ignored."""
    # findings are sorted and do not overlap: those inside begin after the last that ends
    # before the sentence
    first = bisect.bisect_left(ends, start + 1)
    inside = []
    for f in findings[first:]:
        if f.start >= end:
            break
        inside.append(_Finding(max(f.start, start), min(f.end, end), f.kind))
    rendered = _render(
        text[start:end], [_Finding(f.start - start, f.end - start, f.kind) for f in inside]
    ).text
    return _folded_tokens(rendered)


def _nearly_equal(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if abs(len(a) - len(b)) > max(2, 0.25 * max(len(a), len(b))):
        return False
    sa, sb = set(a), set(b)
    if len(sa & sb) < 0.6 * len(sa | sb):
        return False
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.85
