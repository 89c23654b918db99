"""Printing results for the CLI: a table for people, JSON or CSV for scripts.

``--format json`` prints one JSON array with one object per row (column name
→ value) and nothing else on stdout; ``--format csv`` prints a header and rows
with spreadsheet formulas neutralised.
"""

from __future__ import annotations

import csv
import io
import json
import math

import click
import pandas as pd

FORMATS = ("table", "json", "csv")
format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
    help="table for reading, json (one array of objects) or csv for scripts.")


def _jsonable(value):
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def records(df: pd.DataFrame) -> list[dict]:
    return [{str(k): _jsonable(v) for k, v in row.items()} for row in df.to_dict("records")]


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(_jsonable(value), ensure_ascii=False)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def render(df: pd.DataFrame, fmt: str, *, max_width: int = 60) -> str:
    """``df`` as text in ``fmt`` (see the module docstring)."""
    if fmt == "json":
        return json.dumps(records(df), ensure_ascii=False, indent=1)
    if fmt == "csv":
        from graph.exports import neutralise_formula

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(list(df.columns))
        for row in df.itertuples(index=False):
            writer.writerow([neutralise_formula(_text(v)) for v in row])
        return buf.getvalue().rstrip("\n")
    if df.empty:
        return "(aucune ligne)"
    cells = [[_text(v) for v in row] for row in df.itertuples(index=False)]
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in row] for row in cells]
    headers = [str(c) for c in df.columns]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    sep = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    out = "\n".join([line.rstrip(), sep, *body])
    if df.attrs.get("truncated"):
        out += f"\n… résultat tronqué à {len(df)} lignes"
    return out


def echo(df: pd.DataFrame, fmt: str) -> None:
    click.echo(render(df, fmt))


def parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    """``("k=v", ...)`` → ``{"k": "v"}``, or a usage error naming the bad pair."""
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise click.BadParameter(f"{pair!r} : attendu NOM=VALEUR", param_hint="--param")
        key, value = pair.split("=", 1)
        out[key.strip()] = value
    return out
