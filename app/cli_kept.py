"""CLI commands of the kept analyses: ``maillage analyse refresh`` and ``analyse kept``,
and :func:`cooperation`, through which ``analyse clusters``, ``brokers`` and ``partners``
read the kept result instead of computing it again (:mod:`graph.kept`)."""

from __future__ import annotations

import click
import pandas as pd

from app.cli import pass_ctx
from app.output import echo, format_option


def _say(text: str) -> None:
    click.echo(text, err=True)


def after_write(store) -> None:
    """Start the background refresh after a write, and say so (``MAILLAGE_ANALYSE_AFTER_WRITE=off``: not)."""
    from app import refresh

    if refresh.start(store):
        _say("analyses de toute la base : calcul lancé en arrière-plan (suivi : maillage analyse kept)")


def cooperation(store, G=None, parts: tuple[str, ...] | None = None) -> dict:
    """The default cooperation result (``{"T", "clustering", "scores"}``, or only ``parts``): the
    kept one when it describes the current graph, else computed now (from ``G`` or the
    typed graph) and kept."""
    from graph import kept
    from graph.convert import typed_graph

    version = store.version()["version"]
    info = kept.kept(store, kept.COOPERATION)
    found = kept.kept_result(store, kept.COOPERATION, parts) if info and info.version == version else None
    if found and found[0] == version:
        _say(f"… résultat gardé (calculé le {info.computed_at} sur la version courante)")
        return found[1]
    if G is None:
        G = typed_graph(store, progress=lambda what: _say(f"… {what}"))
    return kept.keep_cooperation(store, G, version)


def carry_over(store, before: str) -> None:
    """After ``--write`` stored the kept result's own scores on the nodes (a write: a new
    version), say that the kept result describes the new version too, when nothing else
    changed the graph in between (the analysis does not read the scores it writes)."""
    from graph import kept

    kept.carry_over(store, kept.COOPERATION, before, store.version()["version"])


@click.command("refresh")
@pass_ctx
def refresh_command(ctx):
    """Compute and keep the whole-base analyses: counts, clusters, brokers, national coverage.

    Loads, merges and imports start it in the background; run it yourself after
    writing with another tool (with `maillage db version --bump` first). The app's
    pages, `stats` and `analyse clusters|brokers` read what it keeps.
    """
    from app import refresh

    version = refresh.run(ctx.store, say=_say)
    if version is None:
        st = refresh.status(ctx.store) or {}
        click.echo(f"un calcul est déjà en cours (pid {st.get('pid')}, étape {st.get('step')}/{st.get('steps')} : "
                   f"{st.get('what')})")
        return
    click.echo(f"analyses gardées pour la version {version}")


@click.command("kept")
@format_option
@pass_ctx
def kept_command(ctx, fmt):
    """What is kept: each analysis, the version it describes, when it was computed, and the job running."""
    from app import refresh
    from graph import kept

    rows = []
    for kind in kept.KINDS:
        k = kept.kept(ctx.store, kind)
        rows.append({"analysis": kind, "version": k.version if k else None,
                     "computed_at": k.computed_at if k else None, "seconds": k.seconds if k else None,
                     "current": k.current if k else False})
    echo(pd.DataFrame(rows, columns=["analysis", "version", "computed_at", "seconds", "current"]), fmt)
    st = refresh.status(ctx.store)
    if st:
        what = {"running": f"en cours, étape {st.get('step')}/{st.get('steps')} : {st.get('what')}",
                "done": f"terminé le {st.get('finished_at')}", "interrupted": "interrompu",
                "failed": f"échoué : {st.get('error')}"}[st["state"]]
        _say(f"dernier calcul (démarré le {st.get('started_at')}) : {what}")


def register(analyse: click.Group) -> None:
    analyse.add_command(refresh_command)
    analyse.add_command(kept_command)
