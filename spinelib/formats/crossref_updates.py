"""Crossref's update notices and citation counts, read from a ``/works?filter=doi:…`` reply.

Pure: :func:`parse_work_list` maps the decoded JSON of a list reply (or of one work) to
:class:`WorkStatus` per DOI. A work's ``updated-by`` lists the notices that update it; each
item carries ``type`` (retraction, withdrawal, removal, expression_of_concern, correction,
corrigendum, erratum, partial_retraction, reinstatement, …), the notice's ``DOI``, the date
in ``updated`` and, since Crossref took over the Retraction Watch database, a ``source``
("publisher" or "retraction-watch") and ``record-id``. ``is-referenced-by-count`` is
Crossref's citation count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from spinelib.errors import ServiceError
from spinelib.identifiers import identifier_or_empty
from spinelib.safety_results import Nature, Notice, NoticeSource

#: Crossmark update ``type`` -> the nature it gives the updated work. Other types
#: (addendum, clarification, new_version …) say nothing about trust and are ignored.
UPDATE_NATURES: dict[str, Nature] = {
    "retraction": Nature.RETRACTION,
    "withdrawal": Nature.WITHDRAWAL,
    "removal": Nature.WITHDRAWAL,
    "expression_of_concern": Nature.CONCERN,
    "expression-of-concern": Nature.CONCERN,
    "correction": Nature.CORRECTION,
    "corrigendum": Nature.CORRECTION,
    "erratum": Nature.CORRECTION,
    "partial_retraction": Nature.CORRECTION,
    "reinstatement": Nature.REINSTATEMENT,
}


@dataclass
class WorkStatus:
    """What Crossref says about one DOI: its update notices and its citation count."""

    doi: str
    notices: list[Notice] = field(default_factory=list)
    cited_by: int | None = None


def _date(value: Any) -> str | None:
    """``{"date-parts": [[2020, 1, 2]]}`` as ``2020-01-02``; month/day default to 1."""
    if not isinstance(value, Mapping):
        return None
    parts = value.get("date-parts")
    if not (isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]):
        return None
    nums = [p for p in parts[0][:3] if isinstance(p, int)]
    if not nums:
        return None
    nums += [1] * (3 - len(nums))
    try:
        return date(nums[0], nums[1], nums[2]).isoformat()
    except ValueError:
        return None


def notices_of(work: Mapping[str, Any]) -> list[Notice]:
    """The trust-relevant notices in a work's ``updated-by`` list (unknown types dropped)."""
    items = work.get("updated-by")
    out: list[Notice] = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, Mapping):
            continue
        nature = UPDATE_NATURES.get(str(item.get("type", "")).strip().lower())
        if nature is None:
            continue
        origin = str(item.get("source", "")).strip().lower()
        source = (NoticeSource.RETRACTION_WATCH if origin == "retraction-watch"
                  else NoticeSource.CROSSREF)
        notice = Notice(nature=nature, source=source, date=_date(item.get("updated")),
                        notice_doi=identifier_or_empty("doi", str(item.get("DOI", ""))))
        if notice not in out:
            out.append(notice)
    return out


def _count(value: Any) -> int | None:
    """``is-referenced-by-count`` when it is a count (a non-negative int), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 \
        else None


def cited_by_count(payload: Any) -> int | None:
    """Crossref's citation count of the work in a ``/works/{doi}`` reply (the envelope or a
    bare ``message``), read from the reply an import fetches anyway; None when absent."""
    if not isinstance(payload, Mapping):
        return None
    message = payload.get("message", payload)
    return _count(message.get("is-referenced-by-count")) if isinstance(message, Mapping) \
        else None


def parse_work_list(payload: Any) -> dict[str, WorkStatus]:
    """DOI (normalised) -> its status, for every work in a ``work-list`` (or one ``work``)
    reply. Raises ServiceError for a reply that is neither."""
    message = payload.get("message") if isinstance(payload, Mapping) else None
    if not isinstance(message, Mapping):
        raise ServiceError("Crossref's answer has no 'message' object")
    items = message.get("items") if "items" in message else [message]
    if not isinstance(items, list):
        raise ServiceError("Crossref's answer has no list of works")
    out: dict[str, WorkStatus] = {}
    for work in items:
        if not isinstance(work, Mapping):
            continue
        doi = identifier_or_empty("doi", str(work.get("DOI", "")))
        if not doi:
            continue
        out[doi] = WorkStatus(doi, notices_of(work), _count(work.get("is-referenced-by-count")))
    return out
