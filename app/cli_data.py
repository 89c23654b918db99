"""CLI commands that move data in and out: load, load-territories, export, demo, app."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from app.cli import pass_ctx
from app.cli_kept import after_write
from graph.errors import ValidationFailed



def progress_bar(label: str):
    """A factory ``total -> callback(n)`` drawing a click progress bar on stderr."""
    def factory(total: int):
        bar = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True)
        bar.__enter__()

        def advance(n: int) -> None:
            bar.update(n)
            if bar.pos >= bar.length:
                bar.__exit__(None, None, None)
        return advance
    return factory


def print_report(report, report_file: str | None = None, limit: int = 20, *, summary: bool = True) -> None:
    for warning in dict.fromkeys(report.warnings):
        click.echo(f"attention : {warning}", err=True)
    for rejection in report.rejected[:limit]:
        click.echo(f"rejeté : {rejection}", err=True)
    if len(report.rejected) > limit:
        click.echo(f"… et {len(report.rejected) - limit} autre(s) rejet(s)"
                   + (f" (voir {report_file})" if report_file else " (--report FICHIER pour tout voir)"),
                   err=True)
    if report_file:
        import csv

        with open(report_file, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["file", "row", "column", "reason"])
            for r in report.rejected:
                w.writerow([r.file, r.row or "", r.column or "", r.reason])
    if summary:
        click.echo(report.summary())


LOAD_FORMATS = ("auto", "bundle", "sirene", "rna", "gogocarto", "datainclusion", "tierslieux")


def read_counter(label: str):
    """A callback ``n_read_so_far -> None`` drawing a counter of source rows on stderr."""
    from tqdm import tqdm

    bar = tqdm(desc=label, unit=" lignes", file=sys.stderr, mininterval=0.5, leave=False)

    def advance(n: int) -> None:
        bar.update(n - bar.n)
    advance.close = bar.close  # type: ignore[attr-defined]
    return advance


@click.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(LOAD_FORMATS), default="auto", show_default=True,
              help="bundle, or an open-data format: sirene (StockUniteLegale + StockEtablissement), rna "
                   "(waldec/import), gogocarto (GoGoCarto/Transiscope JSON or CSV), datainclusion, "
                   "tierslieux; auto: detected from the files when unambiguous.")
@click.option("--departement", default=None, metavar="CODES", help="Open data: keep this département (44, 2A; comma-separated list).")
@click.option("--region", default=None, metavar="CODES", help="Open data: keep this région (52; comma-separated list).")
@click.option("--commune", default=None, metavar="CODES", help="Open data: keep this commune (INSEE code; comma-separated list).")
@click.option("--include-closed", is_flag=True, help="Open data: keep closed units and dissolved associations too.")
@click.option("--dry-run", is_flag=True, help="Validate and report only; write nothing.")
@click.option("--strict", is_flag=True, help="Write nothing if any row is rejected.")
@click.option("--report", "report_file", type=click.Path(dir_okay=False),
              help="Write every rejected row (file, row, column, reason) to this CSV.")
@click.option("--batch-size", default=5000, show_default=True, help="Rows per transaction.")
@pass_ctx
def load(ctx, path, fmt, departement, region, commune, include_closed, dry_run, strict, report_file, batch_size):
    """Load a bundle (folder of CSV files, or one XLSX) or an open-data file into the graph.

    Every row is validated first; rejected rows are listed with file, row,
    column and reason, and the last line says: read, loaded, rejected. Open
    data (a file, a zip or a folder of one source) is matched with the
    structures already in the graph (same SIREN, RNA number, or name in the same
    commune): a second register completes the node the first one created.
    """
    from loaders.load import load_path
    from loaders.opendata import detect_format

    if fmt == "auto":
        fmt = detect_format(path)
    filters = {"departement": departement, "region": region, "commune": commune}
    if fmt == "bundle":
        if any(filters.values()) or include_closed:
            raise click.UsageError("--departement, --region, --commune and --include-closed apply to open data, "
                                   "not to a bundle")
        try:
            report = load_path(ctx.store, path, dry_run=dry_run, strict=strict, batch_size=batch_size,
                               progress_factory=progress_bar("chargement"))
        except ValidationFailed as err:
            print_report(err.report, report_file)
            raise
        print_report(report, report_file)
        if not dry_run:
            after_write(ctx.store)
        return
    from loaders.importing import import_path

    counter = read_counter(f"lecture {fmt}")
    try:
        outcome = import_path(ctx.store, path, fmt, **filters, active_only=not include_closed, dry_run=dry_run,
                              strict=strict, batch_size=batch_size, read_progress=counter,
                              progress_factory=progress_bar("chargement"))
    except ValidationFailed as err:
        counter.close()
        _print_outcome(err.outcome, report_file)
        raise
    counter.close()
    _print_outcome(outcome, report_file)
    if not dry_run:
        after_write(ctx.store)


def _print_outcome(outcome, report_file) -> None:
    """The source report (rows of the register), then the bundle report (rows written)."""
    from loaders.report import LoadReport

    listing = LoadReport(warnings=outcome.source.warnings,  # the bundle's, told in the user's file
                         rejected=outcome.rejections())
    click.echo(f"format : {outcome.format}")
    if outcome.review:
        click.echo(f"{len(outcome.review)} rapprochement(s) incertain(s) laissé(s) à votre examen "
                   "(maillage dedupe --review)", err=True)
    print_report(listing, report_file, summary=False)
    click.echo(outcome.summary())
    click.echo("bundle : " + outcome.bundle.summary())


@click.command("load-territories")
@click.option("--force", is_flag=True, help="Load again even if the store has territories.")
@pass_ctx
def load_territories(ctx, force):
    """Load all communes, EPCI, départements and régions of France (done automatically on first load)."""
    from loaders.load import ensure_territories

    n = ensure_territories(ctx.store, force=force, progress_factory=progress_bar("territoires"))
    click.echo(f"{n} lignes de territoires écrites" if n else "territoires déjà chargés (--force pour recharger)")


EXPORT_FORMATS = ("bundle", "graphml", "gexf", "kumu")


@click.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="bundle", show_default=True,
              help="bundle (CSV folder, reloadable), graphml or gexf (Gephi), kumu (JSON).")
@click.option("--with-territories", is_flag=True,
              help="Also export the reference territories (left out by default: every install has them).")
@pass_ctx
def export(ctx, out, fmt, with_territories):
    """Export the graph to OUT (a folder for bundle, a file otherwise)."""
    if fmt == "bundle":
        from graph.bundle_export import export_bundle

        counts = export_bundle(ctx.store, out, include_territories=with_territories)
        for name, n in counts.items():
            click.echo(f"{name}: {n}")
        return
    import json

    from graph import exports
    from graph.convert import typed_graph

    G = typed_graph(ctx.store, include_territories=with_territories)
    if fmt == "graphml":
        exports.to_graphml(G, out)
    elif fmt == "gexf":
        exports.to_gexf(G, out)
    else:
        Path(out).write_text(json.dumps(exports.to_kumu(G), ensure_ascii=False, indent=1), encoding="utf-8")
    click.echo(f"{G.number_of_nodes()} nœuds, {G.number_of_edges()} relations → {out}")


@click.command()
@click.option("--no-app", is_flag=True, help="Load and print the summary only (servers, scripts).")
@click.option("--port", default=8501, show_default=True, help="Port of the app.")
@click.pass_context
def demo(click_ctx, no_app, port):
    """Load France's territories and the seed knowledge base, then open the app."""
    from loaders.load import load_path, seed_bundles

    ctx = click_ctx.obj
    for bundle in seed_bundles():
        click.echo(f"== {bundle.name}")
        report = load_path(ctx.store, bundle, progress_factory=progress_bar(bundle.name))
        print_report(report)
    after_write(ctx.store)
    click_ctx.invoke(click_ctx.parent.command.commands["stats"], fmt="table")
    if not no_app:
        click_ctx.invoke(app_command, port=port, host="localhost", headless=False)


@click.command("app")
@click.option("--port", default=8501, show_default=True, help="Port to listen on.")
@click.option("--host", default="localhost", show_default=True, help="Address to listen on.")
@click.option("--headless/--browser", default=True, show_default=True,
              help="Do not try to open a browser (servers).")
@pass_ctx
def app_command(ctx, port, host, headless):
    """Start the Streamlit app and print its URL."""
    script = Path(__file__).resolve().parent / "streamlit_app.py"
    env = dict(os.environ)
    if ctx.url:
        env["MAILLAGE_STORE"] = ctx.url
    click.echo(f"maillage : http://{host}:{port}")
    # app.serve: Streamlit's own command in a process that has imported the pages' modules first
    cmd = [sys.executable, "-m", "app.serve", "run", str(script), "--server.port", str(port),
           "--server.address", host, "--server.headless", "true" if headless else "false",
           "--browser.gatherUsageStats", "false", "--global.developmentMode", "false",
           "--client.toolbarMode", "minimal"]  # no "Deploy" button: a self-hosted base has no use for it
    raise SystemExit(subprocess.call(cmd, env=env))


def register(main: click.Group) -> None:
    for cmd in (load, load_territories, export, demo, app_command):
        main.add_command(cmd)
