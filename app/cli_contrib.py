"""CLI commands of contributions: ``maillage users``, ``propose``, ``review``, ``history``, ``revert``.

A command that writes signs in first: ``--login`` (or ``$MAILLAGE_LOGIN``) and the
password from ``$MAILLAGE_PASSWORD`` or a hidden prompt; the session is closed when
the command ends. The role is checked by the store at the write (graph.contrib.accounts).
"""

from __future__ import annotations

import click

from app.cli import pass_ctx
from app.cli_kept import after_write
from app.output import echo, format_option, parse_params
from graph import model

LOGIN = click.option("--login", envvar="MAILLAGE_LOGIN", required=True, metavar="LOGIN",
                     help="The account that signs in (also $MAILLAGE_LOGIN); the password comes from "
                          "$MAILLAGE_PASSWORD or is asked.")
SOURCE = click.option("--source", "source", default="", metavar="TEXT",
                      help="The source: a document's title, a URL, or empty with --source-kind direct "
                           "(« connaissance directe de <your organisation> »).")
SOURCE_KIND = click.option("--source-kind", type=click.Choice(["document", "url", "direct"]), default="document",
                           show_default=True, help="What the source is.")
SET = click.option("--set", "pairs", multiple=True, metavar="NAME=VALUE",
                   help="A property (repeatable); lists as a|b; an empty value clears it in a correction.")
COMMENT = click.option("--comment", default="", help="A note for the editor.")


def _say(text: str) -> None:
    click.echo(text, err=True)


def _password(confirm: bool = False) -> str:
    import os

    return os.environ.get("MAILLAGE_PASSWORD") or click.prompt("mot de passe", hide_input=True,
                                                               confirmation_prompt=confirm)


def _session(ctx, login: str) -> str:
    """Sign ``login`` in and close the session when the command ends."""
    from graph.contrib import accounts

    token = accounts.sign_in(ctx.store, login, _password())
    click.get_current_context().call_on_close(lambda: accounts.sign_out(ctx.store, token))
    return token


# --- accounts ---------------------------------------------------------------------

@click.group()
def users():
    """Local accounts and their roles: reader, contributor (proposes), editor (reviews, imports).

    While no account exists, the app is read-only for everyone. Accounts are an
    identifier and an organisation (never an e-mail address); passwords are kept as
    salted argon2id hashes.
    """


@users.command("add")
@click.argument("login")
@click.option("--organisation", required=True, help="The organisation the account acts for.")
@click.option("--role", type=click.Choice(["reader", "contributor", "editor"]), default="contributor",
              show_default=True, help="What the account may do.")
@pass_ctx
def users_add(ctx, login, organisation, role):
    """Create the account LOGIN (or give it a new organisation, role and password).

    The password (10 characters at least) comes from $MAILLAGE_PASSWORD or is asked twice.
    """
    from graph.contrib import accounts

    account = accounts.add_user(ctx.store, login, organisation, role, _password(confirm=True))
    _say(f"compte {account.login} ({account.organisation}) : {account.role}")


@users.command("remove")
@click.argument("login")
@pass_ctx
def users_remove(ctx, login):
    """Delete the account LOGIN and its sessions (its contributions stay, anonymous)."""
    from graph.contrib import accounts

    accounts.remove_user(ctx.store, login)
    _say(f"compte {login} supprimé")


@users.command("role")
@click.argument("login")
@click.argument("role", type=click.Choice(["reader", "contributor", "editor"]))
@pass_ctx
def users_role(ctx, login, role):
    """Give the account LOGIN the role ROLE (its open sessions follow at their next write)."""
    from graph.contrib import accounts

    accounts.set_role(ctx.store, login, role)
    _say(f"compte {login} : {role}")


@users.command("list")
@format_option
@pass_ctx
def users_list(ctx, fmt):
    """Every account with its organisation and role."""
    import pandas as pd

    from graph.contrib import accounts

    echo(pd.DataFrame(accounts.users(ctx.store), columns=["login", "organisation", "role", "created_at"]), fmt)


# --- proposals ----------------------------------------------------------------------

@click.group()
def propose():
    """Propose a change of the base; an editor reviews it (maillage review).

    Every proposal names its source and holds no e-mail address or phone number.
    """


def _send(ctx, login, proposal, source_kind) -> None:
    from graph.contrib import proposals

    number = proposals.propose(ctx.store, _session(ctx, login), proposal, source_kind=source_kind)
    _say(f"proposition n° {number} enregistrée : elle attend la validation d'un éditeur")
    click.echo(number)


@propose.command("node")
@click.argument("label", type=click.Choice(["Structure", "Network", "Funder", "SharedPlace", "Initiative", "Event"]))
@click.argument("name")
@SET
@click.option("--seat", default="", metavar="COMMUNE", help="Its seat commune: id (commune:44109) or INSEE code.")
@SOURCE
@SOURCE_KIND
@COMMENT
@LOGIN
@pass_ctx
def propose_node(ctx, label, name, pairs, seat, source, source_kind, comment, login):
    """A new node: LABEL (Structure, Network…) named NAME, with --set properties."""
    from graph.contrib.proposals import Proposal

    if seat and ":" not in seat:
        seat = f"commune:{seat}"
    _send(ctx, login, Proposal("add_node", source, label=label, props={"name": name, **parse_params(pairs)},
                               seat=seat, comment=comment), source_kind)


@propose.command("relation")
@click.argument("source_id")
@click.argument("rel_type", metavar="TYPE", type=click.Choice(list(model.REL_TYPES)))
@click.argument("target_id")
@SET
@SOURCE
@SOURCE_KIND
@COMMENT
@LOGIN
@pass_ctx
def propose_relation(ctx, source_id, rel_type, target_id, pairs, source, source_kind, comment, login):
    """A relation SOURCE_ID TYPE TARGET_ID, with --set since=, until=, role=, kind=…"""
    from graph.contrib.proposals import Proposal

    _send(ctx, login, Proposal("add_relation", source, rel_type=rel_type, source_id=source_id,
                               target_id=target_id, props=parse_params(pairs), comment=comment), source_kind)


@propose.command("correction")
@click.argument("node_id")
@SET
@SOURCE
@SOURCE_KIND
@COMMENT
@LOGIN
@pass_ctx
def propose_correction(ctx, node_id, pairs, source, source_kind, comment, login):
    """New values of properties of NODE_ID (--set name=value; name= clears it)."""
    from graph.contrib.proposals import Proposal

    if not pairs:
        raise click.UsageError("donnez au moins une propriété à corriger : --set NOM=VALEUR")
    _send(ctx, login, Proposal("correct", source, target=node_id, props=parse_params(pairs), comment=comment),
          source_kind)


@propose.command("removal")
@click.argument("ids", nargs=-1, required=True, metavar="ID | SOURCE_ID TYPE TARGET_ID")
@SOURCE
@SOURCE_KIND
@COMMENT
@click.option("--key", default="", help="Which relation, when the two nodes have several of this type "
              "(its key: the year of a funding, else its start year).")
@LOGIN
@pass_ctx
def propose_removal(ctx, ids, source, source_kind, comment, key, login):
    """The removal of a node (ID) or of one relation (SOURCE_ID TYPE TARGET_ID [--key K])."""
    from graph.contrib.proposals import Proposal

    if len(ids) == 1:
        p = Proposal("remove_node", source, target=ids[0], comment=comment)
    elif len(ids) == 3:
        p = Proposal("remove_relation", source, source_id=ids[0], rel_type=ids[1], target_id=ids[2], key=key,
                     comment=comment)
    else:
        raise click.UsageError("attendu : ID, ou SOURCE_ID TYPE TARGET_ID")
    _send(ctx, login, p, source_kind)


# --- review, history, revert ---------------------------------------------------------

def _change(c: dict) -> str:
    p = c["payload"]
    if c["kind"] == "correct":
        return ", ".join(f"{k}: {c['before'].get(k)!r} → {v!r}" for k, v in p.get("props", {}).items())
    if c["kind"] == "add_node":
        return ", ".join(f"{k}={v!r}" for k, v in p.get("props", {}).items()) + \
            (f", siège {p['seat']}" if p.get("seat") else "")
    if c["kind"] == "add_relation":
        return ", ".join(f"{k}={v!r}" for k, v in p.get("props", {}).items())
    return p.get("name", "") if c["kind"] == "remove_node" else ""


def rows(contributions: list[dict]) -> list[dict]:
    return [{"number": c["number"], "status": c["status"], "kind": c["kind"], "target": c["target"],
             "change": _change(c), "source": c["source"], "proposed_at": c["proposed_at"],
             "reviewed_at": c.get("reviewed_at"), "reason": c.get("reason") or c.get("revert_reason")}
            for c in contributions]


@click.group(invoke_without_command=True)
@click.option("--status", type=click.Choice(["pending", "accepted", "rejected", "reverted", "all"]),
              default="pending", show_default=True, help="Which proposals to list.")
@format_option
@click.option("--login", envvar="MAILLAGE_LOGIN", default=None, metavar="LOGIN",
              help="The editor's account (also $MAILLAGE_LOGIN); the password from $MAILLAGE_PASSWORD or asked.")
@click.pass_context
def review(click_ctx, status, fmt, login):
    """The proposals waiting for review (editor role); `review accept N`, `review reject N` decide.

    An accept writes the change in one transaction with its provenance (a Source node
    source:contribution-N in the sources of what it wrote); a change of a value that
    moved since the proposal is a conflict, and nothing is written.
    """
    if click_ctx.invoked_subcommand is not None:
        return
    import pandas as pd

    from app.cli import Context
    from graph.contrib import review as rv

    if not login:
        raise click.UsageError("--login (ou $MAILLAGE_LOGIN) : le compte d'un éditeur")
    ctx = click_ctx.find_object(Context)
    found = rv.queue(ctx.store, _session(ctx, login), status="" if status == "all" else status)
    echo(pd.DataFrame(rows(found), columns=["number", "status", "kind", "target", "change", "source",
                                            "proposed_at", "reviewed_at", "reason"]), fmt)


@review.command("accept")
@click.argument("number", type=int)
@click.option("--reason", default="", help="The editor's note, kept with the change.")
@SET
@LOGIN
@pass_ctx
def review_accept(ctx, number, reason, pairs, login):
    """Write proposal NUMBER (with --set to amend its values) in one transaction with its provenance."""
    from graph.contrib import review as rv

    c = rv.accept(ctx.store, _session(ctx, login), number, reason=reason, amended=parse_params(pairs) or None)
    _say(f"contribution n° {number} acceptée{' (amendée)' if c['amended'] else ''} : {c['target']} "
         f"(source : source:contribution-{number})")
    after_write(ctx.store)


@review.command("reject")
@click.argument("number", type=int)
@click.option("--reason", required=True, help="Why (kept with the proposal).")
@LOGIN
@pass_ctx
def review_reject(ctx, number, reason, login):
    """Reject proposal NUMBER with a reason (it is kept, rejected)."""
    from graph.contrib import review as rv

    rv.reject(ctx.store, _session(ctx, login), number, reason)
    _say(f"contribution n° {number} refusée")


@click.command()
@click.argument("node_id")
@click.option("--login", envvar="MAILLAGE_LOGIN", default=None,
              help="An editor's account, to see the organisations that proposed and reviewed.")
@format_option
@pass_ctx
def history(ctx, node_id, login, fmt):
    """The accepted (and reverted) contributions of NODE_ID, oldest first."""
    import pandas as pd

    from graph.contrib import history as hs

    found = hs.history(ctx.store, node_id, _session(ctx, login) if login else None)
    table = rows(found)
    for row, c in zip(table, found):
        if "proposer_org" in c:
            row["proposed_by"], row["reviewed_by"] = c["proposer_org"], c["reviewer_org"]
    echo(pd.DataFrame(table), fmt)


@click.command()
@click.argument("number", type=int, metavar="CHANGE")
@click.option("--reason", required=True, help="Why the change is taken back (kept with it).")
@LOGIN
@pass_ctx
def revert(ctx, number, reason, login):
    """Take accepted contribution CHANGE back (editor role), as `maillage merge --undo` does."""
    from graph.contrib import history as hs

    c = hs.revert(ctx.store, _session(ctx, login), number, reason)
    _say(f"contribution n° {number} annulée : {c['target']} ({c['kind']})")
    after_write(ctx.store)


def register(main: click.Group) -> None:
    for command in (users, propose, review, history, revert):
        main.add_command(command)
