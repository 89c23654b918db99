"""CLI commands that protect the data: ``maillage db backup``, ``db restore`` and ``db version``."""

from __future__ import annotations

from pathlib import Path

import click

from app.cli import _engine, pass_ctx


@click.command("backup")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.option("--with-territories", is_flag=True,
              help="Also put the reference territories in the bundle copy (the snapshot always has them).")
@pass_ctx
def db_backup(ctx, dest, with_territories):
    """Back up the embedded engine to the new folder DEST.

    DEST gets an engine snapshot (fast, exact, same engine version), a bundle
    export of the graph (portable: loads into any version, or into Neo4j) and
    a manifest with the versions and counts. Run it while no load is running.
    """
    from graph.backup import backup

    engine = _engine(ctx)
    engine.start()
    manifest = backup(engine, ctx.store, dest, include_territories=with_territories)
    nodes = sum(manifest["counts"]["nodes"].values())
    rels = sum(manifest["counts"]["relationships"].values())
    click.echo(f"sauvegarde écrite : {dest} (graphe {manifest['graph']} : {nodes} nœuds, "
               f"{rels} relations ; moteur {manifest['engine']['server']}, "
               f"FalkorDB {manifest['engine']['falkordb']})")


@click.command("restore")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--method", type=click.Choice(["auto", "snapshot", "bundle"]), default="auto", show_default=True,
              help="auto: the engine snapshot if the versions match and it loads, else the bundle copy.")
@pass_ctx
def db_restore(ctx, src, yes, method):
    """Restore the backup SRC into the embedded engine's data folder.

    The engine is stopped first; its current files are kept aside in
    appendonlydir.before-restore-<time>, never deleted. The restored graph is
    checked against the counts recorded in the backup.
    """
    from graph.backup import has_data, read_manifest, restore
    from loaders.load import restore_bundle

    manifest = read_manifest(src)
    engine = _engine(ctx)
    if engine.home.exists() and has_data(engine) and not yes:
        click.confirm(f"Remplacer les données de {engine.home} par la sauvegarde {src} ? "
                      "(les fichiers actuels sont gardés à côté)", abort=True)
    engine.stop()
    result = restore(src, engine, method=method, load_bundle=restore_bundle)
    nodes = sum(result["counts"]["nodes"].values())
    rels = sum(result["counts"]["relationships"].values())
    how = "instantané du moteur" if result["method"] == "snapshot" else "export (bundle)"
    if result.get("snapshot_errors"):
        click.echo(f"attention : instantané non utilisé ({'; '.join(result['snapshot_errors'])})", err=True)
    if result.get("moved_aside"):
        click.echo(f"anciennes données gardées dans {result['moved_aside']}", err=True)
    click.echo(f"restauré depuis {how} : graphe {manifest['graph']}, {nodes} nœuds, {rels} relations")


@click.command("version")
@click.option("--bump", is_flag=True,
              help="Give the graph a new version (after writing with another tool: Neo4j Browser, cypher-shell).")
@click.option("--drop-copies", is_flag=True, help="Also remove the read copies of the whole graph.")
@pass_ctx
def db_version(ctx, bump, drop_copies):
    """The graph's version: what caches, read copies and kept analyses are valid for.

    Every write made through maillage changes it. Writes made with another tool do
    not: after one, ``--bump`` makes every cache and kept result out of date.
    """
    from graph import read_copy

    store = ctx.store
    if bump:
        store.bump_version()
    if drop_copies:
        click.echo(f"{read_copy.drop(store)} copie(s) de lecture supprimée(s)", err=True)
    v = store.version()
    copy = read_copy.path(store, v["version"]) if v["version"] else None
    kept = copy is not None and copy.exists()
    click.echo(f"version {v['version'] or '(graphe vide)'} · {v['changes']} écriture(s)"
               + (f" · dernière le {v['changed_at']}" if v["changed_at"] else "")
               + (f" · copie de lecture : {copy}" if kept else " · pas de copie de lecture"))


def register(main: click.Group) -> None:
    db = main.commands["db"]
    db.add_command(db_version)
    db.add_command(db_backup)
    db.add_command(db_restore)
