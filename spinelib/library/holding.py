"""Which article of the library already holds each input of an import, before anything is
fetched: what the import dialog's preview names ("in your library: patchell2005direct")
and what importing it again refreshes or restores, never adds a second time.

A DOI, PMID or PMCID is held where a merge would find it (a live article, an alias a merge
kept, the trash: :meth:`spinelib.store.bulk.BulkSql.holders`), one read, a statement per
500 identifiers of a kind. The inputs that are no article's field are held by what they
lead to: an Elsevier PII by the article whose DOI Elsevier built from it
(:func:`~spinelib.pii.doi_built_from`); a citation by the live article it plainly names
(its first author, year, and title or volume and first page:
:meth:`~spinelib.library.search.SearchManager.cited_here`); a Bookshelf ID by the live
article at its Bookshelf address (PubMed's book records carry it as their URL); an ISBN by
the live book that lists it (not a chapter, which lists its book's ISBN too). A journal's
article address is not looked for (no article keeps it): the import finds the article held
once PubMed has named it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from spinelib.bookshelf import bookshelf_url
from spinelib.identifiers import Identifier, Kind
from spinelib.import_results import HeldArticle
from spinelib.library.bulk import identifiers_of
from spinelib.pii import doi_built_from

if TYPE_CHECKING:
    from spinelib.library.facade import Library
    from spinelib.records import ArticleRecord


def record_identifiers(record: ArticleRecord) -> list[Identifier]:
    """A record's DOI, PMID and PMCID as the merge looks them up
    (:func:`~spinelib.library.bulk.identifiers_of`: the identifier columns, named as the
    kinds are): what to ask :func:`held_articles` about a record."""
    return [Identifier(cast(Kind, kind), value) for kind, value in identifiers_of(record)]


def held_articles(lib: Library, identifiers: Iterable[Identifier]
                  ) -> dict[Identifier, HeldArticle]:
    """Each identifier the library holds, and the article holding it (see the module)."""
    asked: dict[tuple[str, str], list[Identifier]] = {}
    cited: list[Identifier] = []
    books: list[Identifier] = []
    for i in identifiers:
        if i.kind == "citation":
            cited.append(i)
        elif i.kind == "journalpage":
            continue  # no article keeps the address: held or not is known once fetched
        elif i.kind in ("isbn", "nbk"):
            books.append(i)
        else:
            pair = ("doi", doi_built_from(i.value)) if i.kind == "pii" else (i.kind, i.value)
            asked.setdefault(pair, []).append(i)
    wanted: dict[str, set[str]] = {}
    for kind, value in asked:
        wanted.setdefault(kind, set()).add(value)
    # Where each book would be held: a Bookshelf document at its address, a book by ISBN.
    places = {b: ("url", bookshelf_url(b.value)) if b.kind == "nbk" else ("isbn", b.value)
              for b in books}
    with lib.store.reading() as conn:
        found = lib.store.bulk.holders(conn, wanted)
        shelved = lib.store.bulk.book_holders(
            conn, [v for k, v in places.values() if k == "url"],
            [v for k, v in places.values() if k == "isbn"]) if books else {}
    held = {ident: HeldArticle(article_id, key, trashed)
            for pair, (article_id, key, trashed) in found.items() if key is not None
            for ident in asked[pair]}
    for book, place in places.items():
        if place in shelved:
            held[book] = HeldArticle(*shelved[place], False)
    for ident in cited:
        named = lib.search.cited_here(ident.value)
        if named:
            held[ident] = HeldArticle(*named[0], False)
    return held
