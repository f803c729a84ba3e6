"""The sidebar's entries: library views, reading lists, the technique tree and the facets.

:class:`SidebarModel` lays the entries out from one :class:`~spinelib.gui.jobs.SidebarData`
(two columns: name and count) and takes article rows dropped on a reading list. Each
selectable entry carries its :class:`~spinelib.gui.querystate.Filter` (``FilterRole``) and a
stable key (``KeyRole``) by which the view finds and reselects it after a rebuild.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

from PySide6.QtCore import QMimeData, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QStandardItem, QStandardItemModel

from spinelib.gui.dragdata import ARTICLE_IDS_MIME, ids_from_mime
from spinelib.gui.jobs import SidebarData
from spinelib.gui.querystate import Filter
from spinelib.gui.tablemodel import short_label
from spinelib.library import TagCount
from spinelib.results import LIST_FOLDER_SEPARATOR
from spinelib.text import plural
from spinelib.vocabulary import FACET_INFO, facet_title

FilterRole = Qt.ItemDataRole.UserRole + 10
KeyRole = Qt.ItemDataRole.UserRole + 11
#: The key of the "Pending imports" entry (it opens a dialog instead of filtering).
PENDING_KEY = "pending"
#: Drag data of a user tag dragged in the tag tree (its id), to move it under another.
TAG_MIME = "application/x-spinelib-tag-id"

#: The fixed entries of the "Library" section, in order.
LIBRARY_ENTRIES = (("all", "All articles"), ("unread", "Unread"),
                   ("recent", "Recently added"), ("retracted", "Retracted / errata"),
                   ("unidentified", "Unidentified PDFs"))


def facet_order(name: str) -> tuple[int, str]:
    """Sort key: the facets of the vocabulary's registry in its order, then the rest by title."""
    order = [info.title for info in FACET_INFO]
    title = facet_title(name)
    return (order.index(title) if title in order else len(order), title)


class SidebarModel(QStandardItemModel):
    """Items of the sidebar; reading-list items accept dropped article rows."""

    #: Article ids dropped on a reading list: (list name, ids).
    dropped_on_list = Signal(str, list)
    #: A user tag dropped on another tag or on "My tags": (tag id, new parent id or "").
    tag_dropped = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(2)
        #: Section key ('library', 'lists', 'techniques', 'facet:<name>', ...) -> heading.
        self.sections: dict[str, QStandardItem] = {}

    # ------------------------------------------------------------ dropping rows on lists
    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [ARTICLE_IDS_MIME, TAG_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        """A dragged user tag as its id (nothing else in the sidebar drags: empty data)."""
        mime = QMimeData()
        tag = self._tag_at(indexes[0]) if indexes else None
        if tag is not None and self.itemFromIndex(indexes[0].siblingAtColumn(0)).isDragEnabled():
            mime.setData(TAG_MIME, tag.encode("utf-8"))
        return mime

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,  # noqa: N802
                        column: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        if data.hasFormat(TAG_MIME):
            return self._tag_target(data, parent) is not None
        return self._list_at(parent) is not None and bool(ids_from_mime(data))

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,  # noqa: N802
                     column: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        if data.hasFormat(TAG_MIME):
            target = self._tag_target(data, parent)
            if target is not None:
                self.tag_dropped.emit(bytes(data.data(TAG_MIME).data()).decode("utf-8"),
                                      target)
            return False  # the tree is rebuilt from the library once the move is made
        name = self._list_at(parent)
        ids = ids_from_mime(data)
        if name is None or not ids or row != -1:
            return False
        self.dropped_on_list.emit(name, ids)
        # False: the rows were copied into the list, the table must not remove anything.
        return False

    def _tag_at(self, index: QModelIndex | QPersistentModelIndex) -> str | None:
        if not index.isValid():
            return None
        f = self.itemFromIndex(self.index(index.row(), 0, index.parent())).data(FilterRole)
        return f.value if isinstance(f, Filter) and f.kind in ("tag", "suggested") else None

    def _tag_target(self, data: QMimeData,
                    index: QModelIndex | QPersistentModelIndex) -> str | None:
        """The new parent for the dragged tag at ``index`` ("" = the top level, on "My
        tags"); None where it cannot go (itself, or one of its own sub-tags)."""
        tag = bytes(data.data(TAG_MIME).data()).decode("utf-8")
        if not index.isValid():
            return None
        item = self.itemFromIndex(self.index(index.row(), 0, index.parent()))
        if item is self.sections.get("mytags"):
            return ""
        target = self._tag_at(index)
        ancestor: QStandardItem | None = item
        while ancestor is not None:  # not under itself or its own descendants
            if self._tag_at(ancestor.index()) == tag:
                return None
            ancestor = ancestor.parent()
        return target

    def _list_at(self, index: QModelIndex | QPersistentModelIndex) -> str | None:
        if not index.isValid():
            return None
        f = self.itemFromIndex(self.index(index.row(), 0, index.parent())).data(FilterRole)
        return f.value if isinstance(f, Filter) and f.kind == "list" else None

    # ------------------------------------------------------------ laying out the entries
    def populate(self, data: SidebarData | None, *, heading_font: QFont, dim: QColor) -> None:
        """Replace every entry with those of ``data`` (None: the fixed entries, no counts).

        ``heading_font`` is for section headings, ``dim`` for counts and for tags and facet
        values that no article has (the view passes its palette's colours).
        """
        self.removeRows(0, self.rowCount())
        self.sections.clear()
        counts = asdict(data.counts) if data else {}
        lib = self._section("library", "Library", heading_font)
        for kind, label in LIBRARY_ENTRIES:
            self._add(lib, label, counts.get(kind), Filter(kind), dim)
        pending = self._add(lib, "Pending imports", counts.get("pending"), None, dim,
                            key=PENDING_KEY)
        pending.setToolTip("Identifiers queued while offline; click to see or retry them")
        trash = self._add(lib, "Trash", data.trash if data else None, Filter("trash"), dim)
        trash.setToolTip("Deleted articles: click to see them, restore them or empty the "
                         "trash")
        lists = self._section("lists", "Reading lists", heading_font)
        shown: dict[str, QStandardItem] = {}
        for entry in (data.lists if data else []):  # by name: a folder before its sub-folders
            parent, label = _folder_of(entry.name, shown)
            item = self._add(parent or lists, label, entry.count,
                             Filter("list", entry.name), dim)
            shown[entry.name] = item
            item.setDropEnabled(True)
            item.setToolTip(("" if parent is None else f"{entry.name}\n")
                            + "Drop articles here to add them; right-click to rename, "
                            "delete or export")
        if data and data.saved:
            saved = self._section("saved", "Saved searches", heading_font)
            for search, n in data.saved:
                item = self._add(saved, search.name, n,
                                 Filter("saved", search.name, search.query), dim)
                item.setToolTip(f"{search.query}\nRun live each time; right-click to delete")
        if data:
            self._add_tags(data.tags, heading_font, dim)
            for facet in sorted(data.facets, key=facet_order):
                section = self._section(f"facet:{facet}", facet_title(facet), heading_font)
                labels = data.facet_labels.get(facet, {})
                for value, n in data.facets[facet]:
                    self._add(section, labels.get(value, value), n,
                              Filter("facet", value, facet), dim)

    def branches(self) -> list[QStandardItem]:
        """Every entry that has children (sections and parent tags), top down."""
        out: list[QStandardItem] = []
        stack = [self.item(r, 0) for r in range(self.rowCount())]
        while stack:
            item = stack.pop(0)
            if item is not None and item.hasChildren():
                out.append(item)
                stack.extend(item.child(r, 0) for r in range(item.rowCount()))
        return out

    def find(self, key: str) -> QStandardItem | None:
        """The entry (or section heading) with this key, anywhere in the tree."""
        matches = self.match(self.index(0, 0), KeyRole, key, 1,
                             Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
        return self.itemFromIndex(matches[0]) if matches else None

    def _add_tags(self, tags: list[TagCount], heading_font: QFont, dim: QColor) -> None:
        """The vocabulary as a tree under "Techniques"; the user's own tags under "My tags"."""
        techniques = self._section("techniques", "Techniques", heading_font)
        by_id = {str(t.id): t for t in tags}
        items: dict[str, QStandardItem] = {}
        mine: list[QStandardItem] = []

        def place(t: TagCount, seen: frozenset[str] = frozenset()) -> QStandardItem:
            tag_id = str(t.id)
            if tag_id in items:
                return items[tag_id]
            parent_id = str(t.parent or "")
            if parent_id in by_id and parent_id not in seen | {tag_id}:
                parent = place(by_id[parent_id], seen | {tag_id})
            elif t.origin == "vocabulary":
                parent = techniques
            else:
                if not mine:
                    mine.append(self._section("mytags", "My tags", heading_font))
                    mine[0].setDropEnabled(True)  # dropped here: back to the top level
                parent = mine[0]
            items[tag_id] = self._add(parent, short_label(str(t.label)), int(t.confirmed),
                                      Filter("tag", tag_id), dim, tip=tag_tip(t),
                                      count_text=tag_count_text(t))
            # Any tag takes a user tag dropped on it; only the user's own tags move.
            items[tag_id].setDropEnabled(True)
            items[tag_id].setDragEnabled(t.origin == "user")
            return items[tag_id]

        # Vocabulary first, so "My tags" comes after "Techniques" however tags are ordered.
        for t in sorted(tags, key=lambda t: t.origin != "vocabulary"):
            place(t)

    def _section(self, key: str, title: str, font: QFont) -> QStandardItem:
        item = QStandardItem(title)
        item.setData(key, KeyRole)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setFont(font)
        spacer = QStandardItem("")
        spacer.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.appendRow([item, spacer])
        self.sections[key] = item
        return item

    def _add(self, parent: QStandardItem, label: str, count: int | None, f: Filter | None,
             dim: QColor, key: str | None = None, tip: str = "",
             count_text: str | None = None) -> QStandardItem:
        item = QStandardItem(label)
        item.setToolTip(tip or label)
        item.setData(f, FilterRole)
        item.setData(key or (f.key if f else label), KeyRole)
        flags = Qt.ItemFlag.ItemIsEnabled
        if f is not None:
            flags |= Qt.ItemFlag.ItemIsSelectable
        item.setFlags(flags)
        if count_text is None:
            count_text = "" if count is None else f"{count:,}"
        count_item = QStandardItem(count_text)
        count_item.setToolTip(tip or label)
        if "suggested" in count_text:
            # The long form is a note beside the number: a size smaller leaves the label room.
            small = QFont()
            small.setPointSizeF(max(6.0, small.pointSizeF() * 0.85))
            count_item.setFont(small)
        count_item.setFlags(flags)
        count_item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        count_item.setForeground(dim)
        if count_text == "0" and f is not None and f.kind in ("tag", "facet"):
            # Nothing carries it, not even as a suggestion.
            item.setForeground(dim)
        parent.appendRow([item, count_item])
        return item


def tag_count_text(t: TagCount) -> str:
    """The count column of a tag: '12', or '12 · 34' over 'suggested' while suggestions are
    open (on one line, '0 · 1,453 suggested' made the count column as wide as the labels'
    and wrapped every label of the sidebar at a 1280-pixel laptop's width)."""
    if t.suggested:
        return f"{t.confirmed:,} · {t.suggested:,}\nsuggested"
    return f"{t.confirmed:,}"


def tag_tip(t: TagCount) -> str:
    """A tag entry's tooltip: its full label and what its numbers mean."""
    tip = f"{t.label}\n{plural(t.confirmed)} tagged"
    if t.suggested:
        tip += (f"; {t.suggested:,} more with it suggested.\nClick shows the tagged ones; "
                "right-click ▸ Include suggested shows both.")
    return tip


__all__ = ["FilterRole", "KeyRole", "PENDING_KEY", "SidebarModel",
           "facet_order", "tag_count_text", "tag_tip"]


def _folder_of(name: str, shown: dict[str, QStandardItem]) -> tuple[QStandardItem | None, str]:
    """(the list shown as ``name``'s folder, the label under it) for a list named as a
    sub-folder ("Spine oncology/MESCC", as a Mendeley or JabRef library's folders come
    in) whose folder is a list too, the longest such folder first; (None, ``name``) for
    any other: 200 imported folders fold under their parents, not one long column."""
    steps = name.split(LIST_FOLDER_SEPARATOR)
    for k in range(len(steps) - 1, 0, -1):
        parent = shown.get(LIST_FOLDER_SEPARATOR.join(steps[:k]))
        rest = LIST_FOLDER_SEPARATOR.join(steps[k:])
        if parent is not None and rest.strip():
            return parent, rest
    return None, name
