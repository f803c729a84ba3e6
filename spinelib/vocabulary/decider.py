"""What decides, tag by tag, whether a record's evidence for a technique is enough to suggest
it (issue 22).

:func:`.suggestions.decide` asks a :class:`Decider` for each record. The application's is
:data:`RULES`, the hand rules: a tag is suggested when its counted weights reach
:data:`~.evidence.THRESHOLD` (:attr:`.evidence.TagEvidence.suggested`). The seam exists so that
another decider can be measured against them on the same evidence: a learned combiner
(``benchmarks/evidence_model.py``), cross-validated by leaving whole rounds of labelled records
out (``benchmarks/taxonomy_cv.py``), did not beat the rules on records neither was fitted to
(``tests/data/taxonomy/README.md``, "A learned evidence combiner"), so none is shipped.
Whichever decides, a tag is suggested only with a counted mention to quote, and the
vocabulary's tag-level rules (vetoes, implications, groups) apply afterwards.
"""

from __future__ import annotations

from typing import NamedTuple, Protocol

from spinelib.vocabulary.document import Doc
from spinelib.vocabulary.evidence import Ledger
from spinelib.vocabulary.taxonomy import Taxonomy


class Decision(NamedTuple):
    """A decider's answer for one record: tag -> reason suggested, tag -> why not."""

    found: dict[str, str]
    held: dict[str, str]


class Decider(Protocol):
    """Decides each candidate tag of a record from its evidence."""

    def decide(self, doc: Doc, ledger: Ledger, tax: Taxonomy) -> Decision:
        """The tags suggested (with their reasons) and the others (with why not)."""
        ...


class RuleDecider:
    """The hand rules: a tag is suggested when its counted weights reach the threshold."""

    def decide(self, doc: Doc, ledger: Ledger, tax: Taxonomy) -> Decision:
        return Decision(ledger.suggested(), ledger.not_suggested())


RULES = RuleDecider()
