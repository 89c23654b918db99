"""CLI command ``maillage check [PATH]``: the consistency report of bundles or of the graph."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from app.cli import pass_ctx
from app.output import echo, format_option


@click.command()
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--only", "only", multiple=True, metavar="CHECK",
              help="Run only these checks (repeatable): conflict, orphan, duplicate_name, wrong_ends, "
                   "serves_unsourced, initiative_status.")
@format_option
@pass_ctx
def check(ctx, path, only, fmt):
    """Report what is inconsistent in the bundle(s) at PATH, or in the graph without PATH.

    PATH is a bundle folder, an XLSX bundle, or a folder of bundles (the seed:
    loaders/data/seed), where an id given different values by two bundles is
    found. Checks: conflict (one id, two values), orphan (a node in no relation),
    duplicate_name (same kind, same name, same commune), wrong_ends (a relation
    whose type does not fit its ends), serves_unsourced (SERVES without a source),
    initiative_status (an initiative without proposed/running/ended). Exits with
    1 when anything is found, so that CI can keep a base clean.
    """
    from graph.consistency import CHECKS, check as run_checks, records_of_bundles, records_of_store

    unknown = sorted(set(only) - set(CHECKS))
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)} (attendu : {', '.join(CHECKS)})", param_hint="--only")
    if path is not None:
        nodes, relations = records_of_bundles(path)
        what = str(path)
    else:
        nodes, relations = records_of_store(ctx.store)
        what = "le graphe"
    findings = [f for f in run_checks(nodes, relations) if not only or f.check in only]
    df = pd.DataFrame([vars(f) for f in findings], columns=["check", "id", "detail", "where"])
    if findings:
        echo(df, fmt)
    counts = df["check"].value_counts().to_dict()
    said = ", ".join(f"{counts[c]} {c}" for c in CHECKS if c in counts)
    click.echo(f"{what} : {len(nodes)} nœuds et {len(relations)} relations vérifiés ; "
               + (f"{len(findings)} constat(s) : {said}" if findings else "rien à signaler"), err=True)
    if findings:
        ctx_exit = click.get_current_context()
        ctx_exit.exit(1)


def register(main: click.Group) -> None:
    main.add_command(check)
