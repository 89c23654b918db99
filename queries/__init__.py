"""The Cypher library: every statement maillage sends, one per ``.cypher`` file.

A query's name is its path: ``queries/explore/neighbourhood.cypher`` is
``explore.neighbourhood``. Where Neo4j and FalkorDB need different text, a
pair ``name.neo4j.cypher`` / ``name.falkordb.cypher`` stands in for the one file.

Each file starts with a comment header::

    // title: Neighbourhood of a node
    // description: the nodes one hop away, by relationship type
    // param id: string            -- the node's id
    // param limit: integer = 50   -- rows at most
    // returns: type, id, name, labels
    // mode: read                   (or write; read is the default)
    // template: LABEL              (placeholders filled from graph.model only)
    // internal: why                (run by the program only: not listed, not runnable by name)
    // cursor: id after             (keyset paging: the next page passes the last row's
                                     ``id`` as ``$after``; see graph.reading.fetch_pages)

Values only ever enter as ``$params``. Internal statements that must name a
label or relationship type (upserts, schema) are templates: the placeholders
``__LABEL__``, ``__SRC__``, ``__DST__``, ``__TYPE__``, ``__EXTRA__`` are valid
identifiers (so the file lints as Cypher) and :meth:`Query.render` replaces them
with names from :mod:`graph.model`'s whitelists, never from user input.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from graph import model
from graph.errors import ParameterError, UnknownQuery

ROOT = Path(__file__).parent
TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool,
         "list": list, "map": dict}
_HEADER = re.compile(r"^//\s*(\w+)(?:\s+(\w+))?\s*:\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s*(?:=\s*(.*?))?\s*(?:--\s*(.*))?$")
_STRINGS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*")
_PARAM_REF = re.compile(r"\$(\w+)")
_PLACEHOLDER = re.compile(r"__([A-Z]+)__")
BACKENDS = ("falkordb", "neo4j")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: object = None
    required: bool = True
    description: str = ""


@dataclass(frozen=True)
class Query:
    """One statement of the library, with what its header says about it."""

    name: str
    text: str
    path: Path
    title: str = ""
    description: str = ""
    params: tuple[Param, ...] = ()
    returns: tuple[str, ...] = ()
    mode: str = "read"
    template: tuple[str, ...] = ()
    backend: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def writes(self) -> bool:
        return self.mode == "write"

    @property
    def internal(self) -> bool:
        """``// internal: why``: a read the program runs itself (accounts, the review queue), which
        ``maillage queries``, ``maillage query`` and the app's query page leave out."""
        return bool(self.extra.get("internal"))

    @property
    def cursor(self) -> tuple[str, str] | None:
        """``(column, param)`` of a keyset-paged query (``// cursor: id after``), else None:
        rows come in ``column`` order and the next page passes the last row's ``column`` as
        ``$param``, with ``$limit`` rows at most per page."""
        text = self.extra.get("cursor")
        if not text:
            return None
        column, param = text.split()
        return column, param

    def bind(self, values: dict) -> dict:
        """Check ``values`` against the declared params; return the full parameter map.

        Missing params take their default; a missing required one, an unknown
        one, or a value of the wrong type raises :class:`ParameterError`.
        """
        values = dict(values)
        known = {p.name for p in self.params}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ParameterError(
                f"query {self.name} has no parameter {', '.join(unknown)}"
                f" (it takes: {', '.join(sorted(known)) or 'none'})")
        bound = {}
        for p in self.params:
            if p.name in values and values[p.name] is not None:
                bound[p.name] = coerce(self.name, p, values[p.name])
            elif p.required:
                raise ParameterError(f"query {self.name} needs the parameter {p.name} ({p.type})")
            else:
                bound[p.name] = p.default
        return bound

    def render(self, **names: str) -> str:
        """Fill the template placeholders with labels / relationship types from graph.model."""
        if set(names) != set(self.template):
            raise ValueError(f"query {self.name} takes placeholders {self.template}, got {sorted(names)}")
        out = self.text
        for key, value in names.items():
            checked = model.rel_type(value) if key == "TYPE" else model.label(value)
            out = out.replace(f"__{key}__", checked)
        return out


def coerce(query: str, p: Param, value):
    """Turn a CLI/form string into the param's type, or check a Python value's type."""
    if isinstance(value, str) and p.type != "string":
        text = value.strip()
        try:
            if p.type == "integer":
                return int(text)
            if p.type == "number":
                return float(text)
            if p.type == "boolean":
                if text.lower() in ("true", "1", "yes", "oui"):
                    return True
                if text.lower() in ("false", "0", "no", "non"):
                    return False
                raise ValueError(text)
            if p.type == "list":
                return [v.strip() for v in text.split(",") if v.strip()]
        except ValueError:
            raise ParameterError(
                f"query {query}: parameter {p.name} must be {p.type}, not {value!r}") from None
    expected = TYPES[p.type]
    if isinstance(value, bool) and p.type in ("integer", "number"):
        raise ParameterError(f"query {query}: parameter {p.name} must be {p.type}, not {value!r}")
    if not isinstance(value, expected):
        raise ParameterError(f"query {query}: parameter {p.name} must be {p.type}, not {value!r}")
    return value


def parse(path: Path, root: Path = ROOT) -> Query:
    """Read one ``.cypher`` file into a :class:`Query`, cross-checking its params."""
    text = path.read_text(encoding="utf-8")
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    backend = None
    if parts[-1].endswith(tuple(f".{b}" for b in BACKENDS)):
        parts[-1], backend = parts[-1].rsplit(".", 1)
    name = ".".join(parts)
    meta: dict = {"params": [], "extra": {}}
    for line in text.splitlines():
        if not line.startswith("//"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if not m:
            continue
        key, arg, value = m.group(1), m.group(2), m.group(3).strip()
        if key == "param" and arg:
            pm = _PARAM.match(value)
            if not pm:
                raise ValueError(f"{path}: cannot read the param line {line!r}")
            ptype = pm.group(1)
            if ptype not in TYPES:
                raise ValueError(f"{path}: parameter {arg} has unknown type {ptype!r}")
            default_text = pm.group(2)
            default = None
            if default_text is not None and default_text != "null":
                default = coerce(name, Param(arg, ptype), default_text.strip("'\""))
            meta["params"].append(Param(arg, ptype, default, default_text is None, pm.group(3) or ""))
        elif key in ("title", "description", "mode"):
            meta[key] = value
        elif key in ("returns", "template"):
            meta[key] = tuple(v.strip() for v in value.split(",") if v.strip())
        else:
            meta["extra"][key] = value
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//")).strip()
    declared = {p.name for p in meta["params"]}
    used = set(_PARAM_REF.findall(_STRINGS.sub("", body)))
    if used != declared and not (meta.get("mode") == "write" and used == {"rows"} and not declared):
        raise ValueError(f"{path}: header declares params {sorted(declared)} but the text uses {sorted(used)}")
    holders = set(_PLACEHOLDER.findall(body))
    if holders != set(meta.get("template", ())):
        raise ValueError(f"{path}: placeholders {sorted(holders)} differ from its template header")
    if meta.get("mode", "read") not in ("read", "write"):
        raise ValueError(f"{path}: mode must be read or write")
    if "cursor" in meta["extra"]:
        cursor = meta["extra"]["cursor"].split()
        if (len(cursor) != 2 or cursor[0] not in meta.get("returns", ())
                or not {cursor[1], "limit"} <= declared):
            raise ValueError(f"{path}: cursor must name a returned column and a param"
                             f" (// cursor: id after), with a $limit param; got {meta['extra']['cursor']!r}")
    return Query(name=name, text=body, path=path, title=meta.get("title", ""),
                 description=meta.get("description", ""), params=tuple(meta["params"]),
                 returns=meta.get("returns", ()), mode=meta.get("mode", "read"),
                 template=meta.get("template", ()), backend=backend, extra=meta["extra"])


class Library:
    """All queries of a folder, by name (and backend variant)."""

    def __init__(self, root: Path = ROOT):
        self.root = root
        self._queries: dict[tuple[str, str | None], Query] = {}
        for path in sorted(root.rglob("*.cypher")):
            q = parse(path, root)
            self._queries[(q.name, q.backend)] = q

    def get(self, name: str, backend: str | None = None) -> Query:
        """The query ``name``, in its ``backend`` variant when it has one."""
        q = self._queries.get((name, backend)) or self._queries.get((name, None))
        if q is None:
            near = [n for n in self.names(include_internal=True) if name.split(".")[-1] in n]
            hint = f"; did you mean {', '.join(near[:3])}?" if near else "; `maillage queries` lists them"
            raise UnknownQuery(f"no query named {name!r} in the library{hint}")
        return q

    def names(self, *, include_internal: bool = False) -> list[str]:
        names = sorted({n for n, _ in self._queries})
        if include_internal:
            return names
        public = set()
        for (n, _), q in self._queries.items():
            by_id = q.template == ("LABEL",) and any(p.name == "id" for p in q.params)
            if not q.writes and not q.internal and (not q.template or by_id):
                public.add(n)
        return [n for n in names if n in public]

    def all(self) -> list[Query]:
        return [self._queries[k] for k in sorted(self._queries, key=lambda k: (k[0], k[1] or ""))]


@functools.cache
def library() -> Library:
    """The library shipped in this package (read once per process)."""
    return Library()
