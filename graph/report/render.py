"""A diagnostic as one self-contained HTML page: inline CSS, inline SVG, no script, no font
or image fetched, internal links only — it opens offline and prints well (A4).

The words come from the caller (:class:`Words`: the app's :mod:`app.i18n`, French or
English), so that this module holds layout only. Key figures carry a ``data-k``
attribute (``chain-accompagnement-creation``, ``white-formation``…) naming what they show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from graph import model

from . import svg

__all__ = ["Words", "render_html"]

_ROWS = 40  # rows of a long table shown before "… and n more"


@dataclass(frozen=True)
class Words:
    """The labels of a report: ``t(key, **values)`` and ``vocab(kind, value)`` in ``lang``."""

    t: Callable[..., str]
    vocab: Callable[[str, object], str]
    lang: str = "fr"

    def number(self, n) -> str:
        text = f"{int(round(n or 0)):,}"
        return text.replace(",", "\u202f") if self.lang == "fr" else text

    def decimal(self, x, digits: int = 1) -> str:
        if x is None:
            return "–"
        text = f"{x:,.{digits}f}"
        return text.replace(",", "\u202f").replace(".", ",") if self.lang == "fr" else text

    def percent(self, x) -> str:
        if x is None:
            return "–"
        return f"{self.decimal(100 * x, 1)}\u202f%" if self.lang == "fr" else f"{100 * x:.1f}%"

    def date(self, iso) -> str:
        return str(iso or "–")[:10]


CSS = """
body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;font-variant-ligatures:none;color:#222;max-width:190mm;margin:0 auto;padding:8mm;
font-size:10.5pt;line-height:1.4}
h1{font-size:20pt;margin:0 0 2mm;color:#08306b}h2{font-size:14pt;color:#08306b;border-bottom:2px solid #08306b;
margin:8mm 0 3mm;break-after:avoid}h3{font-size:11pt;margin:5mm 0 2mm;break-after:avoid}
.sub{font-size:13pt;margin:0 0 2mm}.meta,.note{color:#555;font-size:9pt}
.note{border-left:3px solid #9ecae1;padding:1mm 3mm;background:#f4f8fb}
table{border-collapse:collapse;width:100%;margin:2mm 0 4mm;font-size:9pt}th,td{border-bottom:1px solid #ddd;
padding:1mm 2mm;text-align:left;vertical-align:top}th{background:#eef3f8}th.n{text-align:right}td.n{text-align:right;
white-space:nowrap}tr{break-inside:avoid}.gap{color:#c0392b;font-weight:bold}.warn{color:#a04000;font-weight:bold}
figure{margin:3mm 0;break-inside:avoid}figcaption{font-size:9pt;color:#555}svg{max-width:100%;height:auto}
svg text{font-family:inherit}svg .tick,svg .group{font-size:9px}svg .label{font-size:8px;paint-order:stroke;
stroke:#fff;stroke-width:2px}.legend span{margin-right:4mm;font-size:8.5pt;white-space:nowrap}
.legend i{display:inline-block;width:10px;height:10px;margin-right:1mm;border:1px solid #999}
nav ul{columns:2;font-size:9.5pt;list-style:none;padding-left:2mm}ul.gaps li{margin-bottom:1mm}footer{margin-top:8mm;color:#777;font-size:8.5pt}
.kpi{display:flex;gap:4mm;flex-wrap:wrap}.kpi div{border:1px solid #ddd;padding:2mm 3mm;border-radius:2mm}
.kpi b{display:block;font-size:13pt;color:#08306b}
@page{size:A4;margin:12mm}@media print{body{padding:0}a{color:inherit;text-decoration:none}}
"""


def _e(text) -> str:
    return escape("" if text is None else str(text))


def _cell(value, key: str | None = None, cls: str = "") -> str:
    k = f' data-k="{escape(key, quote=True)}"' if key else ""
    c = f' class="{cls}"' if cls else ""
    return f"<td{c}{k}>{value}</td>"


def _table(headers: list[str], rows: list[str], *, numeric: set[int] = frozenset(), more: str = "") -> str:
    head = "".join(f'<th{" class=n" if i in numeric else ""}>{_e(h)}</th>' for i, h in enumerate(headers))
    tail = f'<p class="meta">{_e(more)}</p>' if more else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{tail}"


def _more(w: Words, items: list, shown: int = _ROWS) -> str:
    return w.t("rep.more", n=w.number(len(items) - shown)) if len(items) > shown else ""


def _note(text: str) -> str:
    return f'<p class="note">{_e(text)}</p>'


def _needs(w: Words, needs) -> str:
    return ", ".join(w.vocab("function", n) for n in needs)


def _section1(r: dict, w: Words) -> str:
    f, t = r["figures"], r["territory"]
    cols = f["places"]
    others = ", ".join(c["name"] for c in cols[1:]) or "France"
    out = [_note(w.t("rep.s1.note", reference=", ".join(r["reference"].get("sources") or ["—"]), others=others))]
    parents = ", ".join(f"{p['name']} ({w.vocab('level', p['level'])})" for p in f["parents"]) or "—"
    out.append('<div class="kpi">'
               f'<div>{_e(w.t("rep.population"))}<b data-k="population">{w.number(f["population"])}</b></div>'
               f'<div>{_e(w.t("rep.density"))}<b data-k="density">{_e(w.vocab("density", f["density"]) or "—")}</b></div>'
               f'<div>{_e(w.t("rep.actors"))}<b data-k="actors">{w.number(f["actors"])}</b></div>'
               f'<div>{_e(w.t("rep.part_of"))}<b>{_e(parents)}</b></div>')
    if t["level"] != "commune":
        out.append(f'<div>{_e(w.t("rep.parts"))}<b data-k="parts">'
                   f'{_e(w.t("rep.parts_text", communes=w.number(f["parts"]["communes"]), epci=w.number(f["parts"]["epci"])))}'
                   "</b></div>")
    out.append("</div>")
    if t["level"] != "commune":
        rows = [f"<tr><td>{_e(w.vocab('density', d['density']) or '—')}</td>{_cell(w.number(d['communes']), cls='n')}"
                f"{_cell(w.number(d['population']), cls='n')}</tr>" for d in f["by_density"]]
        out.append(f"<h3>{_e(w.t('rep.by_density'))}</h3>" + _table(
            [w.t("rep.col.density"), w.t("rep.col.communes"), w.t("rep.col.population")], rows, numeric={1, 2}))
        rows = [f"<tr><td>{_e(c['name'])}</td>{_cell(w.number(c['population']), cls='n')}"
                f"<td>{_e(w.vocab('density', c['density']))}</td></tr>" for c in f["largest"]]
        out.append(f"<h3>{_e(w.t('rep.largest'))}</h3>" + _table(
            [w.t("rep.col.commune"), w.t("rep.col.population"), w.t("rep.col.density")], rows, numeric={1}))
    heads = ["", *(c["name"] for c in cols)]

    def counted(rows, key, label, values):
        body = []
        for row in rows:
            cells = "".join(_cell(values(row, i), f"{key}-{row[label] or 'none'}-{cols[i]['id']}", "n")
                            for i in range(len(cols)))
            body.append(f"<tr><td>{_e(row['_label'])}</td>{cells}</tr>")
        return body

    for row in f["kinds"]:
        row["_label"] = w.vocab("label_plural", row["label"])
    per = f" <small>({_e(w.t('rep.col.count'))}, {_e(w.t('rep.col.per10k'))})</small>"
    out.append(f"<h3>{_e(w.t('rep.kinds'))}{per}</h3>" + _table(
        heads,
        counted(f["kinds"], "kind", "label", lambda row, i: w.number(row["counts"][i]) + (
            f" ({w.decimal(row['per_10k'][i], 2)})" if row["per_10k"][i] is not None else "")),
        numeric=set(range(1, len(cols) + 1))))
    for row in f["legal_forms"]:
        row["_label"] = w.vocab("legal_form", row["legal_form"]) or w.t("rep.unknown_form")
    out.append(f"<h3>{_e(w.t('rep.legal_forms'))}</h3>" + _table(
        heads, counted(f["legal_forms"][:12], "form", "legal_form",
                       lambda row, i: f"{w.number(row['counts'][i])} ({w.percent(row['shares'][i])})"),
        numeric=set(range(1, len(cols) + 1))))
    sectors = [s for s in f["sectors"] if s["counts"][0]] or f["sectors"][:8]
    for row in sectors:
        row["_label"] = row["name"]
    out.append(f"<h3>{_e(w.t('rep.sectors'))}{per}</h3>" + _table(
        heads,
        counted(sectors[:15], "sector", "sector", lambda row, i: w.number(row["counts"][i]) + (
            f" ({w.decimal(row['per_10k'][i], 2)})" if row["per_10k"][i] is not None else "")),
        numeric=set(range(1, len(cols) + 1))))
    return "".join(out)


def _nearest(w: Words, names: dict, near) -> str:
    if not near:
        return "–"
    return _e(w.t("rep.nearest", name=names.get(near["id"], near["id"]), km=w.decimal(near["km"], 1)))


def _section2(r: dict, w: Words) -> str:
    c = r["chain"]
    names = c["names"]
    parts = r["territory"]["level"] != "commune"  # a commune has no part to be present in
    out = [_note(w.t("rep.s2.note"))]
    chart = svg.chain_bars(c["rows"], list(model.STAGES), need_label=lambda n: w.vocab("function", n),
                           stage_label=lambda s: w.vocab("stage", s), unspecified_label=w.t("rep.unspecified"))
    items = [(col, w.vocab("stage", s)) for col, s in zip(svg.STAGE_COLOURS, model.STAGES)]
    out.append(f"<figure>{chart}{svg.legend([*items, (svg.UNSPECIFIED, w.t('rep.unspecified'))])}"
               f"<figcaption>{_e(w.t('rep.chart_chain'))}</figcaption></figure>")
    rows = []
    for row in c["rows"]:
        n = row["need"]
        u = len(row["unspecified"])
        cells = "".join(_cell(f'<span class="{"gap" if not row["stages"][s] else ""}">{len(row["stages"][s])}</span>'
                              + (f" (+{u})" if u else ""), f"chain-{n}-{s}", "n") for s in model.STAGES)
        near = (f'<br><small data-k="nearest-{n}">{_e(w.t("rep.col.nearest"))} : '
                f'{_nearest(w, names, row["nearest"]["all"])}</small>')
        inside = _cell(len(row["inside"]), f"inside-{n}", "n") if parts else ""
        rows.append(f"<tr><td>{_e(w.vocab('function', n))}{near}</td>{_cell(len(row['providers']), f'serving-{n}', 'n')}"
                    f"{cells}{inside}</tr>")
    out.append(_table([w.t("rep.col.function"), w.t("rep.col.serving"), *(w.vocab("stage", s) for s in model.STAGES),
                       *([w.t("rep.col.inside")] if parts else [])], rows, numeric={1, 2, 3, 4, 5, 6}))
    out.append(f"<h3>{_e(w.t('rep.gaps'))}</h3>")
    if not c["gaps"]:
        return "".join(out) + f"<p>{_e(w.t('rep.no_gap'))}</p>"
    items = []
    by_need = {row["need"]: row for row in c["rows"]}
    for n in r["needs"]:
        gaps = [g for g in c["gaps"] if g["need"] == n]
        if not gaps:
            continue
        if gaps[0]["kind"] == "absent":
            text = w.t("rep.gap.absent", need=w.vocab("function", n))
            if gaps[0]["inside"]:
                text += w.t("rep.gap.inside", n=gaps[0]["inside"])
            text += f" — {w.t('rep.col.nearest').lower()} : {_nearest_text(w, names, by_need[n]['nearest']['all'])}"
        else:
            text = w.t("rep.gap.stage", need=w.vocab("function", n),
                       stage=", ".join(w.vocab("stage", g["stage"]) for g in gaps))
            if gaps[0]["unspecified"]:
                text += w.t("rep.gap.unspecified", n=gaps[0]["unspecified"])
        items.append(f'<li data-k="gap-{n}">{_e(text)}</li>')
    out.append('<ul class="gaps">' + "".join(items) + "</ul>")
    return "".join(out)


def _nearest_text(w: Words, names: dict, near) -> str:
    return "–" if not near else w.t("rep.nearest", name=names.get(near["id"], near["id"]), km=w.decimal(near["km"], 1))


def _section3(r: dict, w: Words, outlines: dict) -> str:
    white, t = r["white"], r["territory"]
    out = [_note(w.t("rep.s3.note"))]
    if r["map_scope"]["id"] != t["id"]:
        out.append(f'<p class="meta">{_e(w.t("rep.s3.context", scope=r["map_scope"]["name"], name=t["name"]))}</p>')

    def title(c):
        missing = ", ".join(w.vocab("function", n) for n in c["missing"]) or "—"
        return w.t("rep.map_title", name=c["name"], population=w.number(c["population"]), missing=missing)

    picture = svg.white_zone_map(white["map"], outlines, territory=t["code"] if t["level"] == "commune" else None,
                                 labels={"title": title})
    if picture:
        k = len(r["needs"])
        legend = [(svg.MISSING_COLOURS[0], w.t("rep.legend.none"))] + [
            (svg.MISSING_COLOURS[min(i, len(svg.MISSING_COLOURS) - 1)], w.t("rep.legend.n", n=i)) for i in range(1, k + 1)]
        out.append(f"<figure>{picture}{svg.legend(legend)}<figcaption>{_e(w.t('rep.legend.circle'))}</figcaption></figure>")
    rows = [f"<tr><td>{_e(w.vocab('function', b['need']))}</td>"
            f"{_cell(w.number(b['uncovered']) + ' / ' + w.number(b['communes']), 'white-' + b['need'], 'n')}"
            f"{_cell(w.number(b['uncovered_population']), 'white-pop-' + b['need'], 'n')}"
            f"{_cell(w.percent(b['uncovered_population'] / b['population'] if b['population'] else None), cls='n')}</tr>"
            for b in white["by_need"]]
    out.append(_table([w.t("rep.col.function"), w.t("rep.col.uncovered"), w.t("rep.col.uncovered_pop"),
                       w.t("rep.col.uncovered_share")], rows, numeric={1, 2, 3}))
    zones = white["communes"]
    if not zones:
        out.append(f"<p>{_e(w.t('rep.no_white'))}</p>")
        return "".join(out)
    rows = []
    for z in zones[:_ROWS]:
        near = "; ".join(f"{w.vocab('function', n)} : " + ("–" if not z["nearest"][n]["id"] else w.t(
            "rep.nearest", name=z["nearest"][n]["name"], km=w.decimal(z["nearest"][n]["km"], 1))) for n in z["missing"])
        rows.append(f"<tr>{_cell(_e(z['name']), 'zone-' + z['id'])}{_cell(w.number(z['population']), cls='n')}"
                    f"<td>{_e(w.vocab('density', z['density']))}</td>"
                    f"<td>{_e(', '.join(w.vocab('function', n) for n in z['missing']))}</td><td>{_e(near)}</td></tr>")
    out.append(f"<h3>{_e(w.t('rep.white_table'))}</h3>" + _table(
        [w.t("rep.col.commune"), w.t("rep.col.population"), w.t("rep.col.density"), w.t("rep.col.missing"),
         w.t("rep.col.nearest_km")], rows, numeric={1}, more=_more(w, zones)))
    return "".join(out)


def _names(w: Words, names: list[str], shown: int = 8) -> str:
    return ", ".join(names[:shown]) + (" " + w.t("rep.more", n=w.number(len(names) - shown)) if len(names) > shown else "")


def _section4(r: dict, w: Words) -> str:
    o = r["overlaps"]
    note = w.t("rep.s4.note")
    if o["level_below"]:
        note += " " + w.t("rep.s4.below", below=w.vocab("level_plural", o["level_below"]))
    out = [_note(note)]
    if not o["rows"]:
        return "".join(out) + f"<p>{_e(w.t('rep.no_overlap'))}</p>"
    rows = [f"<tr><td>{_e(x['name'])}</td><td>{_e(w.vocab('function', x['need']))}</td>"
            f"<td>{_e(x['sector_name'] or w.t('rep.all_sectors'))}</td>"
            f"{_cell(x['providers'], 'overlap-' + x['need'] + '-' + x['id'] + '-' + (x['sector'] or 'none'), 'n')}"
            f"<td>{_e(_names(w, x['names']))}</td></tr>" for x in o["rows"][:_ROWS]]
    return "".join(out) + _table([w.t("rep.col.territory"), w.t("rep.col.function"), w.t("rep.col.sector"),
                                  w.t("rep.col.providers"), w.t("rep.col.who")], rows, numeric={3},
                                 more=_more(w, o["rows"]))


def render_html(report: dict, words: Words, *, outlines: dict | None = None) -> str:
    """The page of ``report`` (:func:`graph.report.figures.report_figures`) in ``words``'
    language; ``outlines`` the commune outlines of its map (code → multipolygon)."""
    from .render_more import section5, section6, section7

    w, t = words, report["territory"]
    sections = [("s1", _section1(report, w)), ("s2", _section2(report, w)),
                ("s3", _section3(report, w, outlines or {})), ("s4", _section4(report, w)),
                ("s5", section5(report, w)), ("s6", section6(report, w)), ("s7", section7(report, w))]
    subtitle = w.t("rep.subtitle", name=t["name"], level=w.vocab("level", t["level"]), code=t["code"])
    v = report["version"]
    meta = w.t("rep.generated", date=w.date(report["generated_at"]), version=v.get("version") or "—",
               changed=w.date(v.get("changed_at")))
    toc = "".join(f'<li><a href="#{k}">{_e(w.t("rep." + k))}</a></li>' for k, _ in sections)
    body = "".join(f'<section id="{k}"><h2>{_e(w.t("rep." + k))}</h2>{html}</section>' for k, html in sections)
    return (f'<!DOCTYPE html><html lang="{w.lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(w.t('rep.title'))} — {_e(t['name'])}</title><style>{CSS}</style></head><body>"
            f'<header><h1>{_e(w.t("rep.title"))}</h1><p class="sub" data-k="territory">{_e(subtitle)}</p>'
            f'<p class="meta">{_e(meta)} {_e(w.t("rep.needs", needs=_needs(w, report["needs"])))}</p></header>'
            f'<nav><h3>{_e(w.t("rep.toc"))}</h3><ul>{toc}</ul></nav>{body}'
            f'<footer>{_e(w.t("rep.footer"))}</footer></body></html>')
