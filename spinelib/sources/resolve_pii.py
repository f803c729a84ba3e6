"""Identifiers with Elsevier PIIs among them -> one resolution each, a PII through its DOI.

A PII (a ScienceDirect or Lancet link: :mod:`spinelib.pii`) is known to Crossref only, as
the ``alternative-id`` of the work it names (:mod:`spinelib.sources.crossref_pii`). So
:func:`resolve_with_piis` asks Crossref for the PIIs first (a list request per 100), then
resolves the DOIs it learned together with the other identifiers in one
:func:`~spinelib.sources.resolve.resolve_many` run: PubMed's record is preferred as for any
DOI, and Crossref's answer, fetched already, is not asked for again.

Promises, those of ``resolve_many``: one :class:`Resolution` per input identifier, in input
order, each under the identifier given (a PII's resolution names the PII, so the importer's
item, queue entry and report speak of what the user pasted); a PII Crossref files no work
under is ``not_found``, saying so; Crossref unreachable makes it ``offline`` (the importer
queues it, to be retried like any identifier); a cancel before the look-up makes it
``cancelled``. Without PIIs this is ``resolve_many`` itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial

from spinelib.identifiers import Identifier
from spinelib.sources.crossref_batch import CrossrefAnswers
from spinelib.sources.crossref_pii import PiiAnswers, works_by_pii
from spinelib.sources.http import HttpClient
from spinelib.sources.lookups import CROSSREF, LookupFailure, Lookups, Resolution
from spinelib.sources.resolve import resolve_many


def resolve_with_piis(client: HttpClient, identifiers: Sequence[Identifier], *,
                      with_references: bool = True,
                      progress: Callable[[int, int], None] | None = None,
                      cancelled: Callable[[], bool] | None = None) -> list[Resolution]:
    """Resolve ``identifiers``, PIIs included; see the module docstring for the promises."""
    piis = list(dict.fromkeys(i for i in identifiers if i.kind == "pii"))
    if not piis:
        return resolve_many(client, identifiers, with_references=with_references,
                            progress=progress, cancelled=cancelled)
    settled, doi_of, answers = _look_up(client, piis, cancelled)
    rest = [doi_of.get(i, i) for i in identifiers if i not in settled]
    known = CrossrefAnswers(records={r.doi.lower(): r for r in answers.records.values()},
                            counts=answers.counts)
    resolved = iter(resolve_many(client, rest, with_references=with_references,
                                 progress=progress, cancelled=cancelled, known=known))
    out: list[Resolution] = []
    for ident in identifiers:
        if ident in settled:
            out.append(settled[ident])
        else:
            res = next(resolved)
            out.append(replace(res, identifier=ident) if ident.kind == "pii" else res)
    return out


def _look_up(client: HttpClient, piis: list[Identifier], cancelled: Callable[[], bool] | None
             ) -> tuple[dict[Identifier, Resolution], dict[Identifier, Identifier], PiiAnswers]:
    """Crossref's works for ``piis``: the PIIs settled without a record (with why), the DOI
    each other PII names, and the answers themselves (records and citation counts)."""
    if cancelled is not None and cancelled():
        return ({p: Resolution(p, "cancelled", message="cancelled before it was looked up")
                 for p in piis}, {}, PiiAnswers())
    try:
        answers = Lookups(client, with_references=False).call(
            CROSSREF, partial(works_by_pii, client, [p.value for p in piis]))
    except LookupFailure as failure:
        return ({p: Resolution(p, failure.status, message=failure.message) for p in piis},
                {}, PiiAnswers())
    settled: dict[Identifier, Resolution] = {}
    doi_of: dict[Identifier, Identifier] = {}
    for pii in piis:
        record = answers.records.get(pii.value)
        if record is None:
            settled[pii] = Resolution(pii, "not_found", message=(
                f"Crossref files no work under Elsevier's {pii}; paste the article's DOI "
                "or PMID instead"))
        else:
            doi_of[pii] = Identifier("doi", record.doi.lower())
    return settled, doi_of, answers
