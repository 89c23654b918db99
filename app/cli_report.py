"""CLI command ``maillage report TERRITORY``: the diagnostic territorial, as HTML or PDF."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from app.cli import pass_ctx
from graph import model


def _say(text: str) -> None:
    click.echo(text, err=True)


@click.command()
@click.argument("territory")
@click.option("--need", "needs", multiple=True, type=click.Choice(list(model.FUNCTIONS)),
              help="Only these support functions in the chain, white zones, overlaps and essaimage "
                   "(repeatable; all six by default).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE.html|FILE.pdf",
              help="Write the report here: .html (self-contained page) or .pdf (printed by Chromium). "
                   "Without it, the HTML page goes to stdout.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True,
              help="Language of the report.")
@pass_ctx
def report(ctx, territory, needs, out, lang):
    """The diagnostic territorial of TERRITORY: a report the way planners publish them.

    TERRITORY is a commune, an EPCI, a département or a région, by id
    (departement:23, commune:44109), code (23, 44109, 244400404) or name (Creuse,
    "Nantes (44)", Nouvelle-Aquitaine). The report gives the territory in figures
    beside its département, région and France; the support chain (providers per
    function and stage, the nearest, the gaps); the white zones on a map; the
    overlaps; cooperation (clusters, brokers, isolated structures, networks present
    and absent); shared places, initiatives and those from elsewhere answering a gap;
    the sources, the date and what the base does not know. Every figure is computed
    from the base now; clusters and brokers are the kept ones (maillage analyse refresh).
    """
    from app.components.report import report_html

    suffix = out.suffix.lower() if out else None
    if suffix not in (None, ".html", ".htm", ".pdf"):
        raise click.BadParameter(f"{out} : le fichier doit finir par .html ou .pdf", param_hint="--out")
    figures, html = report_html(ctx.store, territory, list(needs) or None, lang, warn=lambda m: _say(f"attention : {m}"))
    t = figures["territory"]
    chain = figures["chain"]
    absent = sorted({g["need"] for g in chain["gaps"] if g["kind"] == "absent"})
    _say(f"diagnostic de {t['name']} ({t['id']}) : {figures['figures']['actors']} acteur(s), "
         f"{len(chain['gaps'])} manque(s) dans la chaîne"
         + (f" (sans aucun acteur : {', '.join(absent)})" if absent else "")
         + f", {len(figures['white']['communes'])} commune(s) en zone blanche")
    if out is None:
        sys.stdout.write(html)
        return
    if suffix == ".pdf":
        from graph.report.pdf import html_to_pdf

        html_to_pdf(html, out)
    else:
        out.write_text(html, encoding="utf-8")
    _say(f"écrit : {out} ({out.stat().st_size // 1024} Ko)")


def register(main: click.Group) -> None:
    main.add_command(report)
