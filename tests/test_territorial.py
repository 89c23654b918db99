"""Territorial questions answered from what the store reads for them equal the whole-graph answers.

For orientation (one commune) and coverage (one scope, or France), the graph read
by :mod:`graph.territorial` gives the same rows as the typed graph of the whole
base, on the seed knowledge base and on the 10,000-structure bench bundle, for
every need, with and without a stage and a sector.
"""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from graph import analysis, model
from graph.convert import typed_graph
from graph.territorial import coverage_graph, orientation_graph, profiles_graph

REPO = Path(__file__).resolve().parent.parent


def _generate(out: Path, structures: int) -> Path:
    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "bench" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.generate(out, structures)
    return out


@pytest.fixture(scope="module")
def bench_store(engine, territories_graph, tmp_path_factory):
    """The 10,000-structure bench bundle loaded on the territorial reference (built once)."""
    from graph.embedded import FalkorStore
    from loaders.load import load_path

    bundle = _generate(tmp_path_factory.mktemp("bench") / "bundle", 10_000)
    engine.client().connection.execute_command("GRAPH.COPY", territories_graph, "bench_territorial")
    s = FalkorStore(engine.client(), graph="bench_territorial")
    s.home = engine.home  # read copies in the test engine's folder
    load_path(s, bundle)
    yield s
    s.clear()


def _sector(G) -> str:
    return min(n for n, d in G.nodes(data=True) if model.SECTOR in d["labels"])


def _communes(G, k: int, seed: int = 3) -> list[str]:
    """Communes where providers are seated or serve, and a few others, drawn reproducibly."""
    idx = analysis.GraphIndex(G)
    attached = sorted({t for n in idx.seats for t in idx.seats[n] if idx.level.get(t) == "commune"}
                      | {t for n in idx.served for t in idx.served[n] if idx.level.get(t) == "commune"})
    rng = random.Random(seed)
    others = sorted(t for t, lev in idx.level.items() if lev == "commune")
    return sorted(set(rng.sample(attached, min(k, len(attached))) + rng.sample(others, 3)))


def _check_orientation(store, communes):
    G = typed_graph(store)
    sector = _sector(G)
    asked = 0
    for c in communes:
        H = orientation_graph(store, c)
        assert H.number_of_nodes() < G.number_of_nodes()
        for need in model.FUNCTIONS:
            for stage, sec in ((None, None), ("creation", sector)):
                whole = analysis.orient(G, c, need, stage, sec, top=None)
                assert analysis.orient(H, c, need, stage, sec, top=None) == whole, (c, need, stage, sec)
                asked += bool(whole["providers"] or whole["initiatives"])
    assert asked > len(communes)  # the questions had answers to compare


def _check_coverage(store, scopes, levels=("commune", "epci", "departement")):
    G = typed_graph(store)
    idx = analysis.GraphIndex(G)
    sector = _sector(G)
    for scope in scopes:
        for need in model.FUNCTIONS:
            H = coverage_graph(store, need, scope)
            hidx = analysis.GraphIndex(H)
            for level in levels:
                for stage, sec in ((None, None), ("creation", sector))[:1 if scope is None else 2]:
                    kw = dict(level=level, scope=scope, need=need, sector=sec)
                    whole = analysis.coverage(G, stage=stage, index=idx, **kw)
                    assert analysis.coverage(H, stage=stage, index=hidx, **kw) == whole, (scope, need, level)
                    assert analysis.support_chain(H, index=hidx, **kw) == analysis.support_chain(
                        G, index=idx, **kw)
                    assert analysis.overlaps(H, stage=stage, index=hidx, **kw) == analysis.overlaps(
                        G, stage=stage, index=idx, **kw)


def test_orientation_from_the_store_equals_the_whole_graph_on_the_seed_base(shared_seed_store):
    G = typed_graph(shared_seed_store)
    _check_orientation(shared_seed_store, _communes(G, 6) + ["commune:44109", "commune:44162"])


def test_coverage_from_the_store_equals_the_whole_graph_on_the_seed_base(shared_seed_store):
    _check_coverage(shared_seed_store, [None, "region:52", "departement:44", "epci:244400404"],
                    levels=("commune", "departement"))


@pytest.mark.slow
def test_orientation_from_the_store_equals_the_whole_graph_on_the_bench_bundle(bench_store):
    _check_orientation(bench_store, _communes(typed_graph(bench_store), 10))


@pytest.mark.slow
def test_coverage_from_the_store_equals_the_whole_graph_on_the_bench_bundle(bench_store):
    _check_coverage(bench_store, [None, "region:84", "departement:2A"], levels=("commune", "epci"))


def _check_partners(store, k: int, seed: int = 5):
    """Partner suggestions on the profiles read for the projection equal those on the whole graph,
    for structures drawn reproducibly (the best-tied ones among them)."""
    G = typed_graph(store)
    T = analysis.cooperation_ties(G)
    ranked = sorted(T.nodes, key=lambda n: -T.to_graph(nodes=T.around(n, 50)).degree(n))[:k] \
        if len(T) < 200 else random.Random(seed).sample(sorted(T.nodes), k)
    checked = 0
    for s in ranked:
        P = analysis.partners_projection(T, s)
        whole = analysis.suggest_partners(G, P, s, top=20)
        assert analysis.suggest_partners(profiles_graph(store, P.nodes), P, s, top=20) == whole, s
        checked += bool(whole)
        # a national base's projection (above LOCAL_MAX): the ties of s and of its partners
        # among those within two ties suggest what the whole induced projection suggests
        near = T.around(s, len(T) - 1)
        lean = analysis.partners_projection(T, s, limit=len(T) - 1)
        assert set(lean) == set(near) and lean.number_of_edges() <= P.number_of_edges()
        induced = T.to_graph(nodes=near)
        assert analysis.suggest_partners(G, lean, s, top=20) == analysis.suggest_partners(G, induced, s, top=20), s
        for z in T.neighbours(s):
            assert dict(lean[z]) == dict(induced[z]), (s, z)
    assert checked >= k // 2  # most of them get suggestions: the comparison is not of empty lists


def test_partners_from_the_store_equal_the_whole_graph_on_the_seed_base(shared_seed_store):
    _check_partners(shared_seed_store, 12)


@pytest.mark.slow
def test_partners_from_the_store_equal_the_whole_graph_on_the_bench_bundle(bench_store):
    _check_partners(bench_store, 12)


def test_an_unknown_place_is_not_found(shared_seed_store):
    import networkx as nx

    with pytest.raises(nx.NodeNotFound):
        analysis.orient(orientation_graph(shared_seed_store, "commune:00000"), "commune:00000", "financement")
    with pytest.raises(nx.NodeNotFound):
        analysis.coverage(coverage_graph(shared_seed_store, "financement", "region:00"), scope="region:00",
                          need="financement")
