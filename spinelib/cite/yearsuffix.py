"""Year suffixes ("Patchell 2005a", "Patchell 2005b") for the works an author-date style's
citations would otherwise not tell apart: citeproc-py assigns none, so APA cited two
Patchell 2005 papers as "(Patchell et al., 2005)" both, and listed them without the letters
that say which entry is which.

Promises:

- Only where the style asks for them (``disambiguate-add-year-suffix="true"`` on its
  ``<citation>``), never in a numeric style.
- Two works with a year get letters when their in-text citations print the same; in a
  style that names more authors to tell works apart (``disambiguate-add-names``: APA, Cite
  Them Right), only when their author lists (else editors, else titles) are the same too,
  as those names come first. citeproc-py does not add the names, so the citations of
  "Fisher, DiPaola, et al." and "Fisher, Schouten, et al." stay alike in such a style (a
  limit the README names) while the reference entries stay pandoc's.
- Letters run in the order of the style's bibliography: a, b … z, aa, ab … (CSL 1.0.2,
  "Disambiguation", step 4). Works the style's sort ties (Springer's sorts by author
  alone) keep the order given, the citations' order, and their letters follow it; pandoc
  letters such a tie by citation key. The letters are given after the sort, so a style
  sorting on its printed date ("issued" descending) does not order 2005b before 2005a.
- Printed where the style prints ``year-suffix``, else after the first year a date of the
  entry or citation prints (:func:`install`: the CSL rule for styles that do not place it).
"""

from __future__ import annotations

import itertools
import string
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from spinelib.records import ArticleRecord
from spinelib.styles.catalogue import CSL_NS

_lock = threading.Lock()
_installed = False
#: Per thread, the suffix the next year a date prints takes ('' for none).
_pending = threading.local()
#: Whether a style root places ``year-suffix`` itself, by the root's id.
_placed: dict[int, bool] = {}


def asks_for_suffixes(style_root: Any) -> bool:
    """Whether the style's citations are told apart by year suffixes."""
    return _citation_asks(style_root, "disambiguate-add-year-suffix")


def adds_names(style_root: Any) -> bool:
    """Whether the style's citations are told apart by naming more authors first."""
    return _citation_asks(style_root, "disambiguate-add-names")


def _citation_asks(style_root: Any, option: str) -> bool:
    citation = style_root.find(f"{{{CSL_NS}}}citation")
    return citation is not None and citation.get(option) == "true"


def letters() -> Iterator[str]:
    """a, b … z, aa, ab … zz, aaa …: the suffixes in the order they are given."""
    for width in itertools.count(1):
        for letters_ in itertools.product(string.ascii_lowercase, repeat=width):
            yield "".join(letters_)


def _who(rec: ArticleRecord, every_name: bool) -> tuple[str, ...]:
    """Who a citation names first, case aside: every author's name (else every editor's,
    else the title), or only the first's (``every_name`` false)."""
    people = rec.authors or rec.editors
    if people:
        names = tuple(" ".join((a.family, a.given, a.initials, a.collective)).casefold()
                      for a in people)
        return names if every_name else names[:1]
    return (rec.title.casefold(),)


def candidates(records: Sequence[ArticleRecord], keys: Sequence[str],
               same_names: bool) -> list[list[str]]:
    """The keys of works of one year with the same first author (``same_names``: the same
    authors), in groups of two or more: the only works whose citations may print the same
    and need letters (checked by rendering them, :func:`assign`)."""
    groups: dict[tuple[object, ...], list[str]] = defaultdict(list)
    for rec, key in zip(records, keys):
        if rec.year:
            groups[(_who(rec, same_names), rec.year)].append(key)
    return [g for g in groups.values() if len(g) > 1]


def assign(groups: Sequence[Sequence[str]], citation_of: Mapping[str, str],
           bibliography_order: Sequence[str]) -> dict[str, str]:
    """Each key's suffix: within each group, the keys whose citations print the same get
    letters in ``bibliography_order``."""
    place = {key: at for at, key in enumerate(bibliography_order)}
    out: dict[str, str] = {}
    for group in groups:
        alike: dict[str, list[str]] = defaultdict(list)
        for key in group:
            alike[citation_of[key]].append(key)
        for same in alike.values():
            if len(same) > 1:
                out.update(zip(sorted(same, key=place.__getitem__), letters()))
    return out


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
        _pending.suffix = str(suffix)
        try:
            return process(self, item, variable, *args, **kwargs)
        finally:
            _pending.suffix = ""

    return wrapped


def _year_process(process: Callable[..., Any]) -> Callable[..., Any]:
    """citeproc-py's ``Date_Part.process``: the first year printed takes the pending
    suffix."""

    def wrapped(self: Any, date: Any, context: Any = None) -> Any:
        text = process(self, date, context)
        suffix = getattr(_pending, "suffix", "")
        if suffix and text is not None and self.get("name") == "year":
            _pending.suffix = ""
            return f"{text}{suffix}"
        return text

    return wrapped


def install() -> None:
    """Make citeproc-py print a suffix after the year where a style does not place it (once
    per process; later calls do nothing)."""
    global _installed
    with _lock:
        if _installed:
            return
        from citeproc import model

        model.Date.process = _date_process(model.Date.process)
        model.Date_Part.process = _year_process(model.Date_Part.process)
        _installed = True
