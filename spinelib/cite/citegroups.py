"""An author-date citation's works by the same authors printed once, their years after them:
"(Laufer, 2013a, 2013b; Patchell et al., 2005)" where citeproc-py printed "(Laufer, 2013a;
Laufer, 2013b; Patchell et al., 2005)". APA, Chicago, Harvard and 925 other styles ask for
it with ``collapse="year"`` on their ``<citation>`` (CSL 1.0.2, "Cite Grouping" and
"Cite Collapsing"), and pandoc prints it.

Promises:

- Only where the style's citation collapses by year (``year``; ``year-suffix`` and
  ``year-suffix-ranged`` are collapsed the same way, each year printed whole: "2013a,
  2013b", never the shorter "2013a, b").
- Works whose names print the same are grouped where the first of them stands (CSL's cite
  grouping), in the order the citation's sort gives; the later ones print what follows
  their names (the year, a locator), joined by the style's ``cite-group-delimiter`` (", "
  unless set), but by the layout's delimiter after a cite with a locator or a suffix, as
  pandoc prints "(Laufer, 2013b, p. 12; 2013a)"; groups are joined by the layout's
  delimiter. A prefix ("see") may open a group ("(see Laufer, 2013b, 2013a)").
- A work without authors or editors stands alone, as does a later work with a prefix or a
  suffix of its own (pandoc's "(Laufer, 2013a; Laufer, 2013b, and passim)"), and every
  work where printing it without its names does not leave the end of its citation.
"""

from __future__ import annotations

from typing import Any

from spinelib.styles.catalogue import CSL_NS

#: The CSL name variables, repressed to print a cite without its names.
NAME_VARIABLES = ("author editor translator collection-editor composer container-author "
                  "director editorial-director illustrator interviewer original-author "
                  "recipient reviewed-author")
#: The ``collapse`` values that group cites by their names.
BY_NAMES = frozenset({"year", "year-suffix", "year-suffix-ranged"})


def _rendered(layout: Any, item: Any, *, names: bool) -> str | None:
    """One cite as the layout prints it, with or without its names (None when it prints
    nothing)."""
    from citeproc.source import VariableError

    layout.repressed = {} if names else {f"{{{CSL_NS}}}names": [NAME_VARIABLES]}
    try:
        output = layout.render_children(item)
    except VariableError:
        return None
    return None if output is None else str(output)


def _named(item: Any) -> bool:
    return any(v in item.reference for v in ("author", "editor"))


def _own_words(item: Any) -> bool:
    """Whether the author typed words around the cite (a prefix or a suffix)."""
    return bool(item.get("prefix") or item.get("suffix"))


def _groups(layout: Any, cites: list[Any]) -> list[list[tuple[Any, str, str]]]:
    """The cites as groups of (item, whole text, text without names), each group in the
    place of its first cite."""
    groups: list[list[tuple[Any, str, str]]] = []
    by_names: dict[str, list[tuple[Any, str, str]]] = {}
    for item in cites:
        whole = _rendered(layout, item, names=True)
        if whole is None:
            continue
        rest = _rendered(layout, item, names=False) if _named(item) else None
        names = whole[:len(whole) - len(rest)] if rest and whole.endswith(rest) else None
        if names and names in by_names and not _own_words(item):
            by_names[names].append((item, whole, rest or ""))
            continue
        groups.append([(item, whole, rest or "")])
        if names and names not in by_names:
            by_names[names] = groups[-1]
    return groups


def _joined(group: list[tuple[Any, str, str]], between: str, after_words: str) -> str:
    """One group's text: its first cite whole, the others without their names, each with
    the author's words; ``after_words`` follows a cite with a locator or a suffix."""
    text = ""
    for at, (item, whole, rest) in enumerate(group):
        if at:
            previous = group[at - 1][0]
            text += after_words if previous.get("suffix") or previous.get("locator") \
                else between
        text += f"{item.get('prefix', '')}{whole if at == 0 else rest}{item.get('suffix', '')}"
    return text


def _render_citation(render: Any) -> Any:
    """citeproc-py's ``Layout.render_citation``, grouping and collapsing cites by their
    names where the citation asks for it (the module's promises)."""

    def wrapped(self: Any, citation: Any, callback: Any) -> Any:
        parent = self.getparent()
        if parent.get("collapse") not in BY_NAMES:
            return render(self, citation, callback)
        good = [c for c in citation.cites if not c.is_bad()]
        bad = [c for c in citation.cites if c.is_bad()]
        good.sort(key=lambda item: citation.bibliography.keys.index(item.key))
        if parent.sort is not None:
            good = parent.sort.sort(good, self)
        out = []
        for group in _groups(self, good):
            out.append(_joined(group, parent.get("cite-group-delimiter", ", "),
                               self.get("delimiter", "")))
            parent.cites.extend(item for item, _w, _r in group)
        for item in bad:
            out.append(callback(item) or f"{item.key}?")
        self.repressed = {}
        return self.format(self.wrap(self.join(out)))

    return wrapped


def install() -> None:
    """Make citeproc-py collapse citations by year where a style says so (once, by
    :func:`spinelib.cite.patched.install`)."""
    from citeproc import model

    model.Layout.render_citation = _render_citation(model.Layout.render_citation)
