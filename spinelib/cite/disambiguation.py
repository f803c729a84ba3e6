"""Telling apart the works an author-date style's citations would print alike, as CSL says
and pandoc does, where citeproc-py does nothing: APA cited two Patchell 2005 papers as
"(Patchell et al., 2005)" both, and Fisher's two 2010 papers with other co-authors as
"(Fisher et al., 2010)" both.

Promises (CSL 1.0.2, "Disambiguation": names, then given names, then year suffixes; more
names and letters only for works with a year):

- **More names** where the style asks for them (``disambiguate-add-names``: APA, Chicago,
  Cite Them Right): works whose citations print alike but whose author lists differ are
  cited with as many names as tell them apart ("Fisher, DiPaola, et al., 2010" and
  "Fisher, Schouten, et al., 2010"), in citations only (the reference list keeps its own
  et-al rule); the names compared are those a citation prints, family names, so
  "Bruno, Lefebvre, et al." and "Bruno, Michel, et al." tell apart two first authors
  named Bruno.
- **Initials** where the style adds given names (``disambiguate-add-givenname``): APA and
  Chicago (``primary-name…`` rules) cite a first author with initials wherever another
  cited work's first author shares the family name but not the initials ("J. Wang et al.,
  2018" beside "L. Wang et al., 2020"); styles that add them by cite (Cite Them Right,
  Elsevier's Harvard) only where two citations would otherwise print alike, and before
  any names are added, as pandoc does ("J. G. Bruno et al., 2012" in Oryx). The first
  author's only, chosen by initials (a name told apart by its full given name alone is
  left to the year suffixes), printed as the style prints given names
  (:mod:`spinelib.cite.givennames`: whole where it initialises none, "Jon G Bruno").
- **Year suffixes** where the style asks for them (``disambiguate-add-year-suffix``):
  works whose citations still print alike get letters, a, b … z, aa, ab …, in the order of
  the style's bibliography, sorted without them (a style sorting on its printed date,
  "issued" descending, would otherwise order 2005b before 2005a). Works the style's sort
  ties (Springer's sorts by author alone) keep the order given, the citations' order, and
  their letters follow it; pandoc letters such a tie by citation key.
- **A work cited again** takes the names the style gives later citations
  (``et-al-subsequent-min`` and ``-use-first``: APA 6th's "(Kato et al., 2015)" after
  "(Kato, Ødegaard, Schroder, Lopez de Castro, & Martin, 2015)"), and works are told apart
  as cited first and as cited again: two Bruno 2012 papers cited first with four names and
  with "et al." print alike once cited again, so they get initials or letters.
- Printed where the style prints ``year-suffix``, else after the first year a date of the
  entry or citation prints (:func:`install`: the CSL rule for styles that do not place it).
- Never in a numeric style.
"""

from __future__ import annotations

import contextlib
import itertools
import string
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from spinelib.cite import givennames
from spinelib.records import ArticleRecord, Author, initials_of
from spinelib.styles.catalogue import CSL_NS

#: Per thread: the suffix the next year a date prints takes, the names each citation key
#: is cited with (use-first, min), and the key whose names are being printed.
_state = threading.local()
#: Whether a style root places ``year-suffix`` itself, by the root's id.
_placed: dict[int, bool] = {}
#: A key's names in a citation: (et-al-use-first, et-al-min or None for the style's).
Names = tuple[int, int | None]


#: The given-name rules that add initials wherever a family name is shared (CSL: global).
GLOBAL_RULES = frozenset({"all-names", "all-names-with-initials", "primary-name",
                          "primary-name-with-initials"})


@dataclass(frozen=True)
class Disambiguation:
    """What tells a document's works apart, by key: year ``suffixes``, the ``names`` each
    is cited with, and the keys whose first author is cited with ``initials``."""

    suffixes: dict[str, str] = field(default_factory=dict)
    names: dict[str, Names] = field(default_factory=dict)
    initials: frozenset[str] = frozenset()


def citation_asks(style_root: Any, option: str) -> bool:
    """Whether the style's ``<citation>`` sets ``option`` (``disambiguate-add-names`` …)."""
    citation = style_root.find(f"{{{CSL_NS}}}citation")
    return citation is not None and citation.get(option) == "true"


def letters() -> Iterator[str]:
    """a, b … z, aa, ab … zz, aaa …: the suffixes in the order they are given."""
    for width in itertools.count(1):
        for letters_ in itertools.product(string.ascii_lowercase, repeat=width):
            yield "".join(letters_)


def _named(rec: ArticleRecord) -> list[Author]:
    """Who a citation names: the authors, else the editors (a book's)."""
    return rec.authors or rec.editors


def people(rec: ArticleRecord) -> tuple[str, ...]:
    """Who a citation names, as an author-date citation prints them, case aside: every
    author's family name or group's name (else the editors'; else the title). Given names
    are not printed there: "Bruno JG, Lefebvre T" and "Bruno WM, Michel EN" share their
    first name in a citation, and a second one tells them apart."""
    named = _named(rec)
    if named:
        return tuple((a.family or a.collective).casefold() for a in named)
    return (rec.title.casefold(),)


def _first_family(rec: ArticleRecord) -> str:
    """The family name a citation starts with (else the title), case aside."""
    named = _named(rec)
    first = named[0] if named else None
    return (first.family or first.collective if first else rec.title).casefold()


def _initials_of(rec: ArticleRecord) -> str:
    """The first author's (or editor's) initials, from the given name when none are kept."""
    named = _named(rec)
    return (named[0].initials or initials_of(named[0].given)).casefold() if named else ""


def candidates(records: Sequence[ArticleRecord], keys: Sequence[str]) -> list[list[str]]:
    """The keys of works of one year whose first authors (or editors, or titles) share a
    family name, in groups of two or more: the only works whose citations may print alike
    (rendering them tells, :func:`more_names` and :func:`assign`)."""
    groups: dict[tuple[object, ...], list[str]] = defaultdict(list)
    for rec, key in zip(records, keys):
        if rec.year:
            groups[(_first_family(rec), rec.year)].append(key)
    return [g for g in groups.values() if len(g) > 1]


def global_initials(records: Sequence[ArticleRecord], keys: Sequence[str]) -> set[str]:
    """The keys whose first author shares a family name, but not the initials, with another
    work's first author: cited with initials (the global rules)."""
    by_family: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for rec, key in zip(records, keys):
        if _named(rec):
            by_family[_first_family(rec)].append((key, _initials_of(rec)))
    return {key for works in by_family.values() if len({i for _k, i in works}) > 1
            for key, _i in works}


def cite_initials(groups: Sequence[Sequence[str]],
                  citation_of: Mapping[str, Sequence[str]],
                  by_key: Mapping[str, ArticleRecord]) -> set[str]:
    """The keys of works cited alike whose first authors' initials differ: cited with
    initials (the by-cite rule)."""
    out: set[str] = set()
    for group in groups:
        for alike in _alike(group, citation_of):
            if len({_initials_of(by_key[k]) for k in alike}) > 1:
                out.update(alike)
    return out


def _alike(group: Sequence[str], citation_of: Mapping[str, Sequence[str]]
           ) -> list[list[str]]:
    """The keys of ``group`` cited alike, in sets of two or more: each key's citations (as
    first cited, and as cited again where the style cuts them otherwise), two keys alike
    when any of them print the same (AJPS cuts a first citation to "Bruno et al." and not
    a later one; APA 6th the other way round)."""
    root = {key: key for key in group}

    def find(key: str) -> str:
        while root[key] != key:
            key = root[key]
        return key

    for at in range(max((len(citation_of[k]) for k in group), default=0)):
        first_with: dict[str, str] = {}
        for key in group:
            text = citation_of[key][at]
            other = first_with.setdefault(text, key)
            root[find(key)] = find(other)
    sets: dict[str, list[str]] = defaultdict(list)
    for key in group:
        sets[find(key)].append(key)
    return [keys for keys in sets.values() if len(keys) > 1]


def more_names(groups: Sequence[Sequence[str]], citation_of: Mapping[str, Sequence[str]],
               people_of: Mapping[str, tuple[str, ...]]) -> dict[str, Names]:
    """The names each key must be cited with so that works cited alike but by different
    author lists print apart: one past the names it shares with the most alike of them;
    all of them, without "et al.", when that is every name."""
    out: dict[str, Names] = {}
    for group in groups:
        for alike in _alike(group, citation_of):
            for key in alike:
                mine = people_of[key]
                shared = [len(list(itertools.takewhile(lambda p: p[0] == p[1],
                                                       zip(mine, people_of[other]))))
                          for other in alike if people_of[other] != mine]
                if not shared:
                    continue  # the same authors: a year suffix tells them apart
                wanted = max(shared) + 1
                out[key] = (wanted, None) if wanted < len(mine) else (len(mine),
                                                                      len(mine) + 1)
    return out


def assign(groups: Sequence[Sequence[str]], citation_of: Mapping[str, Sequence[str]],
           bibliography_order: Sequence[str]) -> dict[str, str]:
    """Each key's suffix: within each group, the keys whose citations print the same get
    letters in ``bibliography_order``."""
    place = {key: at for at, key in enumerate(bibliography_order)}
    out: dict[str, str] = {}
    for group in groups:
        for same in _alike(group, citation_of):
            out.update(zip(sorted(same, key=place.__getitem__), letters()))
    return out


def cuts_later(style_root: Any) -> bool:
    """Whether the style cites a work cited before with names of its own
    (``et-al-subsequent-min`` and ``-use-first``, CSL 1.0.2 "Name Options": 220 styles,
    APA 6th's "(Bruno et al., 2012)" after "(Bruno, Lefebvre, Watanabe, & Greco, 2012)").
    citeproc-py reads them and uses neither: a work was cited as at first every time."""
    return any(isinstance(el.tag, str) and el.get("et-al-subsequent-min")
               for el in style_root.iter())


@contextlib.contextmanager
def citing_with(found: Disambiguation, later: Sequence[str] = ()) -> Iterator[None]:
    """Within it, citeproc-py cites each key (lower-cased, as citeproc-py keys) with its
    names and initials; the ``later`` keys, cited before in the document, with the names
    the style gives a work cited again (:func:`cuts_later`)."""
    _state.names = {key.lower(): n for key, n in found.names.items()}
    _state.initials = {key.lower() for key in found.initials}
    _state.later = {key.lower() for key in later}
    try:
        yield
    finally:
        _state.names, _state.initials, _state.later = {}, set(), set()


def _places_it(root: Any) -> bool:
    """Whether the style prints ``year-suffix`` with a ``<text>`` of its own."""
    found = _placed.get(id(root))
    if found is None:
        found = any(t.get("variable") == "year-suffix" for t in root.iter(f"{{{CSL_NS}}}text"))
        _placed[id(root)] = found
    return found


def _date_process(process: Callable[..., Any]) -> Callable[..., Any]:
    """citeproc-py's ``Date.process``: a style's own ``issued`` date of an item with a suffix,
    where the style does not place ``year-suffix`` itself, gives the suffix to its first year
    (a locale's date format, rendered inside it, leaves that to the style's date)."""

    def wrapped(self: Any, item: Any, variable: str | None = None, *args: Any,
                **kwargs: Any) -> Any:
        name = variable or self.get("variable")
        suffix = (item.reference.get("year_suffix", "")
                  if name == "issued" and not self.is_locale_date()
                  and not _places_it(self.get_root()) else "")
        if not suffix:
            return process(self, item, variable, *args, **kwargs)
        _state.suffix = str(suffix)
        try:
            return process(self, item, variable, *args, **kwargs)
        finally:
            _state.suffix = ""

    return wrapped


def _year_process(process: Callable[..., Any]) -> Callable[..., Any]:
    """citeproc-py's ``Date_Part.process``: the first year printed takes the pending
    suffix."""

    def wrapped(self: Any, date: Any, context: Any = None) -> Any:
        text = process(self, date, context)
        suffix = getattr(_state, "suffix", "")
        if suffix and text is not None and self.get("name") == "year":
            _state.suffix = ""
            return f"{text}{suffix}"
        return text

    return wrapped


def _sorted_without_suffixes(sort: Callable[..., Any]) -> Callable[..., Any]:
    """citeproc-py's ``Sort.sort``, blind to year suffixes: CSL sorts before it assigns
    them, so a date key printing "2013b" must not order it before "2013a"."""

    def wrapped(self: Any, items: Any, *args: Any, **kwargs: Any) -> Any:
        held = [(item.reference, item.reference.pop("year_suffix")) for item in items
                if "year_suffix" in item.reference]
        try:
            return sort(self, items, *args, **kwargs)
        finally:
            for reference, suffix in held:
                reference["year_suffix"] = suffix

    return wrapped


def _names_process(process: Callable[..., Any]) -> Callable[..., Any]:
    """citeproc-py's ``Name.process``, noting whose names it prints (for :func:`_option`),
    and printing a short first name with its given name where :func:`citing_with` says
    (:func:`spinelib.cite.givennames.given_name_first`: "J. Wang")."""

    def wrapped(self: Any, item: Any, variable: str, context: Any = None,
                sort_options: Any = None, **kwargs: Any) -> Any:
        _state.key = item.key
        held = None if sort_options is not None or item.key not in getattr(
            _state, "initials", ()) else givennames.given_name_first(self, item, variable,
                                                                     context)
        try:
            text = process(self, item, variable, context=context, sort_options=sort_options,
                           **kwargs)
            return text if held is None else givennames.unmarked(text)
        finally:
            _state.key = None
            if held is not None:
                name, part, before = held
                name[part] = before

    return wrapped


def _option(get_option: Callable[..., Any]) -> Callable[..., Any]:
    """citeproc-py's ``Name.get_option``: a key cited before takes the style's
    ``et-al-subsequent-*`` where it sets them (read as citeproc-py reads any name option,
    the ``<name>``'s own first), and a key cited with more names (:func:`citing_with`) its
    own et-al-use-first, and et-al-min where it needs all its names (never in a sort key)."""

    def wrapped(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
        value = get_option(self, name, context, sort_options)
        if sort_options is not None or name not in ("et-al-use-first", "et-al-min"):
            return value
        key = getattr(_state, "key", None)
        if key in getattr(_state, "later", ()):
            least = get_option(self, "et-al-subsequent-min", context, sort_options)
            if least:  # citeproc-py's default, 0, where the style sets none
                value = least if name == "et-al-min" else get_option(
                    self, "et-al-subsequent-use-first", context, sort_options)
        mine = getattr(_state, "names", {}).get(key)
        if mine is not None:
            wanted = mine[0] if name == "et-al-use-first" else mine[1]
            return value if wanted is None else wanted
        return value

    return wrapped


def install() -> None:
    """Make citeproc-py print a suffix after the year where a style does not place it, sort
    without suffixes, and cite a key with the names :func:`citing_with` gives it (once, by
    :func:`spinelib.cite.patched.install`)."""
    from citeproc import model

    model.Date.process = _date_process(model.Date.process)
    model.Date_Part.process = _year_process(model.Date_Part.process)
    model.Sort.sort = _sorted_without_suffixes(model.Sort.sort)
    model.Name.process = _names_process(model.Name.process)
    givennames.install()
    model.Name.get_option = _option(model.Name.get_option)
