"""How strong a suggestion is on an absolute scale: stark, mittel, schwach.

The matcher's total score is relative (its parts are scaled by the best of each search), so the
first suggestion always looks good. The strength is read instead from the best evidence's own
semantic similarity (the vector index's score, 0..1, the same for every search), cut into three
bands calibrated on the judged set (`bench/strength.py` re-measures them; the precision of each
band is in README "Matching"). A suggestion with no semantic evidence (found only by shared
words) is weak unless its words carry it: it is then `medium` at most.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

Strength = Literal["strong", "medium", "weak"]

# Calibrated on the dev split of data/eval (bench/strength.py): see README "Matching".
STRONG = 0.72
MEDIUM = 0.66


def strength_score(similarities: Iterable[float | None]) -> float:
    """The best semantic similarity among a suggestion's evidence (0 if there is none)."""
    return max((s for s in similarities if s is not None), default=0.0)


def strength(score: float, *, strong: float = STRONG, medium: float = MEDIUM) -> Strength:
    if score >= strong:
        return "strong"
    if score >= medium:
        return "medium"
    return "weak"
