"""A work's publication state ("in press", "submitted"…): the words authors and files use
for it, and the one form SpineLib stores.

SpineLib stores biblatex's ``pubstate`` keys (``inpress``, ``submitted``, ``forthcoming``,
``inpreparation``, ``prepublished``), which biblatex prints in the document's language. CSL
styles print ``status`` as given, so a CSL item gets the words ("in press"), and CSL-JSON
from Zotero or citeproc-js brings the words back. Authors keep an accepted paper's state
where its year would go (``year = {in press}`` in a .bib, ``PY  - In press`` in RIS):
:func:`year_and_state` reads both out of such a field, so the state is kept, not lost with
the year that is not there.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spinelib.records import ArticleRecord

#: The stored keys (biblatex's) and the words a CSL ``status`` carries for each (biblatex's
#: English strings, "pre-published" as it prints it).
STATUS_TEXT = {
    "inpreparation": "in preparation",
    "submitted": "submitted",
    "forthcoming": "forthcoming",
    "inpress": "in press",
    "prepublished": "pre-published",
}

#: The states a paper leaves when it is published (a preprint's "pre-published" is a kind of
#: work, not a wait, and stays).
BEFORE_PUBLICATION = frozenset({"inpreparation", "submitted", "forthcoming", "inpress"})

#: What authors and databases write, folded (lower case, one space, no dots or brackets), to
#: the stored key. "accepted" is "in press": the citation manuals call an accepted paper so.
_PHRASES = {
    **{key: key for key in STATUS_TEXT},
    **{text: key for key, text in STATUS_TEXT.items()},
    "in prep": "inpreparation", "in preparation": "inpreparation",
    "under review": "submitted", "submitted for publication": "submitted",
    "under submission": "submitted",
    "to appear": "forthcoming",
    "in the press": "inpress", "article in press": "inpress",
    "accepted": "inpress", "accepted for publication": "inpress",
    "accepted manuscript": "inpress", "pre published": "prepublished",
}

_YEAR_RE = re.compile(r"(?<!\d)(\d{4})(?!\d)")
#: A field that says it has no date ("n.d.", "no date", "s.d."): nothing to keep or warn of.
_NO_DATE_RE = re.compile(r"^\W*(?:n\W*d|no date|s\W*d|undated|unknown)\W*$", re.I)


def _folded(text: str) -> str:
    """``text`` lower case, hyphens and brackets as spaces, dots and commas dropped, spaces
    collapsed: "In-Press." and "(in press)" read alike."""
    text = re.sub(r"[-_()\[\]{}]", " ", text.casefold())
    return " ".join(re.sub(r"[.,;:]", "", text).split())


def state_key(text: str) -> str | None:
    """The stored key of a phrase that names a publication state ("In press", "accepted",
    "inpress"), else None."""
    return _PHRASES.get(_folded(text)) or None


def stored_state(text: str) -> str:
    """What to store of a file's ``pubstate`` or CSL ``status``: a known state as its key,
    anything else (a state SpineLib has no key for) as written."""
    return state_key(text) or " ".join(text.split())


def status_text(stored: str, *, capital: bool = False) -> str:
    """The words a CSL style prints for a stored state ("inpress" → "in press"; a state
    kept as a file wrote it, as an older SpineLib did, reads the same); ``capital``: as a
    sentence starts ("In press", where a year would stand after a full stop)."""
    if not stored:
        return ""
    key = stored_state(stored)
    words = STATUS_TEXT.get(key, key)
    return words[:1].upper() + words[1:] if capital else words


def before_publication(stored: str) -> bool:
    """Whether a stored state is one a paper leaves when it is published (in press,
    submitted…), in whichever form it was stored."""
    return bool(stored) and stored_state(stored) in BEFORE_PUBLICATION


def year_and_state(text: str) -> tuple[int | None, str]:
    """(year, state key) of a year field as authors fill it: "2021" → (2021, ""),
    "in press" → (None, "inpress"), "2026 (in press)" → (2026, "inpress"); a text that is
    neither gives (None, "")."""
    m = _YEAR_RE.search(text)
    year = int(m.group(1)) if m else None
    rest = text[:m.start()] + " " + text[m.end():] if m else text
    # A plain year (nearly every record of a large file) has nothing more to read.
    return year, (state_key(rest) or "") if rest.strip() else ""


def says_no_date(text: str) -> bool:
    """Whether a date field's text means "no date" (``n.d.``, ``s.d.``, "no date") or is
    empty: an absent year that no warning needs to mention."""
    return not text.strip() or bool(_NO_DATE_RE.match(text))


def in_place_of_year(year: int | None, date_text: str, pubstate: str) -> str:
    """What a format without a state field (BibTeX's ``year``, RIS's ``PY``) writes where
    the year goes when there is no plain year: the date as kept (EDTF), else the state's
    words ("in press"), as :func:`year_and_state` reads them back; '' when there is a year
    or nothing to say."""
    if date_text.strip():
        return date_text.strip()
    return "" if year else status_text(pubstate)


def ended_by(stored: str, source: ArticleRecord) -> bool:
    """Whether ``source`` ends the stored pre-publication state: a PubMed or Crossref record
    of the paper, with no state of its own, that has it in an issue (a volume or pages,
    which no paper in press has yet). One rule for an import's merge and a refresh."""
    return (before_publication(stored) and not source.pubstate
            and source.source in ("pubmed", "crossref")
            and bool(source.volume.strip() or source.pages.strip()))


def typed_state(text: str) -> str:
    """The stored key of a state as a user types it ("in press", "accepted"; '' for none);
    ValueError naming the states SpineLib knows for anything else."""
    if not text.strip():
        return ""
    key = state_key(text)
    if key is None:
        raise ValueError(f"{text.strip()!r} is not a publication state ("
                         + ", ".join(STATUS_TEXT.values()) + "; empty for none)")
    return key
