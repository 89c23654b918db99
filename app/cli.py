"""The ``maillage`` command line: a thin click layer over the package.

Exit codes: 0 ok, 1 a user error with a one-line message (no traceback),
2 a usage error. Every command has a help text (``maillage COMMAND --help``).
"""

from __future__ import annotations

import json
import logging
import sys

import click
import pandas as pd

from app.output import echo, format_option, parse_params
from graph.errors import MaillageError

STORE_HELP = ("Graph store URL: embedded:// (default), embedded:///DIR, falkordb://HOST:PORT, "
              "neo4j://HOST:PORT or bolt://HOST:PORT. Also from $MAILLAGE_STORE.")


class Group(click.Group):
    """Turns maillage's own errors into one-line messages and exit code 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except MaillageError as err:
            raise click.ClickException(str(err)) from None


class Context:
    def __init__(self, url: str | None):
        self.url = url
        self._store = None

    @property
    def store(self):
        if self._store is None:
            from graph.store import open_store

            self._store = open_store(self.url)
        return self._store

    def close(self):
        if self._store is not None:
            self._store.close()


pass_ctx = click.make_pass_decorator(Context)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "url", envvar="MAILLAGE_STORE", default=None, help=STORE_HELP)
@click.option("-v", "--verbose", is_flag=True, help="Log queries that fail, with their parameters.")
@click.version_option(package_name="maillage")
@click.pass_context
def main(ctx, url, verbose):
    """maillage: the cooperation networks of the social and solidarity economy (ESS).

    Structures, networks, funders, shared places and territories in a graph;
    clusters, brokers, coverage gaps and orientation computed on it; an app to
    explore it. Start with `maillage demo`.
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.ERROR, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = Context(url)
    ctx.call_on_close(ctx.obj.close)


# --- the embedded engine ---------------------------------------------------------

@main.group()
def db():
    """Start, stop, inspect, reset, back up the embedded FalkorDB engine."""


def _engine(ctx: Context):
    from urllib.parse import urlparse

    from graph.embedded import EmbeddedEngine
    from graph.store import redact_url, store_url

    parsed = urlparse(store_url(ctx.url))
    if parsed.scheme != "embedded":
        where = redact_url(store_url(ctx.url))
        instead = ("back it up with `neo4j-admin database dump` (or `neo4j-admin database backup` on "
                   "Enterprise), or copy the graph with `maillage export DIR` (a bundle, reloaded by "
                   "`maillage load DIR`)" if parsed.scheme.startswith(("neo4j", "bolt")) else
                   "manage that server with its own tools, or copy the graph with `maillage export DIR`")
        raise click.ClickException(f"`maillage db` manages the embedded engine, and the store is {where}: {instead}")
    return EmbeddedEngine(parsed.path or None)


@db.command("start")
@pass_ctx
def db_start(ctx):
    """Start the embedded engine (it is also started on first use)."""
    engine = _engine(ctx)
    started = engine.start()
    click.echo(f"{'moteur démarré' if started else 'moteur déjà en marche'} : {engine.home}")


@db.command("stop")
@pass_ctx
def db_stop(ctx):
    """Stop the embedded engine cleanly (its data is written to disk first)."""
    engine = _engine(ctx)
    click.echo("moteur arrêté" if engine.stop() else "moteur déjà arrêté")


@db.command("status")
@format_option
@pass_ctx
def db_status(ctx, fmt):
    """Say whether the engine runs, where its data is, and how much memory it uses."""
    st = _engine(ctx).status()
    df = pd.DataFrame([{"running": st.running, "home": str(st.home), "pid": st.pid,
                        "version": st.version, "used_memory": st.used_memory,
                        "graphs": list(st.graphs)}])
    echo(df, fmt)


@db.command("reset")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_ctx
def db_reset(ctx, yes):
    """Delete every graph of the embedded engine (asks first)."""
    engine = _engine(ctx)
    if not yes:
        click.confirm(f"Effacer toutes les données de {engine.home} ?", abort=True)
    engine.reset()
    click.echo("base effacée")


# --- reading the graph -------------------------------------------------------------

@main.command()
@format_option
@pass_ctx
def stats(ctx, fmt):
    """Count nodes by label and relationships by type.

    The counts kept with the graph version after the last write (`maillage analyse kept`)
    when they describe the current graph, else counted now (a scan of the base)."""
    from graph import kept

    store = ctx.store

    def counts(name):
        rows = kept.overview_rows(store, name, {})
        return pd.DataFrame(rows) if rows else store.query(name)

    labels = counts("stats.labels").assign(kind="node").rename(columns={"label": "name"})
    rels = counts("stats.relationships").assign(kind="relationship").rename(columns={"type": "name"})
    df = pd.concat([labels, rels], ignore_index=True)[["kind", "name", "count"]]
    echo(df, fmt)


@main.command("queries")
@format_option
def list_queries(fmt):
    """List the query library: name, title and parameters."""
    from queries import library

    lib = library()
    rows = []
    for name in lib.names():
        q = lib.get(name)
        params = ", ".join(f"{p.name}:{p.type}" + ("" if p.required else f"={p.default}")
                           for p in q.params)
        rows.append({"name": name, "title": q.title, "params": params})
    echo(pd.DataFrame(rows, columns=["name", "title", "params"]), fmt)


@main.command()
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter; repeat for several.")
@format_option
@pass_ctx
def query(ctx, name, params, fmt):
    """Run the library query NAME (see `maillage queries`), read-only."""
    from queries import library

    q = library().get(name, backend=ctx.store.backend)
    if q.writes or q.internal or (q.template and q.template != ("LABEL",)):
        raise click.ClickException(f"{name} is an internal statement; only read queries can be run here")
    echo(ctx.store.query(name, **parse_params(params)), fmt)


@main.command()
@click.argument("statement")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A $parameter (values are strings; use JSON with --json-params).")
@click.option("--json-params", default=None, help="Parameters as a JSON object.")
@click.option("--timeout", default=30.0, show_default=True, help="Seconds before the query is stopped.")
@click.option("--max-rows", default=10_000, show_default=True, help="Rows shown at most.")
@format_option
@pass_ctx
def cypher(ctx, statement, params, json_params, timeout, max_rows, fmt):
    """Run a read-only Cypher STATEMENT; any write is refused by the engine."""
    values = parse_params(params)
    if json_params:
        try:
            values.update(json.loads(json_params))
        except json.JSONDecodeError as err:
            raise click.BadParameter(f"not JSON: {err}", param_hint="--json-params")
    echo(ctx.store.run(statement, values, write=False, timeout=timeout, max_rows=max_rows), fmt)


def _register_subcommands() -> None:
    from app import cli_admin, cli_analyse, cli_check, cli_contrib, cli_data, cli_dedupe, cli_report

    cli_admin.register(main)
    cli_check.register(main)
    cli_data.register(main)
    cli_analyse.register(main)
    cli_dedupe.register(main)
    cli_report.register(main)
    cli_contrib.register(main)


_register_subcommands()

if __name__ == "__main__":  # pragma: no cover
    main()
