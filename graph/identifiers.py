"""The legal identifiers of an organisation record, and when two records can never be one.

A SIREN (9 digits, or the first 9 of a 14-digit SIRET) and an RNA number
(``W…``) identify an organisation in the French registers: two records with
different ones are different organisations, whatever their names say. Used by
the loaders' duplicate detection and by :mod:`graph.merge`.
"""

from __future__ import annotations

import re

__all__ = ["conflict", "rna_of", "siren_of"]


def siren_of(rec: dict) -> str:
    """The SIREN of a record (from ``siren`` or ``siret``), or ``""``.

    >>> siren_of({"siret": "123 456 789 00012"})
    '123456789'
    """
    for key in ("siren", "siret"):
        digits = re.sub(r"\D", "", str(rec.get(key) or ""))
        if len(digits) in (9, 14):
            return digits[:9]
    return ""


def rna_of(rec: dict) -> str:
    """The RNA number of a record, upper case, or ``""``."""
    return str(rec.get("rna") or "").strip().upper()


def conflict(a: dict, b: dict) -> str | None:
    """Why ``a`` and ``b`` can never be one organisation (different SIRENs or RNA numbers), or None.

    >>> conflict({"siren": "123456789"}, {"siret": "98765432100011"})
    'SIREN différents (123456789 / 987654321)'
    >>> conflict({"rna": "W441000001"}, {"siren": "123456789"}) is None
    True
    """
    sa, sb = siren_of(a), siren_of(b)
    if sa and sb and sa != sb:
        return f"SIREN différents ({sa} / {sb})"
    ra, rb = rna_of(a), rna_of(b)
    if ra and rb and ra != rb:
        return f"numéros RNA différents ({ra} / {rb})"
    return None
