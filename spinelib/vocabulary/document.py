"""A record prepared for matching: its fields folded once, its MeSH by UI, and evidence ranks.

:class:`Doc` is built once per :func:`~spinelib.vocabulary.suggest` or
:func:`~spinelib.vocabulary.facets` call and read by every matcher. :meth:`Field.dismissed`
decides which facet matches are not evidence: those after "without" (but not "with or
without") and those in a sentence that excludes patients. Technique matches are read in
their full sentence context instead (:mod:`.context`).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from spinelib.records import ArticleRecord, MeshHeading
from spinelib.vocabulary.folding import BARRIER, Folded, fold, fold_uncached
from spinelib.vocabulary.scan import ascii_lower, mentions

# Facet evidence ranks: lower is better; the best one becomes the facet value's reason.
# (Technique evidence is weighed by sentence role and context in :mod:`.evidence`.)
RANK_MESH = 0
RANK_FIELD = {"title": 1, "keyword": 2, "abstract": 3}

_BARRIER_ONLY = (BARRIER,)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")
#: A sentence that excludes patients describes who was *not* studied ("patients with lymphoma
#: or prior fixation were excluded"): its techniques and histologies are not the paper's.
_EXCLUSION = re.compile(r"\b(?:exclu(?:ded|ding|sion)|ineligible|not eligible)\b", re.I)


#: Words one of which every exclusion sentence holds (see :mod:`.scan`).
_EXCLUSION_WORDS = ("exclu", "eligible")


@functools.lru_cache(maxsize=16384)
def _excluded_spans(raw: str) -> tuple[tuple[int, int], ...]:
    if not mentions(ascii_lower(raw), _EXCLUSION_WORDS):
        return ()  # most texts exclude nobody: no need to cut them into sentences
    return tuple((m.start(), m.end()) for m in _SENTENCE.finditer(raw)
                 if _EXCLUSION.search(m.group()))


@dataclass(frozen=True)
class Field:
    """One text field of a record (title, keywords joined, or abstract), raw and folded."""

    name: str  # "title" | "keyword" | "abstract"
    raw: str
    folded: Folded

    def dismissed(self, start: int, first_token: int | None = None) -> bool:
        """True when a match is negated ('without decompression', but not 'with or without')
        or sits in a sentence that excludes patients."""
        toks = self.folded.tokens
        if (first_token is not None and first_token > 0 and toks[first_token - 1] == "without"
                and (first_token < 3 or toks[first_token - 2] != "or")):
            return True
        return any(a <= start < b for a, b in _excluded_spans(self.raw))

    @functools.cached_property
    def lowered(self) -> str | None:
        """The raw text lower-cased when it is ASCII (:func:`~.scan.ascii_lower`), for the
        regex shortcuts of :mod:`.scan`."""
        return ascii_lower(self.raw)


class Doc:
    """The parts of one record the matchers read, folded once.

    ``contexts`` caches, per context name, whether the record mentions that context; the
    :class:`~spinelib.vocabulary.taxonomy.Taxonomy` fills it on first use.
    """

    def __init__(self, record: ArticleRecord, *, cached: bool = True) -> None:
        """``cached``: fold through :func:`~.folding.fold`'s cache (so a later ``facets`` on
        the same record re-uses the work); False when this Doc serves every matcher itself."""
        self.record = record
        fields = (("title", record.title or ""), ("keyword", "; ".join(record.keywords)),
                  ("abstract", record.abstract or ""))
        folder = fold if cached else fold_uncached
        self.fields = tuple(Field(name, raw, folder(raw)) for name, raw in fields if raw.strip())
        self.mesh: dict[str, MeshHeading] = {}
        for heading in record.mesh:
            if heading.ui:
                self.mesh.setdefault(heading.ui.strip().upper(), heading)
        self.mesh_uis = frozenset(self.mesh)
        self.contexts: dict[str, bool] = {}

    @functools.cached_property
    def token_set(self) -> frozenset[str]:
        """Every token of the record's fields (and the barrier between them): a context or
        guard with single words is answered by one set intersection. Worked out on first use:
        most records are never asked."""
        return frozenset(self._all_tokens())

    @functools.cached_property
    def joined(self) -> str:
        """The fields' tokens joined by spaces, each field followed by a barrier, for the
        phrase regexes of contexts and guards (a phrase never spans two fields)."""
        return " ".join(self._all_tokens())

    def _all_tokens(self) -> Iterator[str]:
        return itertools.chain.from_iterable(
            part for f in self.fields for part in (f.folded.tokens, _BARRIER_ONLY))

    def mesh_reason(self, ui: str, fallback: str) -> str:
        """'MeSH <heading name> (<ui>)', naming the heading as the record does if it can."""
        heading = self.mesh.get(ui)
        name = heading.name if heading and heading.name else fallback
        return f"MeSH {name} ({ui})"
