"""The contribution commands: users, propose, review, history, revert — exit codes and outputs."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from app.cli import main

PASSWORD = "mot-de-passe-assez-long"


def run(env, *args, password=PASSWORD):
    return CliRunner().invoke(main, list(args), env={**env, "MAILLAGE_PASSWORD": password},
                              catch_exceptions=False)


@pytest.fixture
def env(seed_store):
    return {"MAILLAGE_STORE": seed_store.url, "MAILLAGE_HOME": str(seed_store.home),
            "MAILLAGE_ANALYSE_AFTER_WRITE": "off", "MAILLAGE_LOGIN": ""}


def test_users_propose_review_history_revert(env):
    assert run(env, "users", "add", "coordination", "--organisation", "Ecossolies", "--role", "editor").exit_code == 0
    assert run(env, "users", "add", "benevole", "--organisation", "RADAR").exit_code == 0
    listed = json.loads(run(env, "users", "list", "--format", "json").stdout)
    assert [(u["login"], u["role"]) for u in listed] == [("benevole", "contributor"), ("coordination", "editor")]
    assert "hash" not in listed[0]

    out = run(env, "propose", "node", "Structure", "Atelier Vélo Solidaire", "--set", "legal_form=association",
              "--seat", "44109", "--source-kind", "direct", "--login", "benevole")
    assert out.exit_code == 0, out.output
    number = int(out.stdout.strip())
    queue = json.loads(run(env, "review", "--login", "coordination", "--format", "json").stdout)
    assert [(q["number"], q["kind"], q["target"]) for q in queue] == [
        (number, "add_node", "structure:atelier-velo-solidaire")]
    assert queue[0]["source"] == "connaissance directe de RADAR"

    refused = run(env, "review", "accept", str(number), "--login", "benevole")
    assert refused.exit_code == 1 and "il faut le rôle editor" in refused.output
    wrong = run(env, "review", "accept", str(number), "--login", "coordination", password="pas-le-bon-mot")
    assert wrong.exit_code == 1 and "identifiant ou mot de passe incorrect" in wrong.output

    done = run(env, "review", "accept", str(number), "--set", "legal_form=scic", "--reason", "vu au forum",
               "--login", "coordination")
    assert done.exit_code == 0 and "acceptée (amendée)" in done.stderr
    node = json.loads(run(env, "query", "explore.node", "-p", "id=structure:atelier-velo-solidaire",
                          "--format", "json").stdout)[0]
    assert node["properties"]["legal_form"] == "scic"
    assert node["properties"]["sources"] == [f"source:contribution-{number}"]

    public = json.loads(run(env, "history", "structure:atelier-velo-solidaire", "--format", "json").stdout)
    assert [h["number"] for h in public] == [number] and "proposed_by" not in public[0]
    editor = json.loads(run(env, "history", "structure:atelier-velo-solidaire", "--login", "coordination",
                            "--format", "json").stdout)
    assert editor[0]["proposed_by"] == "RADAR" and editor[0]["reviewed_by"] == "Ecossolies"

    assert run(env, "revert", str(number), "--reason", "doublon", "--login", "coordination").exit_code == 0
    gone = run(env, "query", "explore.node", "-p", "id=structure:atelier-velo-solidaire", "--format", "json")
    assert json.loads(gone.stdout) == []
    assert run(env, "users", "role", "benevole", "reader").exit_code == 0
    again = run(env, "propose", "removal", "structure:ecossolies", "--source", "x", "--login", "benevole")
    assert again.exit_code == 1 and "il faut le rôle contributor" in again.output
    assert run(env, "users", "remove", "benevole").exit_code == 0
    assert json.loads(run(env, "users", "list", "--format", "json").stdout)[0]["login"] == "coordination"


def test_proposals_with_personal_data_or_bad_values_are_refused(env):
    run(env, "users", "add", "benevole", "--organisation", "RADAR")
    mail = run(env, "propose", "correction", "structure:ecossolies", "--set", "description=écrire à a.b@example.org",
               "--source", "courrier", "--login", "benevole")
    assert mail.exit_code == 1 and "donnée personnelle (adresse e-mail)" in mail.output
    bad = run(env, "propose", "relation", "structure:ecossolies", "MEMBER_OF", "structure:ecossolies",
              "--source", "x", "--login", "benevole")
    assert bad.exit_code == 1 and "elle-même" in bad.output
    assert run(env, "propose", "correction", "structure:ecossolies", "--login", "benevole").exit_code == 2


def test_account_reads_are_not_library_queries(env):
    listed = run(env, "queries", "--format", "json").stdout
    assert "contrib.account" not in listed and "contrib.session" not in listed
    refused = run(env, "query", "contrib.account", "-p", "login=x")
    assert refused.exit_code == 1 and "internal" in refused.output
