"""The reference-list room: an article's own reference list set from text the user pastes
(``spinelib refs KEY --read FILE``, the References tab's *Paste list…*), or read
from the article's stored full text, when PubMed and Crossref gave none.

Promises:
- The text is read by :func:`~spinelib.referencelist.read_reference_list` (one entry per
  reference, its DOI, PMID and PMCID as written); text with no reference in it is refused
  and nothing changes.
- The list replaces the article's stored one in one transaction recorded as one undo step,
  "reference list of KEY"; the article's other fields are untouched. A later import of the
  article fills a list only as it fills any (a list without a single identifier is replaced
  by one with identifiers, PubMed's say; one with identifiers is kept).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spinelib.errors import NoMatch, SpineLibError
from spinelib.referencelist import ReadReferences, read_reference_list, references_in_fulltext
from spinelib.store.mapping import utcnow

if TYPE_CHECKING:
    from spinelib.library.facade import Library


class ReferenceListsManager:
    """``lib.reference_lists``: set an article's reference list from text."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.store = lib.store

    def read(self, text: str) -> ReadReferences:
        """What :meth:`replace` would store of ``text`` (no database: a preview)."""
        return read_reference_list(text)

    def replace(self, article_id: int, text: str) -> ReadReferences:
        """Store the references read from ``text`` as the article's list (see the module's
        promises); SpineLibError says why nothing changed."""
        read = read_reference_list(text)
        if not read.entries:
            raise SpineLibError("no reference found in the text (a reference is a citation "
                                "with its authors and year, or a DOI or PMID); nothing was "
                                "changed")
        with self.store.reading() as conn:
            key = self.store.articles.citekey(conn, article_id)
        if key is None:
            raise NoMatch(f"no article with id {article_id}")
        with self.lib.history.recording(f"reference list of {key}",
                                        articles=[article_id]) as conn:
            if self.store.articles.citekey(conn, article_id) is None:
                raise NoMatch(f"{key} was deleted meanwhile; nothing was changed")
            self.store.articles.replace_references(conn, article_id, read.entries)
            self.store.articles.update(conn, [article_id], {"updated_at": utcnow()})
        return read

    def from_fulltext(self, article_id: int) -> str:
        """The reference list's text in the article's stored full text (its open-access
        text's references, else what follows its PDF's last "References" heading); '' when
        there is none."""
        return references_in_fulltext(self.lib.attachments.text(article_id))
