"""Finding the library's article for each thing a manuscript cites: a citekey, a PMID, a DOI
or a first author and year. Unknown and ambiguous items are answered, not raised, so a
manuscript with one typo still gets the rest formatted."""

from __future__ import annotations

from dataclasses import dataclass

from spinelib.errors import NoMatch, SpineLibError
from spinelib.library import Library, Query
from spinelib.manuscript.placeholders import Cite
from spinelib.text import accent_fold


@dataclass(frozen=True)
class Resolution:
    """One cited item: the article id found, or why none ("no article …", "ambiguous …")."""

    article_id: int | None
    problem: str = ""
    ambiguous: bool = False


class Resolver:
    """Resolves :class:`Cite` items against one library, remembering each answer."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self._cache: dict[tuple[str, str], Resolution] = {}

    def resolve(self, cite: Cite) -> Resolution:
        """The article ``cite`` names (its page or prefix aside), or why none."""
        if cite.target not in self._cache:
            self._cache[cite.target] = self._resolve(cite)
        return self._cache[cite.target]

    def _resolve(self, cite: Cite) -> Resolution:
        if cite.kind == "author_year":
            return self._author_year(cite)
        key = {"pmid": "{}", "doi": "doi:{}", "citekey": "{}"}[cite.kind].format(cite.value)
        try:
            return Resolution(self.lib.articles.resolve_key(key))
        except NoMatch as exc:
            # A typo's likely meaning, when the library names one.
            hint = (f"; did you mean {' or '.join(exc.close)}?"
                    if exc.close and cite.kind == "citekey" else "")
            return Resolution(None, f"{cite.label}: no article in the library has this "
                              f"{'citation key' if cite.kind == 'citekey' else cite.kind.upper()}"
                              f"{hint}")
        except SpineLibError as exc:
            return Resolution(None, f"{cite.label}: {exc}")

    def _author_year(self, cite: Cite) -> Resolution:
        author, year = cite.value.split("|")
        wanted = accent_fold(author)
        try:
            ids = self.lib.search.ids(Query(search=author))
        except SpineLibError:
            ids = []
        matches = []
        for rec_id, rec in zip(ids, self.lib.articles.records(ids, with_references=False)):
            if str(rec.year or "") != year or not rec.authors:
                continue
            first = rec.authors[0]
            name = first.collective if first.is_collective else first.family
            if accent_fold(name) == wanted:
                matches.append((rec_id, rec.citekey))
        if not matches:
            return Resolution(None, f"{{{cite.label}}}: no article in the library by {author} "
                              f"(first author) in {year}")
        if len(matches) > 1:
            keys = ", ".join(k for _i, k in matches)
            return Resolution(None, f"{{{cite.label}}}: ambiguous, {len(matches)} articles "
                              f"match ({keys}); cite one as [@KEY]", ambiguous=True)
        return Resolution(matches[0][0])
