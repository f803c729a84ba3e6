"""Hedged sentences: a modal or a call for more study around what a sentence names.

A study's findings and conclusions also speak of what it did not do: "laser ablation may be
considered in future", "cement augmentation of the screws should be tested". Trigger phrases
catch some of these ("could be considered", "is warranted"), but every blind held-out set has
brought new ones, while the structure is the same: the sentence is hedged by a modal verb
("may", "might", "could", "should", "would"), points to the future ("warranted", "in
future") or speculates ("possibly", "promising", "remains to be"). :mod:`.evidence` counts a
hedged mention outside the title, keywords, objective and methods as weak: a technique the
study used is named plainly elsewhere too (its title or methods), while one that only a hedged
sentence names is not suggested.

Measured when the rule was made (issue 22, round 7): every suggestion whose only support was
one hedged findings, conclusions or unlabelled sentence was wrong (1 on the first measurements
of the final, round-4 and round-5 held-out sets with the code of their time, 2 on every split
with round 6's code), while one whose only support was one such plain sentence was right 12
times in 22 on those first measurements and 23 times in 26 now: so only the hedge is weighed
down, not the section. The speculation cues alone, counted the same way, hit one lone
mention (wrong, and hedged by "might" too) and no right one: they are kept as the standard
cues, none of which a sentence reporting what a study did needs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spinelib.vocabulary.scan import mentions
from spinelib.vocabulary.sentences import LazySentenceFlags, Role, Sentence

#: The modal verbs, future words and the speculation cues of the hedge-detection literature
#: (the CoNLL-2010 shared task's BioScope cues: "possibly", "perhaps", "potentially",
#: "promising", "unclear", "remains to be") that hedge a sentence. Left out on purpose: cues
#: a report of what the study did also uses ("possible" in "was possible in all", "potential
#: complications", "prospective", "further", "can"). "may" in lower case only: "May" opening a
#: sentence is more often the month.
_HEDGE = re.compile(r"\b(?:may|[Mm]ight|[Cc]ould|[Ss]hould|[Ww]ould|[Ww]arrant(?:s|ed)?|"
                    r"in (?:the )?future|[Pp]ossibly|[Pp]erhaps|[Pp]otentially|[Pp]romising|"
                    r"unclear|uncertain|remains? to be|deserves?|merits?)\b")
#: Words one of which every hedged sentence holds (a cheap test before the pattern).
_HEDGE_WORDS = ("may", "might", "could", "should", "would", "warrant", "future", "possibly",
                "perhaps", "potentially", "promising", "unclear", "uncertain", "remain to",
                "remains to", "deserve", "merit")  # not "remain": "pain remained low" is common
#: Where a hedge makes a mention weak: the study's findings, conclusions and unlabelled text
#: (a hedge in the title, objective or methods asks what the study tests).
#: A tuple, not a set: membership then compares identities, without Enum's Python-level hash.
HEDGED_ROLES = (Role.RESULTS, Role.CONCLUSIONS, Role.ABSTRACT)


class Hedges(LazySentenceFlags):
    """Whether each sentence of a field is hedged, read only for the sentences a match sits
    in (the caller asks only in :data:`HEDGED_ROLES`). ``lowered``: ``ascii_lower(raw)``,
    shared with the field's other flags."""

    def __init__(self, raw: str, sents: Sequence[Sentence], lowered: str | None) -> None:
        super().__init__(sents)
        self._raw = raw
        self._lowered = lowered
        self._any: bool | None = None  # whether the field holds a hedge word at all

    def _flag(self, sent: Sentence) -> bool:
        if self._any is None:  # most fields hold none: one pass over the field, not per sentence
            self._any = mentions(self._lowered, _HEDGE_WORDS)
        return (self._any and mentions(self._lowered, _HEDGE_WORDS, sent.start, sent.end)
                and bool(_HEDGE.search(self._raw, sent.start, sent.end)))
