"""The command line: exact outputs, error texts and exit codes, against the real engine."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from app.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def run(env, *args, input=None):
    return CliRunner().invoke(main, list(args), env=env, input=input, catch_exceptions=False)


def test_cypher_refuses_writes(cli_env):
    result = run(cli_env, "cypher", "CREATE (n:X) RETURN n")
    assert result.exit_code == 1
    assert result.output == ("Error: this query writes to the graph, and only reads are allowed here "
                             "(CREATE, MERGE, SET, DELETE, REMOVE and schema changes are refused)\n")


def test_cypher_reads_as_json(cli_env):
    result = run(cli_env, "cypher", "UNWIND [1, 2] AS n RETURN n, 'x' AS s ORDER BY n", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output) == [{"n": 1, "s": "x"}, {"n": 2, "s": "x"}]


def test_cypher_params_and_csv(cli_env):
    result = run(cli_env, "cypher", "RETURN $a AS a, $b AS b", "-p", "a=hello",
                 "--json-params", '{"b": 3}', "--format", "csv")
    assert result.output == "a,b\nhello,3\n"


def test_cypher_syntax_error_is_one_line(cli_env):
    result = run(cli_env, "cypher", "MATCH (n RETURN n")
    assert result.exit_code == 1
    assert result.output.startswith("Error: the engine refused the query:")
    assert "Traceback" not in result.output


def test_usage_errors_exit_2(cli_env):
    assert run(cli_env, "cypher").exit_code == 2
    result = run(cli_env, "query", "stats.labels", "-p", "oops")
    assert result.exit_code == 2 and "'oops' : attendu NOM=VALEUR" in result.output


def test_unknown_query(cli_env):
    result = run(cli_env, "query", "nothing.here")
    assert result.exit_code == 1
    assert result.output == "Error: no query named 'nothing.here' in the library; `maillage queries` lists them\n"


def test_internal_statements_cannot_be_run_by_name(cli_env):
    result = run(cli_env, "query", "upsert.node")
    assert result.exit_code == 1
    assert result.output == "Error: upsert.node is an internal statement; only read queries can be run here\n"


def test_queries_lists_the_library(cli_env):
    result = run(cli_env, "queries", "--format", "json")
    names = [q["name"] for q in json.loads(result.output)]
    assert "explore.find" in names and "stats.labels" in names and "upsert.node" not in names


def test_stats_and_load(cli_env, tmp_path):
    b = tmp_path / "b"
    b.mkdir()
    (b / "structures.csv").write_text("id,name,legal_form\nstructure:x,X,scop\nstructure:y,Y,banana\n")
    result = CliRunner().invoke(main, ["load", str(b), "--report", str(tmp_path / "r.csv")], env=cli_env)
    assert result.exit_code == 0
    assert "2 lignes lues, 1 chargées, 1 rejetées" in result.output
    assert (tmp_path / "r.csv").read_text().splitlines()[1].startswith('structures.csv,3,legal_form,"valeur inconnue \'banana\'')
    stats = json.loads(run(cli_env, "stats", "--format", "json").output)
    assert {"kind": "node", "name": "Structure", "count": 1} in stats


def test_db_status(cli_env):
    result = run(cli_env, "db", "status", "--format", "json")
    status = json.loads(result.output)[0]
    assert status["running"] is True and status["pid"] > 0


def test_db_reset_asks_first(cli_env):
    result = run(cli_env, "db", "reset", input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output


def _commands(group: click.Group, prefix=""):
    for name, cmd in group.commands.items():
        yield (prefix + name).strip()
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, prefix + name + " ")


@pytest.mark.parametrize("command", sorted(_commands(main)))
def test_every_command_is_documented(command):
    assert command and main.get_command(click.Context(main), command.split()[0]).help
    first = command.split()[0]
    if " " in command:
        parent, sub = command.split(" ", 1)
        assert re.search(rf"`maillage {parent} [^`]*\b{sub}\b", README), f"{command} missing from README"
    else:
        assert f"`maillage {first}" in README, f"maillage {first} missing from the README"


def test_stats_reads_the_kept_counts_only_while_they_describe_the_graph(cli_env, tmp_path):
    """After a refresh `stats` gives the kept counts (the same as a scan); after a write it
    counts again, and never shows the counts of an older version."""
    b = tmp_path / "b"
    b.mkdir()
    (b / "structures.csv").write_text("id,name,legal_form\nstructure:x,X,scop\n")
    assert CliRunner().invoke(main, ["load", str(b)], env=cli_env).exit_code == 0
    scanned = json.loads(run(cli_env, "stats", "--format", "json").output)
    assert run(cli_env, "analyse", "refresh").exit_code == 0
    kept = json.loads(run(cli_env, "stats", "--format", "json").output)
    assert kept == scanned and {"kind": "node", "name": "Structure", "count": 1} in kept
    (b / "structures.csv").write_text("id,name,legal_form\nstructure:x,X,scop\nstructure:z,Z,scic\n")
    assert CliRunner().invoke(main, ["load", str(b)], env=cli_env).exit_code == 0
    after = json.loads(run(cli_env, "stats", "--format", "json").output)
    assert {"kind": "node", "name": "Structure", "count": 2} in after
