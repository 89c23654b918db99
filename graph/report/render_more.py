"""Sections 5 to 7 of a diagnostic's page: cooperation, shared places and initiatives,
sources and limits (the layout helpers and sections 1–4 are in :mod:`.render`)."""

from __future__ import annotations

from . import svg
from .render import _ROWS, Words, _cell, _e, _more, _note, _table

__all__ = ["section5", "section6", "section7"]


def _table_or(w: Words, empty: str, headers: list[str], rows: list[str], **table) -> str:
    """The table of ``rows``, or the sentence ``empty`` says when there is none."""
    return _table(headers, rows, **table) if rows else f"<p>{_e(w.t(empty))}</p>"


def _kept_line(status: dict, w: Words) -> str:
    state = status["state"]
    if state == "missing":
        return f'<p class="warn" data-k="kept-missing">{_e(w.t("rep.kept.missing"))}</p>'
    text = w.t(f"rep.kept.{state}", at=w.date(status.get("computed_at")))
    return f'<p class="{"warn" if state == "stale" else "meta"}" data-k="kept-{state}">{_e(text)}</p>'


def section5(r: dict, w: Words) -> str:
    c = r["cooperation"]
    out = [_note(w.t("rep.s5.note")), _kept_line(c["status"], w)]
    if c["status"]["state"] != "missing":
        if not c["structures"]:
            out.append(f"<p>{_e(w.t('rep.no_structures'))}</p>")
        if c["clusters"]:
            rows = [f"<tr>{_cell(k['cluster'], 'cluster-' + str(k['cluster']), 'n')}"
                    f"{_cell(w.number(k['here']), 'cluster-here-' + str(k['cluster']), 'n')}"
                    f"{_cell(w.number(k['size'] or 0), cls='n')}<td>{_e(k['sectors'])}</td>"
                    f"<td>{_e(k['territories'])}</td><td>{_e(k['networks'])}</td></tr>" for k in c["clusters"]]
            out.append(f"<h3>{_e(w.t('rep.clusters'))}</h3>" + _table(
                [w.t("rep.col.cluster"), w.t("rep.col.here"), w.t("rep.col.size"), w.t("rep.col.sectors"),
                 w.t("rep.col.territories"), w.t("rep.col.networks")], rows, numeric={0, 1, 2}))
        if c["brokers"]:
            rows = [f"<tr>{_cell(_e(b['name']), 'broker-' + b['id'])}"
                    f"{_cell(w.decimal(b['betweenness'], 4), cls='n')}{_cell(w.decimal(b['participation'], 2), cls='n')}"
                    f"{_cell(w.number(b['degree'] or 0), cls='n')}{_cell(b['cluster'] if b['cluster'] is not None else '–', cls='n')}</tr>"
                    for b in c["brokers"]]
            out.append(f"<h3>{_e(w.t('rep.brokers'))}</h3>" + _table(
                [w.t("rep.col.name"), w.t("rep.col.betweenness"), w.t("rep.col.participation"),
                 w.t("rep.col.partners"), w.t("rep.col.cluster")], rows, numeric={1, 2, 3, 4}))
        picture = c.get("picture") or {}
        drawn = svg.cooperation_picture(picture) if picture.get("nodes") else ""
        if drawn:
            out.append(f"<h3>{_e(w.t('rep.picture'))}</h3><figure>{drawn}<figcaption>"
                       f"{_e(w.t('rep.picture_note', n=len(picture['nodes'])))}</figcaption></figure>")
        if c["isolated"]:
            names = ", ".join(i["name"] for i in c["isolated"][:_ROWS])
            more = _more(w, c["isolated"])
            out.append(f'<h3 data-k="isolated">{_e(w.t("rep.isolated", n=len(c["isolated"])))}</h3>'
                       f"<p>{_e(names)}{' ' + _e(more) if more else ''}</p>")
        if c["not_in_result"]:
            out.append(f'<p class="meta">{_e(w.t("rep.not_in_result", n=len(c["not_in_result"])))}</p>')
    out.append(f"<h3>{_e(w.t('rep.networks'))}</h3>")
    rows = []
    for n in c["networks"][:_ROWS]:
        how = ", ".join(w.t("rep.how.members", n=n["members"]) if h == "members" else w.t(f"rep.how.{h}")
                        for h in n["how"])
        rows.append(f"<tr>{_cell(_e(n['name']), 'network-' + n['id'])}<td>{_e(how)}</td></tr>")
    out.append(_table_or(w, "rep.no_networks", [w.t("rep.col.name"), w.t("rep.col.how")], rows, more=_more(w, c["networks"])))
    out.append(f"<h3>{_e(w.t('rep.absent'))}</h3>")
    around = r.get("neighbours")
    if not around:
        out.append(f"<p>{_e(w.t('rep.no_neighbours'))}</p>")
    else:
        out.append(f'<p class="meta">{_e(w.t("rep.absent_note", level=w.vocab("level_plural", around["level"]), parent=around["parent"]))}</p>')
        if c["absent"]:
            rows = [f"<tr>{_cell(_e(a['name']), 'absent-' + a['id'])}<td>{_e(', '.join(a['territory_names'][:8]))}"
                    f"{' …' if len(a['territory_names']) > 8 else ''}</td></tr>" for a in c["absent"][:_ROWS]]
            out.append(_table([w.t("rep.col.name"), w.t("rep.col.present_in")], rows, more=_more(w, c["absent"])))
        else:
            out.append(f"<p>{_e(w.t('rep.no_absent'))}</p>")
    return "".join(out)


def section6(r: dict, w: Words) -> str:
    out = [_note(w.t("rep.s6.note")), f"<h3>{_e(w.t('rep.places'))}</h3>"]
    rows = [f"<tr>{_cell(_e(p['name']), 'place-' + p['id'])}<td>{_e(w.vocab('place_kind', p['kind']))}</td>"
            f"<td>{_e(', '.join(p['where']))}</td><td>{_e(', '.join(w.vocab('function', f) for f in p['functions']))}</td>"
            f"{_cell(w.number(p['users']), cls='n')}</tr>" for p in r["places"][:_ROWS]]
    out.append(_table_or(w, "rep.no_places", [w.t("rep.col.name"), w.t("rep.col.kind"), w.t("rep.col.where"), w.t("rep.col.functions"),
                       w.t("rep.col.users")], rows, numeric={4}, more=_more(w, r["places"])))
    here = r["initiatives"]["here"]
    out.append(f"<h3>{_e(w.t('rep.initiatives'))}</h3>")
    rows = [f"<tr>{_cell(_e(i['name']), 'initiative-' + i['id'])}<td>{_e(w.vocab('theme', i['theme']))}</td>"
            f"<td>{_e(', '.join(i['carriers']))}</td><td>{_e(', '.join(i['areas'][:6]))}</td></tr>"
            for i in here[:_ROWS]]
    out.append(_table_or(w, "rep.no_initiatives", [w.t("rep.col.initiative"), w.t("rep.col.theme"), w.t("rep.col.carriers"),
                       w.t("rep.col.areas")], rows, more=_more(w, here)))
    elsewhere = r["initiatives"]["elsewhere"]
    out.append(f"<h3>{_e(w.t('rep.essaimage'))}</h3>")
    rows = [f"<tr><td>{_e(w.vocab('function', i['need']))}</td>{_cell(_e(i['name']), 'essaimage-' + i['need'] + '-' + i['id'])}"
            f"<td>{_e(', '.join(i['carriers']))}</td><td>{_e(', '.join(i['areas'][:4]))}</td>"
            f"{_cell('–' if i['km'] is None else w.decimal(i['km'], 0) + ' km', cls='n')}</tr>" for i in elsewhere]
    out.append(_table_or(w, "rep.no_essaimage", [w.t("rep.col.gap"), w.t("rep.col.initiative"), w.t("rep.col.carriers"),
                       w.t("rep.col.areas"), w.t("rep.col.distance")], rows, numeric={4}))
    return "".join(out)


def section7(r: dict, w: Words) -> str:
    out = [f"<h3>{_e(w.t('rep.sources'))}</h3>"]
    rows = [f"<tr>{_cell(_e(s.get('title') or s['id']), 'source-' + s['id'])}<td>{_e(s.get('publisher'))}</td>"
            f"<td>{_e(s.get('date'))}</td>{_cell(w.number(s['cited_by']), cls='n')}</tr>" for s in r["sources"]]
    out.append(_table_or(w, "rep.no_sources", [w.t("rep.col.title"), w.t("rep.col.publisher"), w.t("rep.col.date"), w.t("rep.col.cited")],
                      rows, numeric={3}))
    ref = r["reference"].get("sources") or ["—"]
    v = r["version"]
    out.append(f"<p>{_e(w.t('rep.reference', sources=', '.join(ref)))}</p>")
    out.append(f'<p data-k="dates">{_e(w.t("rep.dates", version=v.get("version") or "—", changed=w.date(v.get("changed_at")), france=w.t("rep.france." + r["kept"]["france_counts"])))}</p>')
    out.append(_kept_line(r["kept"]["cooperation"], w))
    lim = r["limits"]
    fn = lambda needs: ", ".join(w.vocab("function", n) for n in needs)  # noqa: E731
    items = []
    if lim["functions_empty"]:
        items.append(("empty", w.t("rep.lim.empty", needs=fn(lim["functions_empty"]))))
    if lim["functions_inside_only"]:
        items.append(("inside-only", w.t("rep.lim.inside_only", needs=fn(lim["functions_inside_only"]))))
    if lim["stages_unstated"]:
        text = "; ".join(f"{w.vocab('function', s['need'])} ({', '.join(w.vocab('stage', x) for x in s['stages'])})"
                         for s in lim["stages_unstated"])
        items.append(("stages", w.t("rep.lim.stages", items=text)))
    if lim["communes_empty"]:
        items.append(("communes", w.t("rep.lim.communes", n=w.number(lim["communes_empty"]), total=w.number(lim["communes"]),
                                      population=w.number(lim["population_empty"]),
                                      names=", ".join(c["name"] for c in lim["largest_empty"]))))
    items.append(("records", w.t("rep.lim.records", structures=w.number(lim["structures"]),
                                 functions=w.number(lim["without_functions"]), forms=w.number(lim["without_legal_form"]),
                                 sectors=w.number(lim["without_sector"]), actors=w.number(lim["actors"]))))
    out.append(f"<h3>{_e(w.t('rep.limits'))}</h3><ul>" + "".join(
        f'<li data-k="limit-{k}">{_e(text)}</li>' for k, text in items) + "</ul>")
    return "".join(out)
