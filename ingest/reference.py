"""The reference tables, as the ingest (and the sample generator) import them: they are defined in
`graph.reference`, below ingest and matching alike."""

from __future__ import annotations

from graph.reference import (
    Postcode,
    Reference,
    ReferenceData,
    load_reference,
    reference_dir,
)

__all__ = ["Postcode", "Reference", "ReferenceData", "load_reference", "reference_dir"]
