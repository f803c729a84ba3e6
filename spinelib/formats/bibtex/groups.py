"""The groups and folders a .bib file puts its entries in, read as JabRef, Zotero (Better
BibTeX) and Mendeley write them and written as JabRef's group tree, so a library's
organisation moves in and out: groups become reading lists, Mendeley's tags the user's own
tags (:mod:`spinelib.filegroups`), and reading lists leave as groups
(:func:`group_tree_text`, ``export --lists``).

The shapes read, all found in real exports:

* **An entry's ``groups`` field** (JabRef 3.6 and later; Better BibTeX's JabRef 4 and 5
  formats): the names of the static groups the entry is in, separated by commas. The group
  tree, ``@Comment{jabref-meta: grouping: ...}`` (``groupstree`` before JabRef 4), nests
  them; each name is read as its path from the top ("Spine/Reviews"), so two sub-groups of
  one name in different places stay apart (an entry naming it is in both, as in JabRef).
* **The tree's own members** (JabRef before 3.6; Better BibTeX's JabRef 3 format, which
  also wraps the tree's lines at 70 characters, anywhere): ``1 ExplicitGroup:Name\\;0\\;key1\\;
  key2\\;;``, each group's entries by key.
* **JabRef's special fields** ``readstatus`` (``skimmed``, ``read``) and ``ranking``
  (``rank1`` to ``rank5``): how far the user got, and their stars.
* **Mendeley Desktop's** ``mendeley-groups`` (folder paths "Parent/Child", comma-separated,
  LaTeX-escaped: ``M{\\&}A/DEA``) and ``mendeley-tags`` (the user's own tags; Mendeley copies
  them into ``keywords`` too).

The tree is escaped twice: a group is ended by ``;`` and its parts by ``\\;`` (a ``;`` in a
name is ``\\\\\\;``), as JabRef's own reader splits it. Groups that are queries (keyword,
search, automatic groups) hold no entries of their own: they are listed in
:attr:`GroupTree.queries` so the import can say they were not taken.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from spinelib.formats.bibtex.decode import decode_line
from spinelib.formats.linkpaths import split_escaped, unescape
from spinelib.records import ArticleRecord
from spinelib.results import LIST_FOLDER_SEPARATOR

#: Group kinds whose members are entries (chosen by hand), not a query's answers.
_STATIC_KINDS = frozenset({"ExplicitGroup", "StaticGroup"})
_TREE_RE = re.compile(r"@comment\s*\{\s*jabref-meta:\s*(?:groupstree|grouping)\s*:([^}]*)\}",
                      re.I)
_GROUP_RE = re.compile(r"\s*(\d+)\s+(\w+):(.*)", re.S)


@dataclass
class GroupTree:
    """A JabRef group tree: where each static group sits, and the members it lists."""

    #: A static group's name -> the paths of the groups of that name (JabRef places an entry
    #: naming it in each).
    paths: dict[str, list[str]] = field(default_factory=dict)
    #: Entry key -> (the path of a group listing it, its place in that group's list): the
    #: older trees only, whose lists keep an order (SpineLib's export writes a reading
    #: list's own).
    members: dict[str, dict[str, int]] = field(default_factory=dict)
    #: Paths of the groups that are queries (keywords, a search), in tree order.
    queries: list[str] = field(default_factory=list)

    def place(self, record: ArticleRecord, key: str) -> None:
        """Turn the group names ``record`` carries from its entry into paths, and add the
        groups that list the entry's ``key`` (as the file wrote it)."""
        named = [path for name in record.groups for path in self.paths.get(name, [name])]
        listed = self.members.get(key, {})
        record.groups = list(dict.fromkeys([*named, *listed]))
        record.group_places = dict(listed)


def users_marks(record: ArticleRecord, get: Callable[[str], str]) -> None:
    """Give ``record`` what its entry (``get`` giving the entry's fields) says the user
    made of it: its groups, own tags, reading state and stars."""
    record.groups, record.user_tags = groups_and_tags(get)
    record.read_status, record.rating = reading_marks(get)


def groups_and_tags(get: Callable[[str], str]) -> tuple[list[str], list[str]]:
    """One entry's groups and own tags, ``get`` giving its fields' values: JabRef's
    ``groups`` (names) and Mendeley's ``mendeley-groups`` (paths); Mendeley's
    ``mendeley-tags``. Each once, in the order written."""
    named, folders, tags = get("groups"), get("mendeley-groups"), get("mendeley-tags")
    if not (named or folders or tags):
        return [], []  # most entries (20,000 without groups: 54 ms -> 6 ms, measured)
    sep = LIST_FOLDER_SEPARATOR
    groups = (sep.join(step.strip() for step in item.split(sep))
              for item in _items(named + "," + folders))
    # "A / B" and "A/B" are one folder path however it was spaced.
    return list(dict.fromkeys(groups)), _items(tags)


#: JabRef's ``readstatus`` values -> SpineLib's reading states (1 reading, 2 read).
_READ_STATES = {"skimmed": 1, "read": 2}
_RANK_RE = re.compile(r"\s*rank([1-5])\s*", re.I)


def reading_marks(get: Callable[[str], str]) -> tuple[int, int]:
    """(reading state, stars) JabRef's special fields give an entry: ``readstatus =
    {skimmed}`` or ``{read}``, ``ranking = {rank1}`` to ``{rank5}``; (0, 0) when absent."""
    read, ranking = get("readstatus"), get("ranking")
    if not (read or ranking):
        return 0, 0  # most entries
    rank = _RANK_RE.fullmatch(ranking)
    return _READ_STATES.get(read.strip().lower(), 0), int(rank.group(1)) if rank else 0


def _items(value: str) -> list[str]:
    """A comma-separated field's items, LaTeX decoded, without blanks and repeats."""
    items = (decode_line(part) for part in value.split(","))
    return list(dict.fromkeys(item for item in items if item))


def read_group_tree(text: str, source_name: str, warnings: list[str]) -> GroupTree | None:
    """The JabRef group tree in a .bib file's text, or None when it has none (most files:
    one search for the marker decides). Its query groups, which are not taken, are named in
    ``warnings``."""
    at = text.find("jabref-meta:")
    if at < 0:
        return None
    found = None
    for tree_match in _TREE_RE.finditer(text, max(at - 64, 0)):
        found = tree_match  # a file holds one; of two, the later is read
    if found is None:
        return None
    tree = GroupTree()
    stack: list[str] = []
    body = found.group(1).replace("\r", "").replace("\n", "")
    for group in split_escaped(body, ";"):
        parts = [unescape(p) for p in split_escaped(unescape(group), ";")]
        m = _GROUP_RE.fullmatch(parts[0])
        if m is None or int(m.group(1)) == 0:
            continue  # the tree's root, AllEntriesGroup, and what is not a group
        level, kind, name = int(m.group(1)), m.group(2), m.group(3).strip()
        stack = [*stack[:level - 1], name]
        if name:  # else nothing to call its reading list by
            _add_group(tree, LIST_FOLDER_SEPARATOR.join(stack), kind, name, parts[2:])
    warnings += _queries_note(tree, source_name)
    return tree


def _add_group(tree: GroupTree, path: str, kind: str, name: str, rest: list[str]) -> None:
    """One group of the tree at ``path``; ``rest``: its parts after its context."""
    if kind not in _STATIC_KINDS:
        tree.queries.append(path)
        return
    tree.paths.setdefault(name, []).append(path)
    if kind == "ExplicitGroup":  # its other parts are its members' keys, in its order
        for place, key in enumerate(k.strip() for k in rest):
            if key:
                tree.members.setdefault(key, {}).setdefault(path, place)


def _queries_note(tree: GroupTree, source_name: str) -> list[str]:
    """The warning naming the tree's query groups, which are not made reading lists."""
    if not tree.queries:
        return []
    shown = ", ".join(repr(q) for q in tree.queries[:5])
    more = f" and {len(tree.queries) - 5} more" if len(tree.queries) > 5 else ""
    return [f"{source_name}: JabRef groups made of a search or of keywords ({shown}{more}) "
            "are not reading lists here: they hold no entries of their own (a saved search "
            "finds their articles)"]


def group_tree_text(groups: Sequence[tuple[str, Sequence[str]]]) -> str:
    """The JabRef group tree, in the format JabRef 3 and Better BibTeX's JabRef 3 option
    write (each group listing its members' keys), for ``groups`` (a path such as
    "Spine/Reviews" and the keys in it): JabRef reads it into its groups and Zotero's BibTeX
    import into collections; a sub-group's parent is written even when it has no members.
    Names and keys are escaped as :func:`read_group_tree` reads them."""
    root = _Node()
    for path, keys in groups:
        node = root
        for step in [s.strip() for s in path.split(LIST_FOLDER_SEPARATOR) if s.strip()] or [path]:
            node = node.children.setdefault(step, _Node())
        node.keys.extend(keys)
    lines = ["0 AllEntriesGroup:"]
    root.write(1, lines)
    return ("\n@comment{jabref-meta: groupsversion:3;}\n\n@comment{jabref-meta: groupstree:\n"
            + ";\n".join(lines) + ";\n}\n")


@dataclass
class _Node:
    """A group being written: its members' keys and its sub-groups by name."""

    keys: list[str] = field(default_factory=list)
    children: dict[str, _Node] = field(default_factory=dict)

    def write(self, level: int, lines: list[str]) -> None:
        """The sub-groups' lines at ``level``, each followed by its own sub-groups'."""
        for name, child in self.children.items():
            parts = [f"{level} ExplicitGroup:{_quoted(name)}", "0",
                     *map(_quoted, child.keys), ""]
            lines.append(_quoted(";".join(parts)))
            child.write(level + 1, lines)


def _quoted(text: str) -> str:
    """A backslash and a ``;`` escaped, as JabRef escapes a group tree's parts."""
    return text.replace("\\", "\\\\").replace(";", "\\;")
