"""The library: a facade of small managers over the store (docs/ARCHITECTURE.md).

Faces import what they need from here: :class:`Library` and the typed values it takes and
returns.
"""

from spinelib.library.exports import BIBLIOGRAPHY, ExportScope
from spinelib.library.facade import Library
from spinelib.library.search import search_hints, searched_identifier
from spinelib.results import (
    AddResult,
    ArticleState,
    FacetAssignment,
    KeptExport,
    PendingItem,
    Query,
    ReadingListInfo,
    ReadStatus,
    ReferenceRow,
    Row,
    SidebarCounts,
    SyncOutcome,
    TagAssignment,
    TagCount,
    TagMatch,
    TagOrigin,
    TagState,
)

__all__ = [
    "BIBLIOGRAPHY",
    "AddResult",
    "ArticleState",
    "ExportScope",
    "FacetAssignment",
    "KeptExport",
    "Library",
    "PendingItem",
    "Query",
    "ReadStatus",
    "ReadingListInfo",
    "ReferenceRow",
    "Row",
    "search_hints",
    "searched_identifier",
    "SidebarCounts",
    "SyncOutcome",
    "TagAssignment",
    "TagCount",
    "TagMatch",
    "TagOrigin",
    "TagState",
]
