"""Whether a record that shares an identifier with a stored article is another publication.

An identifier is not always one work's: Embase and conference exports give every abstract
of a journal supplement the supplement's DOI, and a hand-made .bib can carry a DOI pasted
from the wrong paper. Merging such a record would keep the first abstract and call the
second "unchanged" (it is lost), or fill the stored article's empty fields with another
paper's abstract, pages and references. The merge (:mod:`spinelib.library.merge`) asks
:func:`plainly_another_publication` before it takes an identifier match, and stores such a
record as an article of its own, without the identifier it shares.

The test is deliberately narrow, so the same paper from two sources always merges: the
titles must share under half of their words (the shorter title's; a dropped subtitle, a
translated title's brackets or another letter case change nothing), *and* the first authors'
family names must differ. A paper whose title PubMed translates ("[Vertebroplasty in …]")
while Crossref keeps the original language has the same first author, and merges; a title
or name in another script than Latin (a Chinese journal's own metadata beside PubMed's
transliteration) is never compared, and merges.
"""

from __future__ import annotations

import re

from spinelib.records import ArticleRecord
from spinelib.store.mapping import title_key

#: Words this short ("of", "the", "and", "in") say nothing about which paper a title names.
_MIN_WORD = 4
#: Below this share of the shorter title's words in common, two titles name two papers.
_SAME_TITLE_SHARE = 0.5
_WORD_RE = re.compile(r"\w+")


def _words(title: str) -> set[str]:
    return {w for w in (title_key(w) for w in _WORD_RE.findall(title)) if len(w) >= _MIN_WORD}


def _titles_differ(stored: str, incoming: str) -> bool:
    a, b = _words(stored), _words(incoming)
    if not a or not b:
        return False  # a title of short words only: nothing to tell them apart by
    return len(a & b) / min(len(a), len(b)) < _SAME_TITLE_SHARE


def _first_authors_differ(stored_first_author: str, rec: ArticleRecord) -> bool:
    """``stored_first_author`` is the article's ``first_author`` column ("Patchell RA")."""
    stored, incoming = title_key(stored_first_author), title_key(rec.first_author_family())
    if not stored or not incoming:
        return False
    return not (stored.startswith(incoming) or incoming.startswith(stored))


def _latin(*texts: str) -> bool:
    """Whether every text is in Latin letters once its accents are folded: a title or name
    in another script (a Chinese journal's own, beside PubMed's translation and
    transliteration) cannot be compared word for word."""
    return all(title_key(t).isascii() for t in texts)


def plainly_another_publication(stored_title: str, stored_first_author: str,
                                rec: ArticleRecord) -> bool:
    """True when ``rec`` names another publication than the stored article with this title
    and first author: titles sharing under half their words *and* another first author.
    Whatever cannot be compared (no title, no authors, another script) counts as the same
    publication."""
    return (_latin(stored_title, rec.title, stored_first_author, rec.first_author_family())
            and _titles_differ(stored_title, rec.title)
            and _first_authors_differ(stored_first_author, rec))
