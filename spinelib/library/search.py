"""The search room: which articles a query selects, in what order, and the counts beside
the sidebar's entries.

Promises: search accepts any text a user types and never raises for full-text syntax; counts
equal what a filter would show.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from spinelib.citationtext import names_work
from spinelib.curation_results import FieldTerm, SearchSuggestion
from spinelib.errors import NoMatch, SpineLibError
from spinelib.library.fieldquery import ParsedQuery, parse
from spinelib.results import Query, Row, SidebarCounts
from spinelib.store.fieldsearch import IDENTIFIER_KINDS, leaves
from spinelib.store.queries import Filter

if TYPE_CHECKING:
    from spinelib.library.facade import Library
    from spinelib.store.connection import Connection

#: A word that may be a citation key: no space, a digit somewhere (its year).
_KEY_LIKE = re.compile(r"[^\s\"]*\d[^\s\"]*")
#: A name written PubMed's way: the family name, then one to three initials.
_WITH_INITIALS = re.compile(r"(.+?)\s+([A-Za-z]{1,3})")
#: Of a citation's first author's articles of its years, how many are compared with it (a
#: prolific author has a few dozen; the table's sort puts none first).
_CITED_CANDIDATES = 500
#: What "Recently added" means, in days.
RECENT_DAYS = 30


def _recent_since() -> str:
    return (datetime.now(UTC) - timedelta(days=RECENT_DAYS)).strftime("%Y-%m-%dT%H:%M:%SZ")


def search_hints(user_text: str) -> list[str]:
    """For each qualified term of a search whose value cannot be read (``year:abc``,
    ``has:nothing``), one sentence saying what the qualifier takes; the term was searched
    as text, so it likely found nothing. Pure: no library needed (the GUI's empty table)."""
    return parse(user_text).hints


def searched_identifier(user_text: str) -> tuple[str, str] | None:
    """``(kind, value)`` when the whole search is one identifier (``10.1056/…``,
    ``pmid:16112300``, a doi.org or PubMed link), normalised as the library stores it; else
    None. The empty table then offers to import it ("do I have this paper?" answered no).
    Pure: no library needed."""
    parsed = parse(user_text)
    if parsed.free_text.strip() or len(parsed.terms) != 1:
        return None
    (term,) = parsed.terms
    if term.kind not in IDENTIFIER_KINDS or term.negated:
        return None
    return term.kind, term.text


def _name_and_initials(name: str) -> tuple[str, str]:
    """A name written PubMed's way split into its family name and initials ("Bilsky MH" ->
    ("Bilsky", "MH")); any other name whole, with no initials."""
    initialled = _WITH_INITIALS.fullmatch(name)
    return (initialled.group(1), initialled.group(2)) if initialled else (name, "")


#: Qualified terms whose words stand in the text shown, so the detail pane marks them too.
_HIGHLIGHTED_KINDS = frozenset({"title", "journal", "mesh", "author", "editor"})


class SearchManager:
    """``lib.search``: queries, counts, facets."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.store = lib.store

    def resolve(self, q: Query) -> Filter:
        """The query with its names resolved: tags to their subtrees, the list to its id; a
        citation's search narrowed to the paper it names, when the library holds it."""
        found, citation = self._resolved(q)
        if not citation:
            return found
        named = self._named_by(found, citation)
        if not named:
            return found  # its author's articles of those years, to look through
        terms = [FieldTerm("key", key) for _, key in named]
        term = terms[0] if len(terms) == 1 else FieldTerm("any", alternatives=tuple(terms))
        return replace(found, fields=[*found.fields, term])

    def cited_here(self, citation: str) -> list[tuple[int, str]]:
        """(id, citation key) of the articles ``citation`` plainly names (its first author,
        of its year, and its title or its volume and first page), best first; [] for none,
        or for text that is no citation."""
        found, read_as = self._resolved(Query(search=citation))
        return self._named_by(found, read_as) if read_as else []

    def _resolved(self, q: Query) -> tuple[Filter, str]:
        """:meth:`resolve` before a citation's narrowing, and the citation ('' for none)."""
        subtrees = [self.lib.tags.with_descendants(self.lib.tags.resolve(t)) for t in q.tags]
        list_id = None
        if q.reading_list is not None:
            list_id = self.lib.lists.list_id(q.reading_list)
        parsed = self._key_alone(parse(q.search))
        if q.sort == "relevance" and not parsed.free_text.strip():
            # Nothing to rank by: the newest first, as the table's default order.
            q = replace(q, sort="added", descending=True)
        fields = [self._resolve_term(t) for t in parsed.terms]
        facets = [(name, self.facet_value(name, value)) for name, value in q.facets]
        found = Filter(replace(q, search=parsed.free_text, facets=facets), subtrees, list_id,
                       _recent_since() if q.recent else "", fields)
        return found, parsed.citation

    def _named_by(self, found: Filter, citation: str) -> list[tuple[int, str]]:
        """Of a citation's search ``found`` (its first author's articles of its years), the
        articles it names (:func:`~spinelib.citationtext.names_work`), in the search's
        order: "do I have this paper?" answered with the paper, not with all its author's
        work of those years."""
        with self.store.reading() as conn:
            ids = self.store.queries.ids(conn, found)[:_CITED_CANDIDATES]
            parts = self.store.queries.cited_parts(conn, ids)
        return [(i, parts[i][0]) for i in ids
                if i in parts and names_work(citation, *parts[i][1:])]

    def _key_alone(self, parsed: ParsedQuery) -> ParsedQuery:
        """A search that is one citation key as typed or pasted ("patchell2005direct", no
        @) finds that article: the key is no word of any text, so searched as text it
        found nothing. Only a single word with a digit is looked up (a key has its year)."""
        word = parsed.free_text.strip()
        if parsed.terms or not _KEY_LIKE.fullmatch(word):
            return parsed
        with self.store.reading() as conn:
            if not self.store.queries.is_citekey(conn, word):
                return parsed
        return ParsedQuery([FieldTerm("key", word)], "", parsed.hints)

    @staticmethod
    def free_text(search: str) -> str:
        """The words of ``search`` left for the full-text index (what relevance ranks):
        without its qualified terms (``year:``, ``author:``…) and exclusions."""
        return parse(search).free_text.strip()

    def facet_value(self, facet: str, typed: str) -> str:
        """The id of facet ``facet``'s value that ``typed`` names: its id or label in any
        letter case, else the one value whose id and label hold every word typed
        ("myeloma"); NoMatch naming the values when none or several do (a facet value
        that matched nothing used to find 0 articles, without a word)."""
        values = self.lib.taxonomy.facet_values.get(facet, [])
        wanted = typed.strip().casefold()
        for vid, label in values:
            if wanted in (vid.casefold(), label.casefold()):
                return vid
        words = wanted.replace("_", " ").split()
        holding = [vid for vid, label in values
                   if words and all(w in f"{vid.replace('_', ' ')} {label}".casefold()
                                    for w in words)]
        if len(holding) == 1:
            return holding[0]
        some = holding or [vid for vid, _label in values]
        what = "could be" if holding else "takes"
        raise NoMatch(f"no {facet} value {typed!r}; {facet} {what} {', '.join(some)}")

    def _resolve_term(self, term: FieldTerm) -> FieldTerm:
        """``tag:`` names become their subtree's ids (an unknown tag matches nothing);
        ``author:`` gains the stored spellings of the name ("muller" finds "Müller");
        ``journal:`` the journals shown by an abbreviation it matches; an ``any`` term's
        alternatives are resolved each."""
        if term.kind == "any":
            return replace(term, alternatives=tuple(map(self._resolve_term, term.alternatives)))
        if term.kind in ("author", "editor"):
            return self._named(term)
        if term.kind == "journal":
            return self._journal(term)
        if term.kind != "tag":
            return term
        try:
            tag_id = self.lib.tags.resolve(term.text)
        except SpineLibError:
            return replace(term, tag_ids=())
        return replace(term, tag_ids=tuple(self.lib.tags.with_descendants(tag_id)))

    def _journal(self, term: FieldTerm) -> FieldTerm:
        """``journal:`` with the journals whose articles stored without an abbreviation are
        shown by one the phrase matches (:meth:`table_rows`): "J Neurosurg Spine" also finds
        a .bib entry's "Journal of Neurosurgery: Spine" where the library holds PubMed's
        records of that journal."""
        from spinelib.journalnames import phrase_in

        with self.store.reading() as conn:
            bare = self.store.articles.bare_journals(conn)
        if not bare:
            return term
        known = self.lib.articles.known_abbreviations(name for name, _issn in bare)
        lent = [name for name, issn in bare if phrase_in(term.text, known.lookup(name, issn))]
        return replace(term, spellings=tuple(dict.fromkeys(lent)))

    def _named(self, term: FieldTerm) -> FieldTerm:
        """``author:`` or ``editor:`` with the stored spellings of the name; a name no author
        (editor) has as written, written PubMed's way with initials last ("Patchell RA",
        "bilsky mh"), as that family name with those initials."""
        queries = self.store.queries

        def spelled(conn: Connection, name: str, last: bool) -> tuple[str, ...]:
            found = queries.name_spellings(conn, name, term.kind)
            # A name no author has may be an edited book's editor (author: finds those
            # too): their spellings are asked last, when nothing else reads so, so an
            # author's search costs nothing more.
            if not found and last and term.kind == "author":
                found = queries.name_spellings(conn, name, "editor")
            return found

        with self.store.reading() as conn:
            family, initials = _name_and_initials(term.text)
            spellings = spelled(conn, term.text, last=not initials)
            if spellings or not initials:
                return replace(term, spellings=spellings)
            found = spelled(conn, family, last=True)
        # Split even when no stored spelling reads so: an edited book's editors, which
        # author: finds too, are no author rows ("author:\"Müller J\"").
        return replace(term, text=family, spellings=found, initials=initials.upper())

    def ids(self, q: Query | None = None) -> list[int]:
        """Article ids matching ``q``, in its sort order."""
        f = self.resolve(q or Query())
        with self.store.reading() as conn:
            return self.store.queries.ids(conn, f)

    def count(self, q: Query | None = None) -> int:
        f = self.resolve(q or Query())
        with self.store.reading() as conn:
            return self.store.queries.count(conn, f)

    def rows(self, ids: Sequence[int]) -> dict[int, Row]:
        """Table rows for ``ids`` (a page at a time; ids not found are absent)."""
        with self.store.reading() as conn:
            return self.store.queries.rows(conn, ids)

    def table_rows(self, ids: Sequence[int]) -> dict[int, Row]:
        """:meth:`rows` as the article table shows them: a journal article stored without
        its journal's abbreviation shows the one the library holds for that journal, as its
        citations print it ("J Neurosurg Spine" for an Embase record's "Journal of
        Neurosurgery: Spine", beside PubMed's); the stored article is not changed."""
        rows = self.rows(ids)
        bare = [r for r in rows.values() if r.journal_unabbreviated]
        if bare:
            known = self.lib.articles.known_abbreviations(r.journal for r in bare)
            for r in bare:
                r.journal = known.lookup(r.journal, r.issn) or r.journal
        return rows

    def matching(self, user_text: str) -> list[int]:
        """Ids matching a full-text search, best first. Never raises for odd input."""
        return self.ids(Query(search=user_text, sort="relevance"))

    def suggestion(self, user_text: str) -> SearchSuggestion | None:
        """The search with the vocabulary's abbreviations searched with what they stand for,
        else with its mistyped words replaced by the library's nearest ("Did you mean …?",
        :mod:`spinelib.library.spelling`), when that finds articles; else None. (An
        abbreviation first: "SINS" is no typo for a word the library holds.)"""
        from spinelib.library.spelling import spelled_out_suggestion, spelling_suggestion

        return (spelled_out_suggestion(self.lib, user_text)
                or spelling_suggestion(self.lib, user_text))

    def highlight_terms(self, user_text: str) -> list[str]:
        """The words a search matches on, for highlighting in the detail pane: its free text
        and the words of its title:, journal:, mesh:, author: and editor: terms (not the
        excluded)."""
        parsed = parse(user_text)
        # An author's initials ("Müller J") are no word to mark: "J" would mark every word
        # starting with it, in the title and the abstract too.
        # A plain word is a term of its own only as one side of an OR (an "any" term, never
        # negated); elsewhere it is free text, and a "text" term is an exclusion.
        shown = [t for t in leaves(parsed.terms)
                 if not t.negated and (t.kind in _HIGHLIGHTED_KINDS or t.kind == "text")]
        worded = [_name_and_initials(t.text)[0] if t.kind in ("author", "editor") else t.text
                  for t in shown]
        query = self.store.dialect.fulltext_query(" ".join([parsed.free_text, *worded]))
        return [t.strip('"*') for t in re.findall(r'"[^"]+"\*?', query)]

    def facet_counts(self, q: Query | None = None) -> dict[str, list[tuple[str, int]]]:
        """facet -> [(value, count)] within ``q``, most frequent first."""
        scope, params = self.store.queries.scope(self.resolve(q or Query()))
        with self.store.reading() as conn:
            return self.store.tags.facet_counts(conn, scope, params)

    def sidebar_counts(self) -> SidebarCounts:
        """Counts for the fixed sidebar entries (each an indexed count, no table scan)."""
        with self.store.reading() as conn:
            return self.store.queries.sidebar_counts(conn, _recent_since())
