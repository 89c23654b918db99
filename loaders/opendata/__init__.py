"""Readers of French open data that turn real files into maillage bundle rows.

Every reader has the signature::

    read_<format>(path, *, departement=None, region=None, commune=None,
                  active_only=True, progress=None, **format_options) -> ImportResult

and is pure: it reads files and returns rows (``ImportResult.tables``: bundle
file name -> rows of strings) plus a :class:`~loaders.report.LoadReport` and
the number of rows ``filtered`` out, with ``read = loaded + rejected +
filtered``. Validation against the graph model and writing to a store are the
bundle loader's job (:mod:`loaders.bundle`, :mod:`loaders.load`).

========================  ==============================================================
format                    reader
========================  ==============================================================
``sirene``                :func:`read_sirene`: StockUniteLegale + StockEtablissement
``rna``                   :func:`read_rna`: RNA waldec / import
``gogocarto``             :func:`read_gogocarto`: GoGoCarto / Transiscope JSON or CSV
``datainclusion``         :func:`read_datainclusion`: data·inclusion structures
``tierslieux``            :func:`read_tierslieux`: CGET 2019 list, France Tiers-Lieux 2023
========================  ==============================================================

:func:`detect_format` tells them apart; :mod:`~loaders.opendata.identity`
finds and merges the records of one organisation across registers.
"""

from loaders.opendata.common import ImportResult, TerritoryFilter, commune_code
from loaders.opendata.datainclusion import read_datainclusion
from loaders.opendata.detect import FORMATS, detect_format, reader_for
from loaders.opendata.gogocarto import read_gogocarto
from loaders.opendata.identity import (
    Match, deduplicate, find_duplicates, match_keys, merge_records, merge_results, name_similarity,
    normalise_name, structure_records,
)
from loaders.opendata.rna import read_rna
from loaders.opendata.sirene import read_sirene
from loaders.opendata.tierslieux import read_tierslieux

__all__ = [
    "FORMATS", "ImportResult", "Match", "TerritoryFilter", "commune_code", "deduplicate",
    "detect_format", "find_duplicates", "match_keys", "merge_records", "merge_results",
    "name_similarity", "normalise_name", "read_datainclusion", "read_gogocarto", "read_rna",
    "read_sirene", "read_tierslieux", "reader_for", "structure_records",
]
