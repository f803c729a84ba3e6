"""Sentences of a record's text and the abstract section each one belongs to.

A technique named in the methods of a study is what the study did; the same word in its
background is what motivated it. :func:`sentences` cuts a field into :class:`Sentence` spans
and gives each a :class:`Role`:

* a title is one ``TITLE`` sentence, keywords one ``KEYWORD`` sentence;
* a structured abstract ("METHODS: ..." paragraphs, as the PubMed parser writes them, or run-in
  "Methods: ..." headings) takes the role of its label (BACKGROUND / OBJECTIVE / METHODS /
  RESULTS / CONCLUSIONS and their synonyms: INTRODUCTION, PURPOSE, FINDINGS, INTERPRETATION...);
* an unstructured abstract gets the unlabelled equivalents from the wording: "To assess" and
  "We aimed" are the objective, "We reviewed / treated", "underwent", "were randomly assigned"
  the methods, the opening sentence before any of those the background, a closing sentence of
  three or more the conclusions, figures and percentages the results. What cannot be told is
  ``ABSTRACT``, which counts like the results.

Pure and cached per text: the same abstract is split once however many matchers ask.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple, overload


class Role(enum.Enum):
    """Where a sentence sits in a record; the value is the word a reason shows."""

    TITLE = "title"
    KEYWORD = "keyword"
    BACKGROUND = "background"
    OBJECTIVE = "objective"
    METHODS = "methods"
    RESULTS = "results"
    CONCLUSIONS = "conclusions"
    ABSTRACT = "abstract"  # an abstract sentence whose role cannot be told


class Sentence(NamedTuple):
    """One sentence: its character span in the field's raw text and its role."""

    start: int
    end: int
    role: Role
    labelled: bool = True  # False: the role was inferred from the wording of an unlabelled text


#: Section labels (lower-cased, matched by their first word(s)) -> role.
_LABEL_WORDS: tuple[tuple[str, Role], ...] = (
    ("summary of background", Role.BACKGROUND), ("background", Role.BACKGROUND),
    ("introduction", Role.BACKGROUND), ("context", Role.BACKGROUND),
    ("rationale", Role.BACKGROUND), ("importance", Role.BACKGROUND),
    ("overview", Role.BACKGROUND), ("literature", Role.BACKGROUND),
    ("objective", Role.OBJECTIVE), ("object", Role.OBJECTIVE), ("purpose", Role.OBJECTIVE),
    ("aim", Role.OBJECTIVE),
    ("goal", Role.OBJECTIVE), ("question", Role.OBJECTIVE), ("hypothes", Role.OBJECTIVE),
    ("study design", Role.METHODS), ("design", Role.METHODS), ("method", Role.METHODS),
    ("material", Role.METHODS), ("patient", Role.METHODS), ("participant", Role.METHODS),
    ("setting", Role.METHODS), ("intervention", Role.METHODS), ("technique", Role.METHODS),
    ("surgical technique", Role.METHODS), ("case", Role.METHODS), ("procedure", Role.METHODS),
    ("measure", Role.METHODS), ("outcome measure", Role.METHODS), ("population", Role.METHODS),
    ("experimental", Role.METHODS), ("subject", Role.METHODS),
    ("result", Role.RESULTS), ("finding", Role.RESULTS), ("outcome", Role.RESULTS),
    ("observation", Role.RESULTS),
    ("conclusion", Role.CONCLUSIONS), ("interpretation", Role.CONCLUSIONS),
    ("discussion", Role.CONCLUSIONS), ("significance", Role.CONCLUSIONS),
    ("implication", Role.CONCLUSIONS), ("relevance", Role.CONCLUSIONS),
    ("summary", Role.CONCLUSIONS), ("level of evidence", Role.CONCLUSIONS),
    ("clinical", Role.CONCLUSIONS), ("limitation", Role.CONCLUSIONS),
    ("point", Role.CONCLUSIONS),
)
#: Words a journal puts before a section's name ("Recent Findings", "MAIN OUTCOME MEASURES",
#: "Key results", "Principal findings"): the label is the name's section.
_QUALIFIERS = ("recent", "main", "key", "principal", "primary", "major", "secondary")
_RUNNING_LABEL = re.compile(
    r"(?:(?:" + "|".join(_QUALIFIERS) + r") )?"
    r"(?:" + "|".join(re.escape(w) for w, _ in _LABEL_WORDS) + r")[a-z]*"
    r"(?:(?: and| &| of)? [a-z]+)?(?: data)?(?:, (?:and )?[a-z]+)*")
#: A section label at the start of a paragraph or sentence, then a colon (see label_role).
_LABEL = re.compile(r"\s*([A-Za-z][A-Za-z ,&/-]{1,60}?)\s*:\s+")
#: A sentence ends at . ! ? followed by space and a capital, digit or bracket; or a newline.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\[\"'])|\n\s*")
#: Where a sentence end can be: it starts just after '.', '!' or '?', or at a newline (a
#: character set the regex engine skips to, unlike the look-behind that starts the above).
_END_MARK = re.compile(r"[.!?\n]")
#: Words before a full stop that do not end a sentence ("vs.", "e.g.", "et al.", "Fig.").
_NOT_AN_END = re.compile(r"(?:\b(?:vs|e\.g|i\.e|et al|approx|fig|figs|ca|cf|resp|incl"
                         r"|min|max|mo|yr|yrs|dr|mr|mrs|ms|st))\.$", re.I)

_OBJECTIVE = re.compile(
    r"^(?:to (?:\w+ )?(?:assess|evaluate|compare|report|determine|describe|investigate|"
    r"examine|analy[sz]e|identify|quantify|measure|define|review|explore|present|test|"
    r"establish|estimate|characteri[sz]e|clarify|validate|summari[sz]e)\b"
    r"|(?:the|our|this) (?:aim|purpose|objective|goal)s?\b"
    r"|we (?:aimed|sought|set out|hypothesi[sz]ed|asked whether|wished to|wanted to)\b"
    r"|this (?:study|review|paper|article|report|analysis|trial) (?:aim|aimed|sought|"
    r"evaluate|assess|describe|report|examine|summari[sz]e|compare|investigate))",
    re.I)
_METHODS = re.compile(
    r"\b(?:we (?:\w+ly )?(?:reviewed|analy[sz]ed|treated|studied|compared|report|describe|"
    r"present|enrolled|included|surveyed|audited|followed|measured|evaluated|assessed|"
    r"examined|investigated|identified|recruited|performed|used|re-?planned|randomi[sz]ed|"
    r"queried|searched|collected|retrieved|calculated|quantified|conducted|operated)"
    r"|underwent|undergoing|were (?:\w+ly )?(?:treated|randomi[sz]ed|enrolled|included|"
    r"reviewed|analy[sz]ed|compared|recruited|managed|followed|assigned|allocated|operated|"
    r"stabili[sz]ed|selected|identified|divided|grouped|stratified|given)"
    r"|randomly assigned|randomly allocated|was (?:delivered|performed|given|used|done)"
    r"|were (?:performed|used|delivered|placed|inserted|implanted|calculated|measured)"
    r"|received|this (?:retrospective|prospective|single|multi)\w*|in this \w+ (?:study|"
    r"trial|series|cohort))\b", re.I)
_RESULTS = re.compile(r"\d\s*%|\bp\s*[<=>]|\b\d+(?:\.\d+)?\b|\b(?:occurred|improved|"
                      r"decreased|increased|fell|rose|was achieved|were achieved|did not differ|"
                      r"no difference|significantly)\b", re.I)
_CONCLUDING = re.compile(r"^(?:in conclusion|in summary|overall|these (?:results|findings|"
                         r"data)|our (?:results|findings|data)|this (?:study|series|report|"
                         r"review|analysis) (?:shows|suggests|demonstrates|confirms|"
                         r"indicates))", re.I)


#: A sentence that says what this study set out to do or did ("We report ...", "Here we ...",
#: "This study compared ..."): in a labelled background or objective section it is where the
#: study's own aim starts (see :func:`_refine_section`).
_AIM = re.compile(
    r"^(?:here,? )?we (?:\w+ly )?(?:report|present|describe|tested|test|compared|compare|"
    r"reviewed|studied|evaluated|evaluate|assessed|assess|investigated|investigate|analy[sz]ed|"
    r"examined|sought|aimed|aim|hypothesi[sz]ed|propose|introduce|developed|conducted|"
    r"performed|retrospectively|prospectively|set out|asked|wished|wanted|explored|"
    r"determined|measured|quantified|undertook|designed|carried out)\b"
    r"|^(?:this|our|the present|the current) (?:study|review|report|analysis|trial|series|"
    r"paper|article|work)\b", re.I)


def _refine_section(role: Role, texts: list[str]) -> list[Role]:
    """Roles of the sentences of one labelled BACKGROUND or OBJECTIVE section.

    Journals fold context into their objective section ("PURPOSE: Renal cell carcinoma is
    resistant to conventional radiotherapy. We tested SABR ...") and the aim into their
    background ("BACKGROUND AND PURPOSE: Recurrence after radiotherapy is common. We report
    re-irradiation ..."). The first sentence that states the study's aim splits the section:
    what comes before it is background, it and what follows are the objective. A section
    without such a sentence keeps its label's role.
    """
    aims = [i for i, t in enumerate(texts) if _OBJECTIVE.search(t) or _AIM.search(t)]
    if not aims:
        return [role] * len(texts)
    k = aims[0]
    if role is Role.OBJECTIVE and k == 0:
        return [role] * len(texts)
    return [Role.BACKGROUND] * k + [Role.OBJECTIVE] * (len(texts) - k)


def label_role(label: str) -> Role | None:
    """The role of a section label ('METHODS AND MATERIALS' -> METHODS), or None.

    A label in capitals may be any of the journals' forms ("SUMMARY OF BACKGROUND DATA"); one in
    running case must be a known word, perhaps with "and" one more ("Materials and methods")
    or a list after commas ("Design, setting, and participants"), so "Results were good: pain
    fell" is a sentence, not a label.
    """
    key = " ".join(label.lower().split())
    if not label.isupper() and not _RUNNING_LABEL.fullmatch(key):
        return None
    first, _, rest = key.partition(" ")
    if first in _QUALIFIERS and rest:
        key = rest  # "recent findings" is a findings section
    for word, role in _LABEL_WORDS:
        if key.startswith(word):
            return role
    return None


def _split(text: str, base: int) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (offsets from ``base``), whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _sentence_ends(text):
        if "\n" not in m.group() and _NOT_AN_END.search(text[max(0, m.start() - 8):m.start()]):
            continue
        if text[start:m.start()].strip():
            spans.append((base + start, base + m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((base + start, base + len(text.rstrip())))
    return spans


def _sentence_ends(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``_SENTENCE_END.finditer(text)``, trying the pattern only where a
    match can start: after '.', '!' or '?', or at a newline (see :mod:`.scan`)."""
    find = _END_MARK.search
    match = _SENTENCE_END.match
    pos = 0
    while True:
        mark = find(text, pos)
        if mark is None:
            return
        at = mark.start()
        if text[at] != "\n":
            at += 1  # the whitespace after the punctuation
        m = match(text, at)
        if m is None:
            pos = mark.start() + 1
        else:
            yield m
            pos = m.end()


def _unlabelled_roles(raw: str, spans: list[tuple[int, int]]) -> list[Role]:
    """Roles of the sentences of an abstract without section labels, from their wording.

    Sentences before the first objective or methods sentence are background only when there
    is such a sentence: a review or a guideline without one is all content, not context.
    """
    n = len(spans)
    texts = [raw[a:b] for a, b in spans]
    study = [bool(_OBJECTIVE.search(t) or _METHODS.search(t)) for t in texts]
    first_study = study.index(True) if any(study) else n
    roles: list[Role] = []
    for i, text in enumerate(texts):
        if _OBJECTIVE.search(text):
            role = Role.OBJECTIVE
        elif study[i]:
            role = Role.METHODS
        elif n >= 3 and (i == n - 1 or _CONCLUDING.search(text)):
            role = Role.CONCLUSIONS
        elif i < first_study < n:
            role = Role.BACKGROUND  # what comes before the study says what it is: context
        elif first_study < i and _RESULTS.search(text):
            role = Role.RESULTS
        else:
            role = Role.ABSTRACT
        roles.append(role)
    return roles


@functools.lru_cache(maxsize=16384)
def abstract_sentences(raw: str) -> tuple[Sentence, ...]:
    """The sentences of an abstract with their roles (see the module docstring)."""
    out: list[Sentence] = []
    unlabelled: list[tuple[int, int]] = []
    sections: list[list[Sentence]] = []  # labelled sentences, one list per section
    pos = 0
    for paragraph in re.split(r"(\n\s*\n)", raw):
        base = pos
        pos += len(paragraph)
        if not paragraph.strip() or paragraph.startswith("\n"):
            continue
        role = None
        m = _LABEL.match(paragraph) if ":" in paragraph else None  # a label ends in ':'
        if m:
            role = label_role(m.group(1))
        body_start = m.end() if (m and role) else 0
        sections.append([])
        for a, b in _split(paragraph[body_start:], base + body_start):
            # run-in headings inside a paragraph ("Background: ... Methods: ...")
            head = _LABEL.match(raw, a, b) if raw.find(":", a, b) >= 0 else None
            head_role = label_role(head.group(1)) if head else None
            if head and head_role:
                role = head_role
                a = head.end()
                sections.append([])
            if role is None:
                unlabelled.append((a, b))
            else:
                sections[-1].append(Sentence(a, b, role))
    for section in sections:
        out.extend(_section_roles(raw, section))
    if unlabelled:
        roles = _unlabelled_roles(raw, unlabelled)
        out.extend(Sentence(a, b, r, False) for (a, b), r in zip(unlabelled, roles))
        out.sort(key=lambda s: s.start)
    return tuple(out)


def _section_roles(raw: str, section: list[Sentence]) -> list[Sentence]:
    """The sentences of one labelled section, background and objective ones told apart."""
    if len(section) < 2 or section[0].role not in (Role.BACKGROUND, Role.OBJECTIVE):
        return section
    roles = _refine_section(section[0].role, [raw[s.start:s.end] for s in section])
    return [Sentence(s.start, s.end, r) for s, r in zip(section, roles)]


def sentences(field_name: str, raw: str) -> tuple[Sentence, ...]:
    """The sentences of one field: a title or keyword list is one sentence of its own role."""
    if field_name == "title":
        return (Sentence(0, len(raw), Role.TITLE),)
    if field_name == "keyword":
        return (Sentence(0, len(raw), Role.KEYWORD),)
    return abstract_sentences(raw)


class LazySentenceFlags(Sequence[bool]):
    """A yes or no per sentence, each worked out once and only when asked (most sentences of
    an abstract hold no match, so most are never asked about); :meth:`_flag` says how."""

    def __init__(self, sents: Sequence[Sentence]) -> None:
        self._sents = sents
        self._known: dict[int, bool] = {}

    def __len__(self) -> int:
        return len(self._sents)

    @overload
    def __getitem__(self, k: int) -> bool: ...

    @overload
    def __getitem__(self, k: slice) -> Sequence[bool]: ...

    def __getitem__(self, k: int | slice) -> bool | Sequence[bool]:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        found = self._known.get(k)
        if found is None:
            found = self._known[k] = self._flag(self._sents[k])
        return found

    def _flag(self, sent: Sentence) -> bool:
        raise NotImplementedError
