"""The vocabulary's entry point for bulk imports (issue 19): a record's text folded once for
every rule, tag suggestions and facet values from the same :class:`~.document.Doc`.

Same answers as :func:`~.suggestions.suggest` and :func:`~.facet_match.facets` called one
after the other (they fold the record each); only the folding is shared, and it bypasses the
fold cache: a cache entry would outlive its record until the batch ends, and thousands of such
survivors made the garbage collector re-walk the import's heap (measured: about a third of the
vocabulary's CPU). ``tests/core/test_vocabulary_golden.py`` holds every answer fixed.
"""

from __future__ import annotations

from spinelib.records import ArticleRecord
from spinelib.vocabulary.document import Doc
from spinelib.vocabulary.facet_match import facets
from spinelib.vocabulary.model import FacetValue, Suggestion
from spinelib.vocabulary.suggestions import explain
from spinelib.vocabulary.taxonomy import Taxonomy

#: The only fields of a record the vocabulary reads (suggestions, facets, their reasons):
#: a record with just these gives the same answers as the whole record.
#: ``tests/core/test_vocabulary_fields.py`` fails when the vocabulary reads another.
VOCABULARY_FIELDS = ("title", "abstract", "keywords", "mesh", "publication_types")


def suggestions_and_facets(record: ArticleRecord, taxonomy: Taxonomy, *,
                           suggest_tags: bool = True
                           ) -> tuple[list[Suggestion], list[FacetValue]]:
    """(tag suggestions, facet values) of ``record``; no suggestions when ``suggest_tags``
    is False (the facets are always found)."""
    doc = Doc(record, cached=False)  # folded once here: a cache would only hold memory
    suggested = explain(record, taxonomy, doc).suggested if suggest_tags else []
    return suggested, facets(record, taxonomy, doc)


def release_text_caches() -> None:
    """Drop the caches keyed by whole texts (a field's folding, its excluded spans, an
    abstract's sentences).

    They exist because :func:`~.suggestions.suggest` and :func:`~.facet_match.facets` fold
    the same fields one after the other; :func:`suggestions_and_facets` folds each once
    (without the fold cache), so in a bulk import what they hold is only memory, and work
    for the garbage collector: the import calls this after each batch to keep its memory
    flat. Word caches stay (bounded and shared)."""
    from spinelib.vocabulary.document import _excluded_spans
    from spinelib.vocabulary.folding import fold
    from spinelib.vocabulary.sentences import abstract_sentences

    fold.cache_clear()
    _excluded_spans.cache_clear()
    abstract_sentences.cache_clear()  # an abstract's sentences are read once per import too
