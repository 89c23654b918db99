"""Read copies of the typed graph (graph.read_copy) against the real embedded engine:
kept after a full read, used by the next reader of the same version, never after a write."""

from __future__ import annotations

import networkx as nx
from click.testing import CliRunner

from graph import read_copy
from graph.convert import _read, typed_graph


def _same(G: nx.MultiDiGraph, H: nx.MultiDiGraph) -> None:
    assert list(G.nodes(data=True)) == list(H.nodes(data=True))
    assert list(G.edges(keys=True, data=True)) == list(H.edges(keys=True, data=True))


def _steps(store, **kw) -> tuple[nx.MultiDiGraph, list[str]]:
    said: list[str] = []
    G = typed_graph(store, progress=said.append, **kw)
    return G, said


def test_the_second_read_of_a_version_comes_from_its_copy_and_equals_the_engine(shared_seed_store):
    store = shared_seed_store
    version = store.version()["version"]
    assert version
    read_copy.path(store, version).unlink(missing_ok=True)
    first, said = _steps(store)
    assert said == ["lecture des nœuds", "lecture des relations"]
    assert read_copy.path(store, version).is_file()
    second, said = _steps(store)
    assert said == ["lecture de la copie de la version courante"]
    _same(second, first)
    _same(second, _read(store, None))  # the engine's graph, read now
    assert second is not first and second.number_of_edges() > 1000


def test_a_write_makes_the_copy_stale_and_the_next_save_removes_it(seed_store):
    typed_graph(seed_store)
    old = read_copy.path(seed_store, seed_store.version()["version"])
    assert old.is_file()
    seed_store.run("CREATE (:Structure {id: 'structure:new', name: 'Nouvelle'})", write=True)
    G, said = _steps(seed_store)
    assert "structure:new" in G and said[0] == "lecture des nœuds"
    assert not old.exists()
    assert read_copy.path(seed_store, seed_store.version()["version"]).is_file()


def test_a_graph_read_while_a_write_came_in_is_not_kept(seed_store):
    def write_meanwhile(what):
        if what == "lecture des relations":
            seed_store.run("CREATE (:Structure {id: 'structure:meanwhile', name: 'M'})", write=True)

    before = seed_store.version()["version"]
    typed_graph(seed_store, progress=write_meanwhile)
    assert not read_copy.path(seed_store, before).exists()
    assert not read_copy.path(seed_store, seed_store.version()["version"]).exists()
    assert "structure:meanwhile" in typed_graph(seed_store)


def test_a_copy_cut_short_is_ignored(seed_store):
    G = typed_graph(seed_store)
    p = read_copy.path(seed_store, seed_store.version()["version"])
    p.write_bytes(p.read_bytes()[:1000])
    H, said = _steps(seed_store)
    assert said[0] == "lecture des nœuds"
    _same(H, G)


def test_without_territories_from_a_copy(shared_seed_store):
    typed_graph(shared_seed_store)
    G = typed_graph(shared_seed_store, include_territories=False)
    assert G.number_of_nodes() > 0
    assert not any("Territory" in d["labels"] for _, d in G.nodes(data=True))
    assert "Territory" in typed_graph(shared_seed_store).nodes["commune:44109"]["labels"]


def test_copies_can_be_turned_off(seed_store, monkeypatch):
    monkeypatch.setenv("MAILLAGE_READ_COPIES", "off")
    typed_graph(seed_store)
    assert not read_copy.path(seed_store, seed_store.version()["version"]).exists()


def test_an_empty_graph_has_no_copy(store):
    assert typed_graph(store).number_of_nodes() == 0
    assert not read_copy.folder(store).is_dir() or not list(read_copy.folder(store).glob(f"{store.graph_name}-*"))


def test_db_version_bumps_and_drops(cli_env, engine):
    from app.cli import main
    from graph.store import open_store

    runner = CliRunner()
    s = open_store(cli_env["MAILLAGE_STORE"])
    s.run("CREATE (:Structure {id: 'structure:a', name: 'A'})", write=True)
    assert s.home == engine.home
    before = s.version()["version"]
    typed_graph(s)
    out = runner.invoke(main, ["db", "version"], env=cli_env)
    assert out.exit_code == 0 and before in out.output and "copie de lecture :" in out.output
    out = runner.invoke(main, ["db", "version", "--bump", "--drop-copies"], env=cli_env)
    assert out.exit_code == 0, out.output
    after = s.version()["version"]
    assert after != before and after in out.output and "pas de copie de lecture" in out.output
    assert not read_copy.path(s, before).exists()


def test_the_national_half_of_a_coverage_question_is_kept_per_version(seed_store):
    from graph.territorial import coverage_graph, keep_national_reads

    version = seed_store.version()["version"]
    part = read_copy.path(seed_store, version, "providers-financement")
    part.unlink(missing_ok=True)
    G = coverage_graph(seed_store, "financement", "departement:44")
    assert part.is_file()  # kept by the first question, beside the version's whole copy
    whole = read_copy.path(seed_store, version)
    typed_graph(seed_store)
    assert whole.is_file() and part.is_file()  # saving one keeps the other
    _same(coverage_graph(seed_store, "financement", "departement:44"), G)
    seed_store.run("CREATE (:Funder {id: 'funder:nouveau', name: 'Nouveau', functions: ['financement']})",
                   write=True)
    assert "funder:nouveau" in coverage_graph(seed_store, "financement", "departement:44")
    assert not part.exists()  # the older version's part went with its version
    assert keep_national_reads(seed_store) == 7  # orientation, and one per support function
    new = seed_store.version()["version"]
    assert read_copy.path(seed_store, new, "orientation").is_file()
    assert read_copy.path(seed_store, new, "providers-accompagnement").is_file()
