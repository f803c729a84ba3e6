"""The library: a facade of small managers over the store (docs/ARCHITECTURE.md).

Faces import what they need from here: :class:`Library` and the typed values it takes and
returns.
"""

from spinelib.library.facade import Library
from spinelib.results import (
    AddResult,
    ArticleState,
    FacetAssignment,
    PendingItem,
    Query,
    ReadingListInfo,
    ReadStatus,
    ReferenceRow,
    Row,
    SidebarCounts,
    TagAssignment,
    TagCount,
    TagMatch,
    TagOrigin,
    TagState,
)

__all__ = [
    "AddResult",
    "ArticleState",
    "FacetAssignment",
    "Library",
    "PendingItem",
    "Query",
    "ReadStatus",
    "ReadingListInfo",
    "ReferenceRow",
    "Row",
    "SidebarCounts",
    "TagAssignment",
    "TagCount",
    "TagMatch",
    "TagOrigin",
    "TagState",
]
