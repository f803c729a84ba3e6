"""The spine-oncology vocabulary and the tag / facet suggestion engine.

Pure functions over :class:`~spinelib.records.ArticleRecord`: no database, no network, no Qt.
The vocabulary lives in ``resources/taxonomy.json`` (read with :func:`load_taxonomy`, which
compiles it once into a :class:`Taxonomy`); then, for any record:

* :func:`suggest` -- technique tags (groups and leaves), one :class:`Suggestion` per tag with a
  short human reason that quotes the evidence and names its section ("MeSH Kyphoplasty
  (D058498)", "title: 'balloon kyphoplasty'", "methods: 'underwent balloon kyphoplasty'");
* :func:`explain` -- the same suggestions plus, as an :class:`Explanation`, the techniques the
  text mentions that were not suggested and why ("not suggested: negated in results: ...");
* :func:`facets` -- primary tumour histology, spinal region, study design and the scores
  mentioned, as :class:`FacetValue` items. The facets themselves are named once, in
  :data:`FACET_INFO` / :data:`FACETS`.

Matching rules (the JSON "policy" block says the same in prose), and the module that keeps each:

* Text is *folded* before matching (:mod:`.folding`): case, diacritics, British/American
  spelling, hyphens, joined prefixes and simple plurals. Terms match whole words and never
  across sentence punctuation; overlapping terms resolve leftmost-longest; "percutaneous or
  open instrumentation" is read as both phrases (:mod:`.phrases`).
* Every technique match is read in its sentence: its abstract section (:mod:`.sentences`) and
  whether the sentence negates it, names it as prior treatment, a hypothesis, an outcome event
  or an exclusion criterion (ConText, :mod:`.context`); the evidence is weighed by section
  (:mod:`.evidence`: title, keywords, objective/methods and major MeSH count most, a lone
  background or dismissed mention not at all). :func:`explain` also says why the techniques
  mentioned but not suggested were left out. Facet matches after "without" or in a sentence
  that excludes patients are not evidence (:mod:`.document`).
* Abbreviations match case-sensitively as whole tokens; the clashing ones only count with their
  required context and without the words that reveal the other meaning (:mod:`.abbreviations`).
* MeSH is matched by descriptor UI only: specific, broad and support UIs (:mod:`.techniques`).
* Groups are suggested only when none of their leaves is and nothing in their ``explained_by``
  list is; oncologic nodes require tumour context (:mod:`.suggestions`).
* Dose schedules name the radiotherapy type (:mod:`.dose`); design follows the brief's
  precedence over publication types, then design MeSH headings and wording (:mod:`.design`);
  regions also come from vertebral levels such as "T11-L2" (:mod:`.levels`).

Speed: every regex and phrase index is built once per Taxonomy; folding of a text is cached, so
:func:`facets` after :func:`suggest` on the same record re-uses the work. Ten thousand records
take seconds.
"""

from typing import TYPE_CHECKING, Any

# The facet registry is light and read by every face at start-up; the matching engine is
# imported on first use (PEP 562), so `spinelib --version` and `--help` never pay for it.
from spinelib.vocabulary.facet_registry import FACET_INFO, FACETS, FacetInfo, facet_title

if TYPE_CHECKING:
    from spinelib.vocabulary.facet_match import facets
    from spinelib.vocabulary.loader import load_taxonomy
    from spinelib.vocabulary.model import Explanation, FacetValue, Suggestion, TagDef
    from spinelib.vocabulary.schema import SUPPORTED_VERSION
    from spinelib.vocabulary.suggestions import explain, suggest
    from spinelib.vocabulary.taxonomy import Taxonomy

_LAZY = {
    "facets": "facet_match", "load_taxonomy": "loader", "FacetValue": "model",
    "Suggestion": "model", "TagDef": "model", "Explanation": "model",
    "SUPPORTED_VERSION": "schema", "suggest": "suggestions", "explain": "suggestions",
    "Taxonomy": "taxonomy",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'spinelib.vocabulary' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"spinelib.vocabulary.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "FACETS",
    "FACET_INFO",
    "Explanation",
    "SUPPORTED_VERSION",
    "FacetInfo",
    "FacetValue",
    "Suggestion",
    "TagDef",
    "Taxonomy",
    "explain",
    "facet_title",
    "facets",
    "load_taxonomy",
    "suggest",
]
