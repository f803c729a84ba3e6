"""A thesis's degree ("PhD thesis", "Master's thesis", "MD thesis"): where it is kept, and
how a typed one replaces it.

Every reader keeps a thesis's degree as its first publication type (BibTeX's
``@phdthesis``/``@mastersthesis`` or ``type``, RIS ``M3``, CSL ``genre``), and every writer
reads it there (CSL ``genre``: APA's "[PhD thesis]", Vancouver's "[PhD thesis]"; RIS ``M3``;
BibTeX's ``@mastersthesis``). A degree typed in (``spinelib edit|add --set degree=…``, the
forms' Degree field) is kept in the same place, so a thesis typed in prints as an imported
one does.

Promises: only a thesis has a degree (a degree typed for another type is refused, naming
the type to choose); the article's other publication types are kept as they were; an empty
degree removes the degree only.
"""

from __future__ import annotations

from collections.abc import Sequence

from spinelib.errors import SpineLibError

THESIS = "thesis"
#: What the forms suggest in an empty Degree field.
EXAMPLES = "PhD thesis, Master's thesis, MD thesis"


def degree_of(record_type: str, publication_types: Sequence[str]) -> str:
    """The degree of a thesis (its first publication type); '' for any other type."""
    if record_type != THESIS or not publication_types:
        return ""
    return publication_types[0]


def refuse_unless_thesis(degree: str, record_type: str) -> None:
    """Raise SpineLibError when ``degree`` is given for a type other than a thesis."""
    if degree and record_type != THESIS:
        raise SpineLibError(f"degree: only a thesis has a degree, and this one's type is "
                            f"{record_type!r} (make it 'thesis')")


def with_degree(old_type: str, publication_types: Sequence[str], new_type: str,
                degree: str) -> list[str]:
    """The publication types with ``degree`` as the thesis's (``''``: none), the others
    kept in order; refused (SpineLibError) when ``new_type`` is not a thesis."""
    refuse_unless_thesis(degree, new_type)
    rest = list(publication_types)
    if degree_of(old_type, publication_types):
        rest = rest[1:]
    return ([degree] if degree else []) + rest
