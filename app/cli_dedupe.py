"""CLI commands for identity resolution in the graph: ``dedupe --review|--apply`` and ``merge A B`` / ``merge --undo B``.

``dedupe`` compares the structures already in the graph with the rules of
:mod:`loaders.opendata.identity` (same SIREN, same RNA number, same normalised
name in the same commune, close names in the same commune; never two different
SIRENs), and the shared places with those of
:mod:`loaders.opendata.place_duplicates` (same name or same point in one commune). ``merge`` merges two nodes and records it so that it can be undone
(:mod:`graph.merge`).
"""

from __future__ import annotations

import click
import pandas as pd

from app.cli import pass_ctx
from app.cli_kept import after_write
from app.output import echo, format_option


def _say(text: str) -> None:
    click.echo(text, err=True)


def _pairs(store, min_score: float) -> pd.DataFrame:
    from graph.bundle_export import cell_text
    from graph.reading import fetch_all
    from loaders.importing import existing_structures
    from loaders.opendata.identity import find_duplicates
    from loaders.opendata.place_duplicates import find_place_duplicates

    records = existing_structures(store)
    places = [{k: (v if k in ("lat", "lon") else cell_text(v)) for k, v in r.items()}
              for r in fetch_all(store, "export.place_identities")]
    names = {r["id"]: r.get("name", "") for r in (*records, *places)}
    communes = {r["id"]: r.get("_commune", "") for r in records} | {r["id"]: r.get("commune", "") for r in places}
    _say(f"… {len(records)} structures et {len(places)} lieux comparés")
    matches = [("structure", m) for m in find_duplicates(records)]
    matches += [("lieu", m) for m in find_place_duplicates(places)]
    rows = [{"score": m.score, "kind": kind, "a": m.a, "name_a": names.get(m.a, ""), "b": m.b,
             "name_b": names.get(m.b, ""), "commune": communes.get(m.a) or communes.get(m.b) or "",
             "reason": m.reason}
            for kind, m in matches if m.score >= min_score]
    rows.sort(key=lambda r: (-r["score"], r["a"], r["b"]))
    return pd.DataFrame(rows, columns=["score", "kind", "a", "name_a", "b", "name_b", "commune", "reason"])


@click.command()
@click.option("--review", is_flag=True, help="List the probable duplicates with their score and reason; write nothing.")
@click.option("--apply", "apply_", is_flag=True,
              help="Merge every pair at or above --min-score (default 1.0: same SIREN or RNA number), "
                   "each recorded and undoable with `maillage merge --undo`.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=None,
              help="Lowest score listed or merged [--review: 0.8, --apply: 1.0].")
@click.option("--limit", default=100, show_default=True, help="Pairs listed at most (--review).")
@format_option
@pass_ctx
def dedupe(ctx, review, apply_, min_score, limit, fmt):
    """Find structures, and shared places, of the graph that are probably one.

    Structures: 1.0 same SIREN or RNA number, 0.95 same name (accents, case,
    legal-form words and "Association" left aside) in the same commune, below
    that close names in the same commune; two structures with different SIRENs
    or RNA numbers are never proposed. Places (kind "lieu"): 0.95 same name in
    the same commune, 0.9 the same point (one address), below that close names.
    Review the list, then `maillage merge A B` the pairs that are one (A is kept).
    """
    if review == apply_:
        raise click.UsageError("choose --review (list) or --apply (merge the sure pairs)")
    store = ctx.store
    if review:
        df = _pairs(store, 0.8 if min_score is None else min_score)
        _say(f"{len(df)} doublon(s) probable(s)" + (f", {limit} premiers affichés" if len(df) > limit else ""))
        echo(df.head(limit), fmt)
        return
    from graph.merge import merge_nodes

    df = _pairs(store, 1.0 if min_score is None else min_score)
    gone: set[str] = set()
    done = 0
    for row in df.itertuples():
        if row.a in gone or row.b in gone:
            continue  # one of them was merged already in this run
        plan = merge_nodes(store, row.a, row.b)
        gone.add(row.b)
        done += 1
        _say(plan.summary())
    click.echo(f"{done} fusion(s) faite(s) sur {len(df)} paire(s) de score ≥ "
               f"{1.0 if min_score is None else min_score} (annulables : maillage merge --undo ID)")
    if done:
        after_write(store)


@click.command()
@click.argument("ids", nargs=-1, metavar="A B")
@click.option("--undo", "undo_id", metavar="B", default=None,
              help="Take back the merge of B (the newest merge recorded on the node it went into).")
@click.option("--dry-run", is_flag=True, help="Say what the merge would change; write nothing.")
@pass_ctx
def merge(ctx, ids, undo_id, dry_run):
    """Merge node B into node A: A keeps its id and values, B fills what A lacks.

    Every relation of B moves to A, sources and provenance (origins) are
    united, B is deleted. The merge is recorded on A (merged_from, merge_log),
    so `maillage merge --undo B` recreates B with its relations. Nodes with
    different SIRENs or RNA numbers, of different types, or territories are
    never merged.
    """
    from graph.merge import merge_nodes, undo_merge

    store = ctx.store
    if undo_id:
        if ids:
            raise click.UsageError("--undo B takes no other id")
        result = undo_merge(store, undo_id)
        for k, v in result.changed_since.items():
            _say(f"attention : {k} a changé sur {result.a} depuis la fusion ; valeur actuelle gardée ({v!r})")
        for r in result.missing_ends:
            _say(f"attention : relation {r.type} vers {r.other} non rétablie ({r.other} n'existe plus)")
        click.echo(result.summary())
        after_write(store)
        return
    if len(ids) != 2:
        raise click.UsageError("give two ids: maillage merge A B (B is merged into A), or --undo B")
    plan = merge_nodes(store, ids[0], ids[1], dry_run=dry_run)
    for k, (kept, dropped) in plan.kept.items():
        _say(f"{k} : « {kept} » gardé, « {dropped} » de {plan.b} écarté (dans le journal de fusion)")
    for k, v in plan.set_props.items():
        _say(f"{k} ← {v!r}")
    click.echo(("essai à blanc : " if dry_run else "") + plan.summary()
               + ("" if dry_run else f" (annulable : maillage merge --undo {plan.b})"))
    if not dry_run:
        after_write(store)


def register(main: click.Group) -> None:
    main.add_command(dedupe)
    main.add_command(merge)
