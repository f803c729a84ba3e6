"""The vocabulary's entry point for bulk imports (issue 19): a record's text folded once for
every rule, tag suggestions and facet values from the same :class:`~.document.Doc`.

Same answers as :func:`~.suggestions.suggest` and :func:`~.facet_match.facets` called one
after the other (they fold the record each); only the folding is shared.
"""

from __future__ import annotations

from spinelib.records import ArticleRecord
from spinelib.vocabulary.document import Doc
from spinelib.vocabulary.facet_match import facets
from spinelib.vocabulary.model import FacetValue, Suggestion
from spinelib.vocabulary.suggestions import explain
from spinelib.vocabulary.taxonomy import Taxonomy


def suggestions_and_facets(record: ArticleRecord, taxonomy: Taxonomy, *,
                           suggest_tags: bool = True
                           ) -> tuple[list[Suggestion], list[FacetValue]]:
    """(tag suggestions, facet values) of ``record``; no suggestions when ``suggest_tags``
    is False (the facets are always found)."""
    doc = Doc(record, cached=False)  # folded once here: a cache would only hold memory
    suggested = explain(record, taxonomy, doc).suggested if suggest_tags else []
    return suggested, facets(record, taxonomy, doc)


def release_text_caches() -> None:
    """Drop the caches keyed by whole texts (a field's folding, its excluded spans).

    They exist because :func:`~.suggestions.suggest` and :func:`~.facet_match.facets` fold
    the same fields one after the other; :func:`suggestions_and_facets` folds each once, so
    in a bulk import they only hold memory (thousands of abstracts): the import calls this
    after each batch to keep its memory flat. Word caches stay (bounded and shared)."""
    from spinelib.vocabulary.document import _excluded_spans
    from spinelib.vocabulary.folding import fold

    fold.cache_clear()
    _excluded_spans.cache_clear()
