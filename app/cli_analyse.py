"""CLI commands that analyse the graph: analyse clusters|brokers|coverage|partners, orient."""

from __future__ import annotations

import click


def register(main: click.Group) -> None:
    """Add the analysis commands to ``main`` (filled in with graph/analysis)."""
