"""Free text as published (a map's descriptions): HTML turned into text, contact details cut out.

A GoGoCarto description is often HTML written in the map's editor, with the
structure's phone number or e-mail in the middle of it. :func:`plain_text` keeps
the text of the HTML; :func:`without_contacts` removes the phone numbers and
e-mail addresses (and the "Tél. :" that introduces them) and keeps the rest, so
that the description is not lost whole when validation would refuse the cell.
"""

from __future__ import annotations

import html
import re

from loaders.tables import EMAIL, PHONE

_BREAK = re.compile(r"<\s*(br|/p|/div|/li|/h[1-6]|/tr)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_LEAD = r"(?:t[ée]l(?:[ée]phone)?|portable|mobile|fax|e-?mail|courriel|mail|contact)\.?\s*:?\s*"
_CONTACT = re.compile(rf"(?:{_LEAD})?(?:{PHONE.pattern}|{EMAIL.pattern})", re.I)
_CUT = "\x00"
_BEFORE_END = re.compile(r"\s*\x00\s*(?=[.!?]|$)")
_WITH_COMMA = re.compile(r"\s*\x00\s*[,;]\s*")


def plain_text(text: str) -> str:
    """The text of an HTML fragment: tags removed (line breaks and paragraphs become
    spaces), entities decoded, white space collapsed.

    >>> plain_text("<p>Atelier <b>vélo</b>&nbsp;partagé</p><p>Ouvert le samedi</p>")
    'Atelier vélo partagé Ouvert le samedi'
    """
    if "<" not in text and "&" not in text:
        return " ".join(text.split())
    text = _TAG.sub("", _BREAK.sub(" ", text))
    return " ".join(html.unescape(text).replace("\xa0", " ").split())


def without_contacts(text: str) -> tuple[str, int]:
    """``text`` without its phone numbers and e-mail addresses, and how many were removed.

    >>> without_contacts("Épicerie solidaire. Tél. : 02 40 12 34 56, ou contact@epicerie.example.")
    ('Épicerie solidaire. ou.', 2)
    """
    found = 0

    def cut(_m) -> str:
        nonlocal found
        found += 1
        return _CUT

    out = _CONTACT.sub(cut, text)
    if not found:
        return text, 0
    out = _BEFORE_END.sub("", out)       # "…, ou <cut>." -> "…, ou."
    out = _WITH_COMMA.sub(" ", out)      # "<cut>, ou" -> " ou"
    out = " ".join(out.replace(_CUT, " ").split())
    return out.strip(" ,;:"), found
