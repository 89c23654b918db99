"""Analysis results as rows for a batched write back to the store.

Each function turns a result into ``[{"id": ..., "props": {...}}]``, ready for an
``UNWIND $rows AS row MATCH (n {id: row.id}) SET n += row.props`` done by the
caller; every row carries ``analysed_at`` (ISO 8601, UTC, to the second: the
latest analysis of that node) and the timestamp of its own result (``cluster_at``,
``brokers_at``, ``coverage_<need>_at``), so that one analysis written after
another does not hide when the first was computed. A None
value removes a stale property when written with ``SET n += row.props``.
Property names only ever come from fixed names and the controlled vocabularies
of :mod:`graph.model`, never from free text.
"""

from __future__ import annotations

from datetime import datetime, timezone

from graph import model

from ._common import check_choice

__all__ = ["broker_rows", "cluster_rows", "coverage_rows", "now_iso"]


def now_iso() -> str:
    """The current UTC time as ``YYYY-MM-DDTHH:MM:SS+00:00``."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def cluster_rows(clustering, *, analysed_at: str | None = None) -> list[dict]:
    """Rows setting ``cluster`` and ``cluster_size`` on every structure (None if isolated).

    Parameters
    ----------
    clustering : Clustering
        A result of :func:`~graph.analysis.clusters.cooperation_clusters`.
    analysed_at : str, optional
        Timestamp to write; now by default.

    Examples
    --------
    >>> from graph.analysis.clusters import Cluster, Clustering
    >>> result = Clustering(0.1, [Cluster(0, 2, ["structure:a", "structure:b"])],
    ...                     {"structure:a": 0, "structure:b": 0}, ["structure:z"])
    >>> cluster_rows(result, analysed_at="2026-01-01T00:00:00+00:00")[-1]
    {'id': 'structure:z', 'props': {'cluster': None, 'cluster_size': None, 'cluster_at': '2026-01-01T00:00:00+00:00', 'analysed_at': '2026-01-01T00:00:00+00:00'}}
    """
    at = analysed_at or now_iso()
    rows = [{"id": m, "props": {"cluster": c.id, "cluster_size": c.size, "cluster_at": at, "analysed_at": at}}
            for c in clustering.clusters for m in c.members]
    rows += [{"id": n, "props": {"cluster": None, "cluster_size": None, "cluster_at": at, "analysed_at": at}}
             for n in clustering.isolated]
    return rows


def broker_rows(brokers: list[dict], *, analysed_at: str | None = None) -> list[dict]:
    """Rows setting ``betweenness``, ``participation``, ``constraint`` and ``isolated``.

    Parameters
    ----------
    brokers : list of dict
        A result of :func:`~graph.analysis.brokers.brokers`.

    Examples
    --------
    >>> row = {"id": "structure:a", "betweenness": 0.5, "participation": 0.25,
    ...        "constraint": 0.61, "isolated": False}
    >>> broker_rows([row], analysed_at="2026-01-01T00:00:00+00:00")[0]["props"]
    {'betweenness': 0.5, 'participation': 0.25, 'constraint': 0.61, 'isolated': False, 'brokers_at': '2026-01-01T00:00:00+00:00', 'analysed_at': '2026-01-01T00:00:00+00:00'}
    """
    at = analysed_at or now_iso()
    keys = ("betweenness", "participation", "constraint", "isolated")
    return [{"id": b["id"], "props": {**{k: b.get(k) for k in keys}, "brokers_at": at, "analysed_at": at}}
            for b in brokers]


def coverage_rows(result: list[dict], need: str, *, stage: str | None = None,
                  analysed_at: str | None = None) -> list[dict]:
    """Rows setting ``coverage_<need>`` (provider count), ``coverage_<need>_km`` and ``coverage_<need>_at``.

    With a ``stage`` the names become ``coverage_<need>_<stage>``,
    ``coverage_<need>_<stage>_km`` and ``coverage_<need>_<stage>_at``.

    Parameters
    ----------
    result : list of dict
        A result of :func:`~graph.analysis.coverage.coverage`.
    need : str
        The need it was computed for (a name of :data:`graph.model.FUNCTIONS`).
    stage : str, optional
        The stage it was computed for.

    Raises
    ------
    ValueError
        For a need or stage outside the vocabularies (they become property names).

    Examples
    --------
    >>> rows = [{"id": "commune:44109", "providers": 3, "nearest_km": 0.0}]
    >>> coverage_rows(rows, "lieu", analysed_at="2026-01-01T00:00:00+00:00")
    [{'id': 'commune:44109', 'props': {'coverage_lieu': 3, 'coverage_lieu_km': 0.0, 'coverage_lieu_at': '2026-01-01T00:00:00+00:00', 'analysed_at': '2026-01-01T00:00:00+00:00'}}]
    """
    check_choice(need, model.FUNCTIONS, "need")
    check_choice(stage, model.STAGES, "stage", optional=True)
    at = analysed_at or now_iso()
    name = f"coverage_{need}" + (f"_{stage}" if stage else "")
    return [{"id": r["id"], "props": {name: r["providers"], f"{name}_km": r["nearest_km"],
                                      f"{name}_at": at, "analysed_at": at}}
            for r in result]
