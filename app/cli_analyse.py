"""CLI commands that analyse the graph: ``analyse clusters|brokers|coverage|partners`` and ``orient``.

``orient`` and ``analyse coverage`` read from the store only the part of the
graph their question needs (:mod:`graph.territorial`); the other commands read
the whole graph once (:func:`graph.convert.typed_graph`). Each runs a pure
function of :mod:`graph.analysis` on what it read and prints its rows as a
table, JSON or CSV. ``--write`` stores the results as properties with their
timestamp (``cluster``, ``betweenness``…, ``coverage_<need>``) so that Cypher
users and the library queries ``analysis.*`` can read them.
"""

from __future__ import annotations

import click
import pandas as pd

from app.cli import pass_ctx
from app.output import echo, format_option
from graph import model

AS_OF_HELP = "Only relations current that year (since ≤ YEAR ≤ until): the network as of YEAR."


def _say(text: str) -> None:
    click.echo(text, err=True)


def _n(number: int) -> str:
    """``36491`` → ``36 491`` (French thousands separator)."""
    return f"{number:,}".replace(",", "\u202f")


def _graph(store):
    """The typed graph of ``store``, saying what it reads (long on a national base)."""
    from graph.convert import typed_graph

    G = typed_graph(store, progress=lambda what: _say(f"… {what}"))
    _say(f"… {_n(G.number_of_nodes())} nœuds, {_n(G.number_of_edges())} relations")
    return G


def _projection(G, as_of):
    """The cooperation projection, kept by group (it fits in memory at national scale)."""
    from graph.analysis.projection import cooperation_ties

    T = cooperation_ties(G, as_of=as_of)
    _say(f"… projection de coopération : {_n(T.number_of_nodes())} structures, "
         f"{_n(T.number_of_edges())} liens" + (f" (en {as_of})" if as_of else ""))
    return T


def _write(store, label: str, rows: list[dict], what: str) -> None:
    from queries import library

    q = library().get("upsert.properties", backend=store.backend).render(LABEL=label)
    n = store.write_rows(q, rows)
    _say(f"{n} nœud(s) {label} mis à jour ({what})")


def _vocab(choices):
    return click.Choice(list(choices))


@click.group()
def analyse():
    """Compute clusters, brokers, territorial coverage and partner suggestions."""


@analyse.command("clusters")
@click.option("--seed", default=0, show_default=True, help="Seed of Louvain (same seed, same clusters).")
@click.option("--resolution", default=1.0, show_default=True, help="Louvain resolution (above 1: smaller clusters).")
@click.option("--as-of", type=int, default=None, metavar="YEAR", help=AS_OF_HELP)
@click.option("--write", is_flag=True, help="Store cluster and cluster_size on every structure.")
@format_option
@pass_ctx
def clusters(ctx, seed, resolution, as_of, write, fmt):
    """Cooperation clusters (Louvain on the cooperation projection), with modularity.

    One row per cluster: its size, main sectors, territories and networks, and the
    structures that bridge it to other clusters.
    """
    from app.cli_kept import carry_over, cooperation
    from graph.analysis import cluster_rows, cooperation_clusters
    from graph.kept import cluster_table

    kept_result = None
    if seed == 0 and resolution == 1.0 and as_of is None:  # the kept result, when current
        kept_result = cooperation(ctx.store, parts=("clustering",))
        result = kept_result["clustering"]
    else:
        G = _graph(ctx.store)
        result = cooperation_clusters(_projection(G, as_of), seed=seed, resolution=resolution, G=G)
    _say(f"modularité : {result.modularity:.3f} ; {len(result.clusters)} groupe(s), "
         f"{len(result.isolated)} structure(s) sans lien de coopération")
    rows = cluster_table(result)
    echo(pd.DataFrame(rows, columns=["cluster", "size", "sectors", "territories", "networks", "bridges"]), fmt)
    if write:
        before = ctx.store.version()["version"]
        _write(ctx.store, model.STRUCTURE, cluster_rows(result), "cluster, cluster_size")
        if kept_result is not None:
            carry_over(ctx.store, before)


@analyse.command("brokers")
@click.option("--top", default=20, show_default=True, help="Rows shown (0: all).")
@click.option("--seed", default=0, show_default=True, help="Seed of Louvain and of sampled betweenness.")
@click.option("--as-of", type=int, default=None, metavar="YEAR", help=AS_OF_HELP)
@click.option("--write", is_flag=True,
              help="Store betweenness, participation, constraint and isolated on every structure.")
@format_option
@pass_ctx
def brokers_command(ctx, top, seed, as_of, write, fmt):
    """Brokers: betweenness, participation across clusters and Burt's constraint.

    Betweenness is exact up to 2,000 structures; above, it is sampled (k = 500
    sources, seeded) on the structure-group graph (same distances; structures
    sharing several groups are joined by as many paths), in a background
    thread while the clusters are computed. Isolated structures (no cooperation tie)
    come last.
    """
    from app.cli_kept import carry_over, cooperation
    from graph.analysis import broker_rows, clusters_and_brokers

    kept_result = None
    if seed == 0 and as_of is None:  # the kept result, when current
        kept_result = cooperation(ctx.store, parts=("scores",))
        result = list(kept_result["scores"].values())
    else:
        _, result = clusters_and_brokers(_projection(_graph(ctx.store), as_of), seed=seed)
    cols = ["id", "name", "betweenness", "participation", "constraint", "degree", "cluster", "isolated"]
    shown = result[:top] if top else result
    echo(pd.DataFrame([{c: b.get(c) for c in cols} for b in shown], columns=cols), fmt)
    if write:
        before = ctx.store.version()["version"]
        _write(ctx.store, model.STRUCTURE, broker_rows(result), "betweenness, participation, constraint")
        if kept_result is not None:
            carry_over(ctx.store, before)


COVERAGE_VIEWS = ("white-zones", "territories", "density", "chain", "overlaps")


@analyse.command("coverage")
@click.option("--need", type=_vocab(model.FUNCTIONS), required=True, help="The support function to look for.")
@click.option("--stage", type=_vocab(model.STAGES), default=None, help="Only providers stating this stage.")
@click.option("--sector", default=None, metavar="ID", help="Only providers active in this sector (sector:…).")
@click.option("--level", type=click.Choice(["commune", "epci", "departement"]), default="commune",
              show_default=True, help="Territories to assess.")
@click.option("--scope", default=None, metavar="ID",
              help="Only territories within this one (departement:44, region:52); all France by default.")
@click.option("--view", type=click.Choice(COVERAGE_VIEWS), default="white-zones", show_default=True,
              help="white-zones (uncovered, by population), territories (all), density (urban/rural), "
                   "chain (stages covered), overlaps (several providers: mutualisation).")
@click.option("--top", default=20, show_default=True, help="Rows shown (0: all).")
@click.option("--write", is_flag=True, help="Store coverage_<need> and coverage_<need>_km on the territories.")
@format_option
@pass_ctx
def coverage_command(ctx, need, stage, sector, level, scope, view, top, write, fmt):
    """Territorial coverage of a need: who serves each territory, and the white zones.

    A territory is covered when a provider of the need serves it or a territory
    containing it (or is seated there). The distance is from the territory's
    centroid to the nearest provider's seat.
    """
    from graph import analysis
    from graph.territorial import coverage_graph

    if (scope, level, stage, sector, view, write) == (None, "commune", None, None, "white-zones", False) \
            and _kept_white_zones(ctx.store, need, top, fmt):
        return
    G = coverage_graph(ctx.store, need, scope)  # the scope, its containers, the providers of the need
    for value, what in ((scope, "--scope"), (sector, "--sector")):
        if value and value not in G:
            raise click.ClickException(f"{what} {value} : absent du graphe")
    top = top or None
    result = analysis.coverage(G, level=level, scope=scope, need=need, stage=stage, sector=sector)
    covered = sum(1 for r in result if r["covered"])
    pop = sum(r["population"] or 0 for r in result)
    pop_out = sum(r["population"] or 0 for r in result if not r["covered"])
    _say(f"{_n(covered)} territoire(s) couvert(s) sur {_n(len(result))} ; population sans couverture : "
         f"{_n(pop_out)} sur {_n(pop)}")
    if view == "white-zones":
        rows = analysis.white_zones(result, top=top)
        cols = ["id", "name", "population", "density", "nearest_km", "nearest_provider"]
    elif view == "territories":
        rows = sorted(result, key=lambda r: (r["providers"], -(r["population"] or 0), r["id"]))[:top]
        cols = ["id", "name", "population", "density", "providers", "nearest_km", "nearest_provider"]
    elif view == "density":
        rows = analysis.coverage_by_density(result)
        cols = list(rows[0]) if rows else ["density"]
    elif view == "chain":
        chain = analysis.support_chain(G, level=level, scope=scope, need=need, sector=sector)
        chain.sort(key=lambda c: (-len(c["missing"]), -(c.get("population") or 0), c["id"]))
        rows = [{"id": c["id"], "name": c.get("name"), "population": c.get("population"),
                 **{s: len(c["stages"][s]) for s in model.STAGES},
                 "missing": c["missing"], "complete": c["complete"]} for c in chain[:top]]
        cols = ["id", "name", "population", *model.STAGES, "missing", "complete"]
    else:
        rows = analysis.overlaps(G, level=level, scope=scope, need=need, sector=sector, stage=stage)[:top]
        cols = ["id", "name", "sector", "providers", "provider_ids"]
    echo(pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols), fmt)
    if write:
        _write(ctx.store, model.TERRITORY, analysis.coverage_rows(result, need, stage=stage),
               f"coverage_{need}" + (f"_{stage}" if stage else ""))


def _kept_white_zones(store, need, top, fmt) -> bool:
    """The national white zones of ``need`` from the kept coverage (maillage analyse refresh),
    when it describes the current graph and holds enough rows; False otherwise."""
    from graph import kept

    info = kept.kept(store, kept.COVERAGE)
    figures = (info.summary.get(need) if info and info.current else None)
    if not figures or (top or 10**9) > len(figures["white_zones"]) < figures["communes"] - figures["covered"]:
        return False
    _say(f"… résultat gardé (calculé le {info.computed_at} sur la version courante)")
    _say(f"{_n(figures['covered'])} territoire(s) couvert(s) sur {_n(figures['communes'])} ; population sans "
         f"couverture : {_n(figures['population_uncovered'])} sur {_n(figures['population'])}")
    rows = figures["white_zones"][:top or None]
    cols = list(kept.WHITE_ZONE_COLUMNS)
    echo(pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols), fmt)
    return True


@analyse.command("partners")
@click.argument("structure")
@click.option("--top", default=10, show_default=True, help="Suggestions shown.")
@click.option("--as-of", type=int, default=None, metavar="YEAR", help=AS_OF_HELP)
@format_option
@pass_ctx
def partners(ctx, structure, top, as_of, fmt):
    """Partner suggestions for STRUCTURE (an id): structures it is not tied to yet, with reasons.

    Scored by Adamic–Adar on the cooperation projection, favouring shared
    territory and complementary functions. Above 20,000 structures, candidates are
    looked for within two ties of STRUCTURE. The projection is the kept one
    (maillage analyse refresh); the structures it reaches are read from the store.
    """
    from app.cli_kept import cooperation
    from graph.analysis import partners_projection, suggest_partners
    from graph.territorial import profiles_graph

    if as_of:
        G = _graph(ctx.store)
        T = _projection(G, as_of)
    else:  # the kept projection, and from the store the profiles of the structures it ties to STRUCTURE
        T = cooperation(ctx.store, parts=("T",))["T"]
    if structure not in T:
        raise click.ClickException(f"{structure} : pas une structure du graphe (voir maillage query explore.find)")
    P = partners_projection(T, structure)
    rows = suggest_partners(G if as_of else profiles_graph(ctx.store, P.nodes), P, structure, top=top)
    cols = ["id", "name", "score", "adamic_adar", "distance", "reasons"]
    echo(pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols), fmt)


def _commune(text: str) -> str:
    from loaders.territories import territory_index

    matches = territory_index().find(text)
    if not matches:
        raise click.ClickException(f"commune introuvable : {text!r} (un nom, « Nom (dép.) » ou un code INSEE)")
    if len(matches) > 1:
        others = "; ".join(f"{m['name']} ({m['code']})" for m in matches[1:4])
        _say(f"attention : {len(matches)} communes s'appellent ainsi ; retenue : {matches[0]['name']} "
             f"({matches[0]['code']}, la plus peuplée) ; autres : {others}. Précisez « Nom (dép.) » ou le code.")
    return matches[0]["id"]


@click.command()
@click.argument("commune")
@click.option("--need", type=_vocab(model.FUNCTIONS), required=True, help="What the project needs.")
@click.option("--stage", type=_vocab(model.STAGES), default=None, help="The project's stage.")
@click.option("--sector", default=None, metavar="ID", help="The project's sector (sector:…).")
@click.option("--top", default=10, show_default=True, help="Providers shown (0: all).")
@format_option
@pass_ctx
def orient(ctx, commune, need, stage, sector, top, fmt):
    """Vers qui se tourner ? The providers to turn to for a project in COMMUNE.

    COMMUNE is a name ("Nantes", "Saint-Denis (974)") or an INSEE code. Most local
    first, then by sector match and distance, each with the reason it was chosen;
    the initiatives that answer the need follow on stderr.
    """
    from graph.analysis import orient as orient_fn
    from graph.territorial import orientation_graph

    commune_id = commune if commune.startswith("commune:") else _commune(commune)
    G = orientation_graph(ctx.store, commune_id)  # the commune, its containers, who is attached to them
    if commune_id not in G:
        raise click.ClickException(f"{commune_id} : absent du graphe (chargez le référentiel : maillage demo)")
    if sector and sector not in G:
        raise click.ClickException(f"--sector {sector} : absent du graphe")
    found = orient_fn(G, commune_id, need, stage, sector, top=top or None)
    _say(f"{found['count']} acteur(s) pour « {need} » à {found['name']} ({commune_id})")
    cols = ["id", "name", "level", "via", "distance_km", "reason"]
    echo(pd.DataFrame([{c: p.get(c) for c in cols} for p in found["providers"]], columns=cols), fmt)
    for i in found["initiatives"]:
        _say(f"initiative : {i['name']} ({i['id']}) — {i['reason']}")


def register(main: click.Group) -> None:
    """Add the analysis commands to ``main``."""
    from app import cli_kept

    cli_kept.register(analyse)
    main.add_command(analyse)
    main.add_command(orient)

