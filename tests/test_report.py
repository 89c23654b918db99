"""The diagnostic territorial (``maillage report``, graph.report) on the seed base.

Every expected figure is computed here by the analyses of :mod:`graph.analysis` on the
whole typed graph (or by a library query), never copied from a report: the seed data
changes. The pages are checked for their sections, their figures (cells marked with
``data-k``), and that they reference nothing outside themselves; they are rendered in
Chromium and printed to PDF when ``/usr/bin/chromium`` (or ``$MAILLAGE_CHROMIUM``) is there.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from html import escape
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from app import i18n, refresh
from app.cli import main
from app.components.report import report_html
from graph import analysis, model
from graph.analysis._common import PROVIDER_LABELS
from graph.convert import typed_graph
from graph.report.pdf import chromium_path, html_to_pdf

TERRITORIES = ("departement:23", "commune:44109")
SECTIONS = ("s1", "s2", "s3", "s4", "s5", "s6", "s7")
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def kept_store(engine, seed_graph):
    """The seed base with its kept analyses (clusters, brokers, national reads), its own copy."""
    from conftest import _copy

    s = _copy(engine, seed_graph)
    refresh.run(s)
    yield s
    s.clear()


@pytest.fixture(scope="module")
def G(kept_store):
    return typed_graph(kept_store)


@pytest.fixture(scope="module")
def reports(kept_store):
    return {t: report_html(kept_store, t, lang="fr") for t in TERRITORIES}


class Cells(HTMLParser):
    """The text of every element carrying ``data-k``, and the ids of the sections."""

    def __init__(self, html: str):
        super().__init__()
        self.cells: dict[str, str] = {}
        self.sections: list[str] = []
        self._open: list[list] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.sections.append(attrs.get("id"))
        for entry in self._open:
            entry[1] += 1
        if "data-k" in attrs:
            self._open.append([attrs["data-k"], 1, []])

    def handle_endtag(self, tag):
        for entry in list(self._open):
            entry[1] -= 1
            if entry[1] == 0:
                self.cells[entry[0]] = "".join(entry[2]).strip()
                self._open.remove(entry)

    def handle_data(self, data):
        for entry in self._open:
            entry[2].append(data)


def _index(G):
    return analysis.GraphIndex(G)


def _level(t: str) -> str:
    return t.split(":", 1)[0]


def _actors(G, idx, t: str) -> list[str]:
    """Organisations seated in or serving ``t`` or a territory inside it."""
    return sorted(n for n, d in G.nodes(data=True) if set(PROVIDER_LABELS) & set(d.get("labels") or ())
                  and any(idx.in_scope(a, t) for a in idx.areas(n)))


@pytest.mark.parametrize("t", TERRITORIES)
def test_the_territory_in_figures(reports, kept_store, G, t):
    figures, html = reports[t]
    cells = Cells(html).cells
    idx = _index(G)
    card = G.nodes[t]
    f = figures["figures"]
    assert f["population"] == card["population"]
    assert cells["population"] == i18n.number(card["population"], "fr")
    mine = _actors(G, idx, t)
    assert f["actors"] == len(mine) and cells["actors"] == i18n.number(len(mine), "fr")
    # by kind: the home page's counts by territory (same definition), for the territory and its région
    by_kind = Counter()
    for r in kept_store.query("app.counts_by_territory", level=_level(t)).to_dict("records"):
        if r["id"] == t:
            by_kind[r["label"]] = r["count"]
    region = next(a for a in idx.ancestors(t) if idx.level[a] == "region")
    in_region = {r["label"]: r["count"] for r in kept_store.query("app.counts_by_territory", level="region")
                 .to_dict("records") if r["id"] == region}
    france = {r["label"]: r["count"] for r in kept_store.query("stats.labels").to_dict("records")}
    columns = [c["id"] for c in f["places"]]
    assert columns[0] == t and region in columns and columns[-1] == "france"
    for row in f["kinds"]:
        label = row["label"]
        assert row["counts"][0] == by_kind.get(label, 0), label
        assert row["counts"][columns.index(region)] == in_region.get(label, 0), label
        assert row["counts"][-1] == france.get(label, 0), label
        assert cells[f"kind-{label}-{t}"].startswith(i18n.number(by_kind.get(label, 0), "fr"))
    forms = Counter(G.nodes[n].get("legal_form") for n in mine if model.STRUCTURE in G.nodes[n]["labels"])
    assert {r["legal_form"]: r["counts"][0] for r in f["legal_forms"] if r["counts"][0]} == dict(forms)
    sectors = Counter(s for n in mine for s in set(idx.sectors.get(n, ())))
    assert {r["sector"]: r["counts"][0] for r in f["sectors"] if r["counts"][0]} == dict(sectors)
    communes = idx.at_level("commune", t)
    assert f["parts"]["communes"] == len(communes)
    assert sum(d["population"] for d in f["by_density"]) == sum(G.nodes[c]["population"] for c in communes)


@pytest.mark.parametrize("t", TERRITORIES)
def test_the_support_chain(reports, G, t):
    figures, html = reports[t]
    cells = Cells(html).cells
    idx = _index(G)
    rows = {r["need"]: r for r in figures["chain"]["rows"]}
    assert list(rows) == list(model.FUNCTIONS)
    for need in model.FUNCTIONS:
        [chain] = analysis.support_chain(G, t, need=need, index=idx)
        [cov] = [r for r in analysis.coverage(G, level=_level(t), scope=t, need=need, index=idx) if r["id"] == t]
        row = rows[need]
        assert row["providers"] == cov["provider_ids"], need
        assert row["stages"] == chain["stages"] and row["unspecified"] == chain["unspecified"], need
        assert row["missing"] == chain["missing"], need
        near = row["nearest"]["all"]
        assert (near and (near["km"], near["id"])) == (cov["nearest_km"] is not None and
                                                        (cov["nearest_km"], cov["nearest_provider"])), need
        for stage in model.STAGES:
            assert cells[f"chain-{need}-{stage}"].split()[0] == str(len(chain["stages"][stage]))
            [at] = [r for r in analysis.coverage(G, level=_level(t), scope=t, need=need, stage=stage, index=idx)
                    if r["id"] == t]
            got = row["nearest"][stage]
            assert (got["km"], got["id"]) == (at["nearest_km"], at["nearest_provider"]), (need, stage)
        assert cells[f"serving-{need}"] == str(len(cov["provider_ids"]))
        assert (f"gap-{need}" in cells) == bool(chain["missing"]), need
    gaps = {(g["need"], g["stage"]) for g in figures["chain"]["gaps"]}
    assert gaps == {(n, s) for n in model.FUNCTIONS for s in rows[n]["missing"]}


@pytest.mark.parametrize("t", TERRITORIES)
def test_white_zones(reports, G, t):
    figures, html = reports[t]
    cells = Cells(html).cells
    idx = _index(G)
    white = figures["white"]
    zones = {}
    for b, need in zip(white["by_need"], model.FUNCTIONS):
        assert b["need"] == need
        rows = analysis.coverage(G, level="commune", scope=t, need=need, index=idx)
        found = analysis.white_zones(rows, top=None)
        assert (b["communes"], b["uncovered"]) == (len(rows), len(found)), need
        assert b["uncovered_population"] == sum(r["population"] or 0 for r in found), need
        assert cells[f"white-{need}"] == f"{i18n.number(len(found), 'fr')} / {i18n.number(len(rows), 'fr')}"
        for r in found:
            zones.setdefault(r["id"], {})[need] = (r["nearest_km"], r["nearest_provider"])
    assert {z["id"] for z in white["communes"]} == set(zones)
    for z in white["communes"]:
        assert z["missing"] == list(zones[z["id"]])
        assert {n: (v["km"], v["id"]) for n, v in z["nearest"].items()} == zones[z["id"]]
    pops = [z["population"] for z in white["communes"]]
    assert pops == sorted(pops, reverse=True)
    # the map: every commune of the territory (of its EPCI for a commune), from the shipped outlines
    scope = figures["map_scope"]["id"]
    assert {c["id"] for c in white["map"]} == set(idx.at_level("commune", scope))
    assert html.count("<path ") >= len(white["map"])


@pytest.mark.parametrize("t", TERRITORIES)
def test_overlaps(reports, G, t):
    figures, _ = reports[t]
    idx = _index(G)
    got = {(r["need"], r["id"], r["sector"]): r["provider_ids"] for r in figures["overlaps"]["rows"]}
    for need in model.FUNCTIONS:
        for r in analysis.overlaps(G, level=_level(t), scope=t, need=need, index=idx):
            assert got[(need, r["id"], r["sector"])] == r["provider_ids"]


@pytest.mark.parametrize("t", TERRITORIES)
def test_cooperation(reports, kept_store, G, t):
    from graph import kept

    figures, html = reports[t]
    cells = Cells(html).cells
    c = figures["cooperation"]
    assert c["status"]["state"] == "current" and "kept-current" in cells
    idx = _index(G)
    structures = [n for n in _actors(G, idx, t) if model.STRUCTURE in G.nodes[n]["labels"]]
    _, result = kept.kept_result(kept_store, kept.COOPERATION, ("clustering", "scores"))
    membership, scores = result["clustering"].membership, result["scores"]
    here = Counter(membership[s] for s in structures if s in membership)
    assert {k["cluster"]: k["here"] for k in c["clusters"]} == dict(here.most_common(8))
    assert {i["id"] for i in c["isolated"]} == set(structures) & set(result["clustering"].isolated)
    ranked = sorted((s for s in structures if scores[s]["betweenness"]), key=lambda s: (-scores[s]["betweenness"], s))
    assert [b["id"] for b in c["brokers"]] == ranked[:10]
    # networks present: attached here or above, or with a member seated here
    above = set(idx.ancestors(t))
    present = {n for n in G if model.NETWORK in (G.nodes[n].get("labels") or ())
               and any(idx.in_scope(a, t) or a in above for a in idx.areas(n))}
    present |= {v for u, v, d in G.edges(data=True) if d["type"] == "MEMBER_OF"
                and any(idx.in_scope(s, t) for s in idx.seats.get(u, ()))}
    assert {n["id"] for n in c["networks"]} == present
    # networks absent: present in a neighbour (the other départements of the région, communes of the EPCI)
    parent = figures["neighbours"]["parent_id"]
    siblings = [x for x in idx.at_level(_level(t), parent) if x != t]
    around = set()
    for s in siblings:
        around |= {n for n in G if model.NETWORK in (G.nodes[n].get("labels") or ())
                   and any(idx.in_scope(a, s) for a in idx.areas(n))}
        around |= {v for u, v, d in G.edges(data=True) if d["type"] == "MEMBER_OF"
                   and any(idx.in_scope(x, s) for x in idx.seats.get(u, ()))}
    assert {a["id"] for a in c["absent"]} == around - present
    picture = c["picture"]
    assert picture is not None and all(n["id"] in structures for n in picture["nodes"])
    if picture["nodes"]:
        assert '<svg class="coop"' in html


@pytest.mark.parametrize("t", TERRITORIES)
def test_places_initiatives_sources_and_limits(reports, G, t):
    figures, html = reports[t]
    cells = Cells(html).cells
    idx = _index(G)
    mine = set(_actors(G, idx, t))
    places = {n for n in mine if model.PLACE in G.nodes[n]["labels"]}
    assert {p["id"] for p in figures["places"]} == places
    carried = {v for u, v, d in G.edges(data=True) if d["type"] == "CARRIES" and u in mine}
    initiatives = {n for n in G if model.INITIATIVE in (G.nodes[n].get("labels") or ())
                   and (n in carried or any(idx.in_scope(a, t) for a in idx.areas(n)))}
    assert {i["id"] for i in figures["initiatives"]["here"]} == initiatives
    for i in figures["initiatives"]["elsewhere"]:
        assert i["need"] in figures["gaps"] and i["id"] not in initiatives
    above = set(idx.ancestors(t))
    shown = mine | {n for n in G if set(PROVIDER_LABELS) & set(G.nodes[n].get("labels") or ())
                    and any(a in above for a in idx.areas(n))}
    cited = {s for n in shown for s in G.nodes[n].get("sources") or ()}
    assert {s["id"] for s in figures["sources"]} == cited
    for s in cited:
        assert f"source-{s}" in cells
    attached = {a for n in mine for a in idx.areas(n)}
    communes = idx.at_level("commune", t)
    assert figures["limits"]["communes_empty"] == sum(1 for c in communes if c not in attached)


@pytest.mark.parametrize("t", TERRITORIES)
def test_the_page_holds_every_section_and_references_nothing_outside(reports, t):
    figures, html = reports[t]
    parsed = Cells(html)
    assert parsed.sections == list(SECTIONS)
    for k in SECTIONS:
        assert escape(i18n.t(f"rep.{k}", "fr")) in html
    assert parsed.cells["territory"].startswith(figures["territory"]["name"])
    assert not EXTERNAL.search(html)
    assert "<script" not in html.lower() and "@import" not in html and "url(" not in html
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', html))
    assert not re.findall(r'src="([^"]*)"', html)


def test_english(kept_store):
    _, html = report_html(kept_store, "Creuse", lang="en")
    assert '<html lang="en">' in html
    for k in SECTIONS:
        assert escape(i18n.t(f"rep.{k}", "en")) in html and escape(i18n.t(f"rep.{k}", "fr")) not in html


def test_only_some_needs(kept_store):
    figures, html = report_html(kept_store, "departement:23", ["financement", "lieu"])
    assert figures["needs"] == ["financement", "lieu"]
    assert [r["need"] for r in figures["chain"]["rows"]] == ["financement", "lieu"]
    assert set(figures["gaps"]) <= {"financement", "lieu"}
    assert "chain-financement-creation" in Cells(html).cells and "chain-formation-creation" not in Cells(html).cells


def test_stale_and_missing_kept_analyses_are_said(seed_store):
    figures, html = report_html(seed_store, "commune:44109")
    assert figures["cooperation"]["status"]["state"] == "missing" and "kept-missing" in Cells(html).cells
    assert figures["cooperation"]["clusters"] == [] and figures["cooperation"]["networks"]
    refresh.run(seed_store)
    seed_store.bump_version()  # a write since the analyses were kept
    figures, html = report_html(seed_store, "commune:44109")
    assert figures["cooperation"]["status"]["state"] == "stale" and "kept-stale" in Cells(html).cells
    assert figures["cooperation"]["clusters"]


def run(env, *args):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def kept_env(engine, kept_store):
    return {"MAILLAGE_STORE": kept_store.url, "MAILLAGE_HOME": str(engine.home)}


def test_cli_writes_html_and_says_what_it_found(kept_env, tmp_path):
    out = tmp_path / "creuse.html"
    result = run(kept_env, "report", "departement:23", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "diagnostic de Creuse (departement:23) :" in result.output and f"écrit : {out}" in result.output
    assert Cells(out.read_text(encoding="utf-8")).sections == list(SECTIONS)
    result = run(kept_env, "report", "Nantes", "--lang", "en", "--need", "formation")
    assert result.exit_code == 0 and "2. The support chain" in result.output


def test_cli_errors(kept_env, tmp_path, monkeypatch):
    result = run(kept_env, "report", "Creuze")
    assert result.exit_code == 1
    assert result.output.startswith("Error: territoire inconnu : 'Creuze' (aucun territoire de ce nom) ; "
                                    "noms proches : Creuse (departement:23)")
    result = run(kept_env, "report", "departement:999")
    assert result.exit_code == 1 and "territoire inconnu : 'departement:999' (absent de la base" in result.output
    result = run(kept_env, "report", "canton:12")
    assert result.exit_code == 1 and "échelon 'canton' inconnu" in result.output
    result = run(kept_env, "report", "23", "--out", str(tmp_path / "x.txt"))
    assert result.exit_code == 2 and "le fichier doit finir par .html ou .pdf" in result.output
    monkeypatch.setenv("MAILLAGE_CHROMIUM", str(tmp_path / "no-chromium"))
    result = run(kept_env, "report", "23", "--out", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert "Chromium introuvable" in result.output and "apt-get install chromium" in result.output


def test_the_app_component_shows_and_downloads_it(kept_store):
    from streamlit.testing.v1 import AppTest

    def page(url):
        from app.components.report import diagnostic
        from graph.store import open_store

        diagnostic(open_store(url), "departement:23", None, "fr")

    at = AppTest.from_function(page, args=(kept_store.url,), default_timeout=60).run()
    assert not at.exception and at.button[0].label == "Diagnostic"
    at.button[0].click().run()
    assert not at.exception
    assert "diagnostic_report" in at.session_state


def _text(pdf) -> str:
    from pypdf import PdfReader

    text = " ".join(page.extract_text() or "" for page in PdfReader(str(pdf)).pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.skipif(chromium_path() is None, reason="no Chromium (/usr/bin/chromium, package chromium)")
@pytest.mark.parametrize("t", TERRITORIES)
def test_renders_in_chromium_and_prints_the_same_sections(reports, t, tmp_path):
    figures, html = reports[t]
    pdf = html_to_pdf(html, tmp_path / "report.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    text = _text(pdf)
    for k in SECTIONS:
        assert " ".join(i18n.t(f"rep.{k}", "fr").split()) in text, k
    assert figures["territory"]["name"] in text
    pop = unicodedata.normalize("NFKC", i18n.number(figures["figures"]["population"], "fr"))
    assert pop in text
    for b in figures["white"]["by_need"]:
        assert unicodedata.normalize("NFKC", f"{i18n.number(b['uncovered'], 'fr')} / {i18n.number(b['communes'], 'fr')}") in text
