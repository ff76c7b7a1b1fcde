"""Rules about texts that every package below the service shares, written once.

- what of a competence, project or need is encoded (`evidence_text`) and the hash stored beside
  its vector (`text_hash`): the ingest, `matching.reembed` and the service's needs agree on both,
  so a vector is re-made exactly when the encoded words change;
- names folded for lookups (`fold`: headers, trade names, municipalities);
- a text's language (`detect_lang`), for rows and API needs that do not say;
- a cell that starts like a formula, defused for spreadsheets (`defuse`; the ingest drops the
  apostrophe again when it reads such a file).

Plain functions on strings; nothing here imports another package of this project.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# --- what is encoded ----------------------------------------------------------------------------


def evidence_text(title: str | None, text: str | None) -> str:
    """What is encoded for a competence, project or need: its title, then its text."""
    title = title or ""
    return f"{title}. {text}" if text else title


def text_hash(evidence: str) -> str:
    """The hash stored as `text_hash` beside the vector of `evidence` (an `evidence_text`)."""
    return hashlib.sha256(evidence.encode()).hexdigest()[:32]


# --- names ----------------------------------------------------------------------------------------


def fold(value: str) -> str:
    """Lower case, umlauts and ß spelt out, accents dropped: for matching names and headers."""
    value = value.strip().lower()
    if value.isascii():
        return value  # nothing to spell out or drop: most values, and the hot path of big files
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        value = value.replace(umlaut, plain)
    value = unicodedata.normalize("NFKD", value)
    return "".join(c for c in value if not unicodedata.combining(c))


# --- language ---------------------------------------------------------------------------------

_GERMAN_HINTS = frozenset(
    "der die das und für mit von ein eine nicht wir sich auf im zur zum bei unsere suchen "
    "werden ist sind oder auch durch über".split()
)
_ENGLISH_HINTS = frozenset(
    "the and for with of a an not we our looking need is are to in on by from or also "
    "through".split()
)


def detect_lang(text: str) -> str:
    """'de' or 'en' from function words and umlauts: enough for texts of a sentence or more."""
    words = re.findall(r"[a-zäöüß]+", text.lower())
    german = sum(w in _GERMAN_HINTS for w in words) + 2 * len(re.findall(r"[äöüß]", text.lower()))
    english = sum(w in _ENGLISH_HINTS for w in words)
    return "en" if english > german else "de"


# --- spreadsheet cells ----------------------------------------------------------------------------

# A text that starts like a formula (`@FIRE - ...`, a real organisation's name) is a value and
# is stored as it is; the exports defuse it (service/exports.py) by an apostrophe, which a
# spreadsheet hides. Reading such an export back drops the apostrophe again, so a round trip
# keeps the value.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(text: str) -> str:
    """A text for a spreadsheet cell (a CSV or XLSX export): one that starts like a formula
    gets an apostrophe before it, which spreadsheets show as text and hide (OWASP's advice on
    CSV injection). The ingest drops it again when it reads such a file."""
    return "'" + text if text.startswith(FORMULA_START) else text
