"""The spine-oncology vocabulary and the tag / facet suggestion engine.

Pure functions over :class:`~spinelib.records.ArticleRecord`: no database, no network, no Qt.
The vocabulary lives in ``resources/taxonomy.json`` (read with :func:`load_taxonomy`); this
module compiles it once per :class:`Taxonomy` and then answers, for any record:

* :func:`suggest` -- technique tags (groups and leaves), one :class:`Suggestion` per tag with a
  short human reason that quotes the evidence ("MeSH Kyphoplasty (D058498)",
  "title: 'balloon kyphoplasty'", "abstract: 'PKP'");
* :func:`facets` -- primary tumour histology, spinal region, study design and the scores
  mentioned, as :class:`FacetValue` items.

Matching rules (the JSON "policy" block says the same in prose):

* Text is *folded* before matching: case, diacritics, British/American spelling (tumour/tumor,
  -isation/-ization, haem/hem, oesophag/esophag, fibre/fiber), hyphens (en-bloc = en bloc),
  joined prefixes (mini-open = mini open = miniopen) and simple plurals. Terms match whole
  words and never across sentence punctuation; overlapping terms resolve leftmost-longest
  ("cement augmentation of pedicle screws" beats "cement augmentation"); "percutaneous or open
  instrumentation" is read as both phrases (coordination ellipsis).
* A match after "without" (but not "with or without"), or in a sentence that excludes patients
  ("patients with lymphoma or prior fixation were excluded"), is not evidence.
* Abbreviations match case-sensitively as whole tokens. The clashing ones (the brief's warning
  list: SRS, PPS, VP, RFA, PSA, TES, CRT, SAE, ...) only count when the record also contains
  the context their entry requires and none of the words that reveal the other meaning.
* MeSH is matched by descriptor UI only. A *specific* UI suggests its node alone
  (Kyphoplasty D058498 -> balloon_kyphoplasty); a *broad* UI on a leaf suggests only the group
  (Vertebroplasty D054854 -> vertebral_augmentation, because stenting papers carry it too);
  *support* UIs never suggest anything, they only satisfy guards. UIs the brief could not verify
  are kept in the JSON as ``mesh_unverified`` and never used.
* Groups are suggested only when none of their leaves is (a leaf implies its group through
  :meth:`Taxonomy.descendants`) and nothing in their ``explained_by`` list is.
* Osteoporotic papers: a technique tag describes the technique, so an osteoporotic
  vertebroplasty trial is tagged ``percutaneous_vertebroplasty`` (brief section 1.10). Nodes
  whose definition is oncologic (percutaneous *tumour* ablation, tumour embolisation) require
  tumour context, so cardiac or facet-joint radiofrequency ablation is not tagged.
* Dose schedules name the radiotherapy type ("24 Gy in 2 fractions" -> SBRT, "8 Gy single
  fraction" -> conventional); design follows the brief's precedence over publication types,
  then design MeSH headings and wording; regions also come from vertebral levels ("T11-L2").

Speed: every regex and phrase index is built once per Taxonomy; folding of a text is cached, so
:func:`facets` after :func:`suggest` on the same record re-uses the work. Ten thousand records
take seconds.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spinelib import paths
from spinelib.errors import SpineLibError
from spinelib.records import ArticleRecord, MeshHeading

#: The vocabulary file format this code understands.
SUPPORTED_VERSION = 1
#: Facet names, in the order :func:`facets` reports them.
FACETS = ("histology", "region", "design", "score")

#: Records evidence for a tag or value: (id, rank, reason); the lowest rank's reason is kept.
_Adder = Callable[[str, int, str], None]

# Evidence ranks: lower is better; the best one becomes the suggestion's reason.
_RANK_MESH = 0
_RANK_FIELD = {"title": 1, "keyword": 2, "abstract": 3}
_RANK_COTAG = 4
_RANK_MESH_BROAD = 5


# --------------------------------------------------------------------------------------------
# Public value types


@dataclass(frozen=True)
class TagDef:
    """One node of the technique vocabulary: a group (``parent`` None) or a leaf."""

    id: str
    label: str
    parent: str | None
    kind: str  # "group" | "leaf"
    synonyms: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    mesh_specific: tuple[str, ...] = ()
    mesh_broad: tuple[str, ...] = ()
    mesh_support: tuple[str, ...] = ()
    requires_context: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Suggestion:
    """A suggested technique tag and the evidence for it, quoted for a human."""

    tag_id: str
    reason: str


@dataclass(frozen=True)
class FacetValue:
    """One facet value found in a record (facet is one of :data:`FACETS`)."""

    facet: str
    value: str
    label: str
    reason: str


# --------------------------------------------------------------------------------------------
# Folding: the normal form both the vocabulary and the text are reduced to.

_WORD = re.compile(r"[^\W_]+")
#: Separator token inserted at sentence punctuation; no term contains it, so none spans it.
_BARRIER = "|"
_HYPHENS = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"
_SOFT_GAP = re.compile(rf"[\s{_HYPHENS}/'\u2019]*")
_HYPHEN_GAP = re.compile(rf"\s*[{_HYPHENS}]?\s*")
#: Prefixes written apart, hyphenated or joined ("en bloc", "en-bloc", "enbloc"); folding joins
#: them to the next word on both sides, so every spelling meets in one token.
_JOIN_PREFIXES = frozenset({
    "en", "re", "pre", "post", "intra", "inter", "trans", "mini", "cryo", "radio", "micro",
    "neuro", "thermo", "non", "hemi", "uni", "bi", "peri", "para", "sub", "semi", "multi", "co",
    "thoraco", "lumbo", "cervico", "sacro", "ilio", "costo", "extra", "chemo",
})
_BRITISH_ENDINGS = (
    (re.compile(r"is(ation|ations|e|ed|es|ing|er|ers)$"), r"iz\1"),
    (re.compile(r"ys(e|ed|es|ing)$"), r"yz\1"),
    (re.compile(r"our(s?)$"), r"or\1"),
    (re.compile(r"([bt])re([sd]?)$"), r"\1er\2"),
)


@functools.lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    """Case, diacritics and British spelling folded; no plural stripping (see :func:`_stem`)."""
    decomposed = unicodedata.normalize("NFKD", word)
    tok = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    if len(tok) > 3:
        # haem/hem, oesophag/esophag, anaes/anes, paed/ped, leukaemia/leukemia
        tok = tok.replace("ae", "e").replace("oe", "e")
    if len(tok) > 5:
        for pattern, repl in _BRITISH_ENDINGS:
            tok = pattern.sub(repl, tok)
    return tok


@functools.lru_cache(maxsize=65536)
def _stem(tok: str) -> str:
    """Strip a simple English plural so 'screws' meets 'screw' and 'biopsies' meets 'biopsy'."""
    n = len(tok)
    if n > 4 and tok.endswith("ies"):
        return tok[:-3] + "y"
    if n > 4 and tok.endswith(("ches", "shes", "sses", "xes", "zes")):
        return tok[:-2]
    if n > 3 and tok.endswith("s") and not tok.endswith(("ss", "us", "is")):
        return tok[:-1]
    return tok


@dataclass(frozen=True)
class _Folded:
    """A text as folded tokens, with each token's span in the original text."""

    tokens: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    #: Original words that can start an abbreviation (any capital letter, or 're' of 're-RT')
    #: -> their spans; abbreviation lookups visit only these.
    capitals: Mapping[str, list[tuple[int, int]]] = dataclasses.field(default_factory=dict)

    @functools.cached_property
    def positions(self) -> dict[str, list[int]]:
        """Token -> indexes where it occurs (lets an index visit only its own first words)."""
        where: dict[str, list[int]] = {}
        for i, tok in enumerate(self.tokens):
            found = where.get(tok)
            if found is None:
                where[tok] = [i]
            else:
                found.append(i)
        return where

    def quote(self, raw: str, first: int, last: int) -> str:
        """The original text of tokens ``first..last`` (inclusive), whitespace squashed."""
        text = " ".join(raw[self.starts[first]:self.ends[last]].split())
        return text if len(text) <= 70 else text[:67] + "..."


def _gap_kind(gap: str) -> str:
    """'join' for nothing/hyphen, 'soft' for spaces/slashes/apostrophes, else 'barrier'."""
    if _HYPHEN_GAP.fullmatch(gap):
        return "join"
    if _SOFT_GAP.fullmatch(gap):
        return "soft"
    return "barrier"


_WORD_SPLIT = re.compile(r"([^\W_]+)")


@functools.lru_cache(maxsize=16384)
def _fold(raw: str) -> _Folded:
    """Fold a text into tokens (see module docstring); cached because facets re-read fields."""
    tokens: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    capitals: dict[str, list[tuple[int, int]]] = {}
    parts = _WORD_SPLIT.split(raw)  # gap, word, gap, word, ..., gap
    pos = 0
    fold_word = _fold_word
    for k in range(1, len(parts), 2):
        gap, original = parts[k - 1], parts[k]
        start = pos + len(gap)
        pos = end = start + len(original)
        if not original.islower() or original == "re":
            capitals.setdefault(original, []).append((start, end))
        word = fold_word(original)
        if word == "s" and gap in ("'", "\u2019"):
            continue  # possessive: Ewing's sarcoma = Ewing sarcoma
        kind = "join" if gap == " " else _gap_kind(gap) if tokens else "soft"
        if kind == "barrier":
            tokens.append(_BARRIER)
            starts.append(start)
            ends.append(start)
        elif kind == "join" and tokens and tokens[-1] in _JOIN_PREFIXES:
            tokens[-1] += word
            ends[-1] = end
            continue
        tokens.append(word)
        starts.append(start)
        ends.append(end)
    stem = _stem
    stemmed = tuple([t if t == _BARRIER else stem(t) for t in tokens])
    return _Folded(stemmed, tuple(starts), tuple(ends), capitals)


def _fold_phrase(text: str) -> tuple[str, ...]:
    """A vocabulary phrase as folded tokens (barriers dropped: phrases are one sentence)."""
    return tuple(t for t in _fold(text).tokens if t != _BARRIER)


# --------------------------------------------------------------------------------------------
# Phrase index: vocabulary terms found in folded text, leftmost-longest, in one pass.


@dataclass(frozen=True)
class _Term:
    """One vocabulary phrase pointing at a tag / facet value ('' = stop phrase)."""

    tokens: tuple[str, ...]
    target: str
    also: tuple[str, ...] = ()
    prefix_last: bool = False  # last token is a prefix ('vertebr*')
    gaps: tuple[int, ...] = ()  # for '~N' terms: max words skipped before token i (0 = none)


@dataclass(frozen=True)
class _Hit:
    term: _Term
    first: int
    last: int


class _PhraseIndex:
    """Terms keyed by their first token; gap terms ('~N') are matched without consuming text."""

    def __init__(self, terms: Iterable[_Term]) -> None:
        self._by_first: dict[str, list[_Term]] = {}
        self._gapped: dict[str, list[_Term]] = {}
        for term in terms:
            table = self._gapped if any(term.gaps) else self._by_first
            table.setdefault(term.tokens[0], []).append(term)
        for bucket in self._by_first.values():
            bucket.sort(key=lambda t: -len(t.tokens))

    def _elided(self, toks: Sequence[str], hit: _Hit) -> list[_Hit]:
        """'percutaneous or open instrumentation': the word before 'or'/'and' shares the head.

        For a hit of two or more words preceded by ``X and|or``, the phrase ``X`` + the rest of
        the hit is tried as well (coordination ellipsis), quoted from ``X`` to the hit's end.
        """
        p = hit.first
        if len(hit.term.tokens) < 2 or p < 2 or toks[p - 1] not in ("or", "and"):
            return []
        head = toks[p - 2]
        virtual = (head, *toks[p + 1:hit.last + 1])
        for term in self._by_first.get(head, ()):
            if term.target and len(term.tokens) >= 2 and _matches_at(term, virtual, 0):
                return [_Hit(term, p - 2, hit.last)]
        return []

    def scan(self, folded: _Folded) -> list[_Hit]:
        """All matches; overlapping matches resolve to the leftmost, then the longest."""
        toks = folded.tokens
        where = folded.positions
        longest: list[_Hit] = []  # the longest match starting at each position
        for tok in self._by_first.keys() & where.keys():
            bucket = self._by_first[tok]
            for i in where[tok]:
                for term in bucket:  # longest first
                    size = len(term.tokens)
                    if (toks[i:i + size] == term.tokens if not term.prefix_last
                            else _matches_at(term, toks, i)):
                        longest.append(_Hit(term, i, i + size - 1))
                        break
        longest.sort(key=lambda h: h.first)
        hits: list[_Hit] = []
        next_free = 0
        for hit in longest:
            if hit.first >= next_free:  # leftmost wins, then the longest at that position
                hits.append(hit)
                hits.extend(self._elided(toks, hit))
                next_free = hit.last + 1
        for tok in self._gapped.keys() & where.keys():
            for i in where[tok]:
                for term in self._gapped[tok]:
                    end = _match_gapped(term, toks, i)
                    if end is not None:
                        hits.append(_Hit(term, i, end))
        return hits


def _matches_at(term: _Term, toks: Sequence[str], i: int) -> bool:
    size = len(term.tokens)
    if i + size > len(toks):
        return False
    if not term.prefix_last:
        return tuple(toks[i:i + size]) == term.tokens
    return (tuple(toks[i:i + size - 1]) == term.tokens[:-1]
            and toks[i + size - 1].startswith(term.tokens[-1]))


def _match_gapped(term: _Term, toks: Sequence[str], start: int) -> int | None:
    """End index of a '~N' term starting at ``start``, or None; gaps never cross a barrier."""
    pos = start
    for k, want in enumerate(term.tokens):
        limit = term.gaps[k] if k else 0
        found = None
        for skip in range(limit + 1):
            j = pos + skip
            if j >= len(toks) or (skip and toks[j - 1] == _BARRIER) or toks[j] == _BARRIER:
                break
            if toks[j] == want:
                found = j
                break
        if found is None:
            return None
        pos = found + 1
    return pos - 1


def _make_term(text: str, target: str, also: Sequence[str] = ()) -> _Term:
    """Compile a written term; '~N' between words allows up to N words in between."""
    words: list[str] = []
    gaps: list[int] = []
    pending = 0
    # Fold each stretch between '~N' markers as one phrase: folding joins prefixes across
    # spaces ('en bloc' -> 'enbloc'), exactly as it does in the text.
    for part in re.split(r"\s+(~\d+)\s+", text.strip()):
        if re.fullmatch(r"~\d+", part):
            pending = int(part[1:])
            continue
        for k, tok in enumerate(_fold_phrase(part)):
            words.append(tok)
            gaps.append(pending if k == 0 else 0)
        pending = 0
    prefix = text.endswith("*")
    if prefix and words:
        words[-1] = words[-1].rstrip("*")
    if not words:
        raise _SchemaError(f"term {text!r} has no words")
    return _Term(tuple(words), target, tuple(also), prefix, tuple(gaps) if any(gaps) else ())


# --------------------------------------------------------------------------------------------
# Phrase sets: "does this record mention any of these?" (contexts and abbreviation guards).


class _PhraseSet:
    """Folded phrases tested against a whole record; single words by set lookup (fast)."""

    def __init__(self, phrases: Iterable[str], mesh: Iterable[str] = (),
                 contexts: Sequence[str] = ()) -> None:
        self.words: set[str] = set()
        self.mesh: frozenset[str] = frozenset(mesh)
        self.contexts = tuple(contexts)  # '@name' guard references, resolved by the Taxonomy
        patterns: list[str] = []
        for phrase in phrases:
            term = _make_term(phrase, "")
            if len(term.tokens) == 1 and not term.prefix_last:
                self.words.add(term.tokens[0])
                continue
            body = " ".join(re.escape(t) for t in term.tokens)
            patterns.append(body + (r"[^ ]*" if term.prefix_last else ""))
        self.regex = (re.compile(r"(?:^| )(?:" + "|".join(patterns) + r")(?= |$)")
                      if patterns else None)

    def found_in(self, doc: _Doc) -> bool:
        if self.words & doc.token_set or self.mesh & doc.mesh_uis:
            return True
        return bool(self.regex and self.regex.search(doc.joined))


# --------------------------------------------------------------------------------------------
# Abbreviations


@dataclass(frozen=True)
class _Abbrev:
    """A case-sensitive abbreviation and the guard that keeps its clashes out."""

    text: str
    target: str
    require: _PhraseSet | None = None
    reject: _PhraseSet | None = None
    not_followed_by: re.Pattern[str] | None = None
    support_mesh: frozenset[str] = frozenset()


class _AbbrevIndex:
    """Abbreviations found in raw text (case-sensitive whole tokens, 's' plural allowed)."""

    def __init__(self, abbrevs: Iterable[_Abbrev]) -> None:
        self.all = tuple(abbrevs)
        self._single: dict[str, list[_Abbrev]] = {}  # includes the 's' plural of each
        self._multi: dict[str, list[tuple[str, _Abbrev]]] = {}
        for ab in self.all:
            parts = _WORD.findall(ab.text)
            if len(parts) == 1 and parts[0] == ab.text:
                self._single.setdefault(ab.text, []).append(ab)
            else:
                self._multi.setdefault(parts[0], []).append((ab.text[len(parts[0]):], ab))
        for word, entries in list(self._single.items()):
            self._single.setdefault(word + "s", list(entries))

    def scan(self, field: _Field) -> list[tuple[_Abbrev, int, int]]:
        """Occurrences in text order; visits only words this index knows (fast on long text)."""
        raw = field.raw
        where = field.folded.capitals
        out: list[tuple[_Abbrev, int, int]] = []
        covered: list[tuple[int, int]] = []
        for first in self._multi.keys() & where.keys():
            for start, end in where[first]:
                for rest, ab in self._multi[first]:
                    stop = end + len(rest)
                    if raw.startswith(rest, end) and not _alnum_at(raw, stop):
                        out.append((ab, start, stop))
                        covered.append((start, stop))
        for word in self._single.keys() & where.keys():
            for start, end in where[word]:
                if not any(a <= start < b for a, b in covered):
                    out.extend((ab, start, end) for ab in self._single[word])
        out.sort(key=lambda item: item[1])
        return out


def _alnum_at(text: str, pos: int) -> bool:
    return pos < len(text) and text[pos].isalnum()


@functools.lru_cache(maxsize=4096)
def _mostly_capitals(text: str) -> bool:
    """An all-capitals title: its words would look like abbreviations, so they are skipped."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 15 and sum(c.isupper() for c in letters) > 0.8 * len(letters)


# --------------------------------------------------------------------------------------------
# A record prepared for matching


_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")
#: A sentence that excludes patients describes who was *not* studied ("patients with lymphoma
#: or prior fixation were excluded"): its techniques and histologies are not the paper's.
_EXCLUSION = re.compile(r"\b(?:exclu(?:ded|ding|sion)|ineligible|not eligible)\b", re.I)


@functools.lru_cache(maxsize=16384)
def _excluded_spans(raw: str) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end()) for m in _SENTENCE.finditer(raw)
                 if _EXCLUSION.search(m.group()))


@dataclass(frozen=True)
class _Field:
    name: str  # "title" | "keyword" | "abstract"
    raw: str
    folded: _Folded

    def dismissed(self, start: int, first_token: int | None = None) -> bool:
        """True when a match is negated ('without decompression', but not 'with or without')
        or sits in a sentence that excludes patients."""
        toks = self.folded.tokens
        if (first_token is not None and first_token > 0 and toks[first_token - 1] == "without"
                and (first_token < 3 or toks[first_token - 2] != "or")):
            return True
        return any(a <= start < b for a, b in _excluded_spans(self.raw))


class _Doc:
    """The parts of one record the matchers read, folded once."""

    def __init__(self, record: ArticleRecord) -> None:
        self.record = record
        fields = (("title", record.title or ""), ("keyword", "; ".join(record.keywords)),
                  ("abstract", record.abstract or ""))
        self.fields = tuple(_Field(name, raw, _fold(raw)) for name, raw in fields if raw.strip())
        tokens = [tok for f in self.fields for tok in f.folded.tokens + (_BARRIER,)]
        self.token_set = frozenset(tokens)
        self.joined = " ".join(tokens)
        self.mesh: dict[str, MeshHeading] = {}
        for heading in record.mesh:
            if heading.ui:
                self.mesh.setdefault(heading.ui.strip().upper(), heading)
        self.mesh_uis = frozenset(self.mesh)
        self._contexts: dict[str, bool] = {}

    def mesh_reason(self, ui: str, fallback: str) -> str:
        heading = self.mesh.get(ui)
        name = heading.name if heading and heading.name else fallback
        return f"MeSH {name} ({ui})"


# --------------------------------------------------------------------------------------------
# The compiled vocabulary


class _SchemaError(Exception):
    """A problem in the vocabulary file; wrapped into SpineLibError with the file name."""


@dataclass(frozen=True)
class _FacetSpec:
    name: str
    label: str
    values: tuple[tuple[str, str], ...]
    terms: _PhraseIndex
    abbrevs: _AbbrevIndex
    mesh: Mapping[str, tuple[tuple[str, str, bool], ...]]  # ui -> (value, heading, is_site)
    ignore_qualifiers: frozenset[str] = frozenset()  # on site headings ('secondary')
    counted: re.Pattern[str] | None = None  # 'breast 6, lung 5' / 'cervical (n=12)'
    counted_values: Mapping[str, str] = dataclasses.field(default_factory=dict)
    counted_context: str | None = None
    skip_excluded: bool = False  # drop matches in exclusion sentences / after 'without'


class Taxonomy:
    """The compiled vocabulary: tag definitions, facet values and every matcher, built once.

    ``tags`` lists groups first, then leaves, each in vocabulary order. ``facet_values`` maps
    each facet name to its ``(value id, label)`` pairs in vocabulary order.
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        _check_version(data)
        self.version: int = data["version"]
        self._contexts, context_facets = _build_contexts(data.get("contexts", {}))
        nodes = _as_list(data.get("techniques"), "'techniques'")
        self.tags: list[TagDef] = _build_tags(nodes, self._contexts)
        self._by_id = {t.id: t for t in self.tags}
        self._children: dict[str, list[TagDef]] = {}
        for tag in self.tags:
            if tag.parent:
                self._children.setdefault(tag.parent, []).append(tag)
        self._order = {t.id: i for i, t in enumerate(self.tags)}
        self._explained_by = {str(n["id"]): tuple(n.get("explained_by", ())) for n in nodes}
        self._implies = {str(n["id"]): tuple(n.get("implies", ())) for n in nodes}
        self._check_references()
        terms, abbrevs = _technique_matchers(nodes, data.get("stop_phrases", ()), self._by_id)
        self._terms = _PhraseIndex(terms)
        self._abbrevs = _AbbrevIndex(abbrevs)
        self._mesh_index = _technique_mesh_index(self.tags)
        self._dose_rules = _dose_rules(data.get("dose_rules", {}))
        facet_data = data.get("facets", {})
        if not isinstance(facet_data, Mapping):
            raise _SchemaError("'facets' must be an object")
        self._facets = {name: _build_facet(name, facet_data.get(name, {})) for name in FACETS}
        self._design = _DesignRules(facet_data.get("design", {}))
        self._levels = _LevelRules(facet_data.get("region", {}).get("levels", {}))
        self.facet_values: dict[str, list[tuple[str, str]]] = {
            name: list(spec.values) for name, spec in self._facets.items()}
        self._facet_labels = {(n, v): lab for n, spec in self._facets.items()
                              for v, lab in spec.values}
        for name, facet_names in context_facets.items():
            for facet in facet_names:
                if facet not in self._facets:
                    raise _SchemaError(f"context {name!r} includes unknown facet {facet!r}")
                ctx = self._contexts[name]
                ctx.mesh = ctx.mesh | frozenset(self._facets[facet].mesh)
        self._check_guard_contexts(abbrevs, *(s.abbrevs.all for s in self._facets.values()))
        for spec in self._facets.values():
            if spec.counted_context and spec.counted_context not in self._contexts:
                raise _SchemaError(f"facet {spec.name!r} counts in unknown context "
                                   f"{spec.counted_context!r}")
        self._labels = {t.id: t.label for t in self.tags}
        self._lookup = _lookup_tables(self.tags)

    # -- hierarchy --------------------------------------------------------------------------

    def get(self, tag_id: str) -> TagDef | None:
        """The tag with this exact id, or None."""
        return self._by_id.get(tag_id)

    def children(self, tag_id: str) -> list[TagDef]:
        """Direct children of a group, in vocabulary order (empty for leaves and unknown ids)."""
        return list(self._children.get(tag_id, ()))

    def descendants(self, tag_id: str) -> set[str]:
        """``tag_id`` and every tag below it. An id outside the vocabulary (a user's own tag)
        is its own only descendant, so filtering treats vocabulary and user tags alike."""
        out = {tag_id}
        stack = [tag_id]
        while stack:
            for child in self._children.get(stack.pop(), ()):
                if child.id not in out:
                    out.add(child.id)
                    stack.append(child.id)
        return out

    # -- resolving what a user typed --------------------------------------------------------

    def find(self, text: str) -> TagDef | None:
        """Resolve a typed id, label, synonym or abbreviation to a tag, or None.

        Ids, labels and synonyms are compared folded (case, hyphens, spelling, plurals).
        Abbreviations are case-sensitive ("MISt", "cEBRT"); a different case is accepted only
        when exactly one tag has that abbreviation in any case.
        """
        typed = text.strip()
        if not typed:
            return None
        if typed in self._by_id:
            return self._by_id[typed]
        exact_abbr = self._lookup.abbr_exact.get(typed)
        if exact_abbr:
            return self._by_id[exact_abbr]
        key = _fold_phrase(typed.replace("_", " "))
        hit = self._lookup.folded.get(key)
        if hit:
            return self._by_id[hit]
        loose = self._lookup.abbr_casefold.get(typed.casefold(), set())
        return self._by_id[next(iter(loose))] if len(loose) == 1 else None

    def close_matches(self, text: str, n: int = 5) -> list[str]:
        """Tag ids whose id, label, synonym or abbreviation looks like ``text`` (best first)."""
        typed = text.strip().casefold()
        if not typed or n <= 0:
            return []
        names = self._lookup.names
        scored = difflib.get_close_matches(typed, list(names), n=max(4 * n, 20), cutoff=0.6)
        out: list[str] = []
        for name in scored:
            tag_id = names[name]
            if tag_id not in out:
                out.append(tag_id)
            if len(out) == n:
                break
        return out

    # -- internals used by suggest() ---------------------------------------------------------

    def _context_ok(self, tag_id: str, doc: _Doc) -> bool:
        tag = self._by_id[tag_id]
        name = tag.requires_context
        if name is None and tag.parent:
            name = self._by_id[tag.parent].requires_context
        return name is None or self._has_context(name, doc)

    def _has_context(self, name: str, doc: _Doc) -> bool:
        if name not in doc._contexts:
            doc._contexts[name] = self._contexts[name].found_in(doc)
        return doc._contexts[name]

    def _guard_ok(self, ab: _Abbrev, doc: _Doc, raw: str, end: int) -> bool:
        if ab.not_followed_by and ab.not_followed_by.match(raw, end):
            return False
        if ab.reject and ab.reject.found_in(doc):
            return False
        if ab.require is None:
            return True
        if ab.support_mesh & doc.mesh_uis or ab.require.found_in(doc):
            return True
        return any(self._has_context(ctx, doc) for ctx in ab.require.contexts)

    def _check_guard_contexts(self, *groups: Iterable[_Abbrev]) -> None:
        for group in groups:
            for ab in group:
                for ctx in ab.require.contexts if ab.require else ():
                    if ctx not in self._contexts:
                        raise _SchemaError(f"abbreviation {ab.text!r} requires unknown context "
                                           f"'@{ctx}'")

    def _check_references(self) -> None:
        for source, table in (("explained_by", self._explained_by), ("implies", self._implies)):
            for tag_id, refs in table.items():
                for ref in refs:
                    if ref not in self._by_id:
                        raise _SchemaError(f"tag {tag_id!r} {source} unknown tag {ref!r}")


# --------------------------------------------------------------------------------------------
# Building the Taxonomy from JSON (each helper raises _SchemaError with a plain message)


def _check_version(data: Mapping[str, Any]) -> None:
    if not isinstance(data, Mapping):
        raise _SchemaError("the top level must be a JSON object")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _SchemaError("'version' must be an integer")
    if version > SUPPORTED_VERSION:
        raise _SchemaError(f"version {version} is newer than this SpineLib understands "
                           f"({SUPPORTED_VERSION}); update SpineLib")
    if version < 1:
        raise _SchemaError(f"version {version} is not a valid vocabulary version")


def _as_list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise _SchemaError(f"{what} must be a list")
    return value


def _str_list(node: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = node.get(key, [])
    if not isinstance(value, list):
        raise _SchemaError(f"{where}: {key!r} must be a list")
    return value


def _build_contexts(raw: Any) -> tuple[dict[str, _PhraseSet], dict[str, tuple[str, ...]]]:
    """Context phrase sets, and for each the facets whose MeSH UIs also count as context."""
    if not isinstance(raw, Mapping):
        raise _SchemaError("'contexts' must be an object")
    sets = {}
    includes = {}
    for name, spec in raw.items():
        where = f"context {name!r}"
        if not isinstance(spec, Mapping):
            raise _SchemaError(f"{where} must be an object")
        sets[name] = _PhraseSet(_str_list(spec, "terms", where), _str_list(spec, "mesh", where))
        includes[name] = tuple(_str_list(spec, "include_facet_mesh", where))
    return sets, includes


def _build_tags(nodes: list[Any], contexts: Mapping[str, _PhraseSet]) -> list[TagDef]:
    groups: list[TagDef] = []
    leaves: list[TagDef] = []
    seen: set[str] = set()
    for i, node in enumerate(nodes):
        tag = _tag_from_json(node, i, contexts)
        if tag.id in seen:
            raise _SchemaError(f"duplicate tag id {tag.id!r}")
        seen.add(tag.id)
        (leaves if tag.parent else groups).append(tag)
    group_ids = {g.id for g in groups}
    for leaf in leaves:
        if leaf.parent not in group_ids:
            raise _SchemaError(f"tag {leaf.id!r} has parent {leaf.parent!r}, which is not a group")
    return groups + leaves


def _tag_from_json(node: Any, index: int, contexts: Mapping[str, _PhraseSet]) -> TagDef:
    if not isinstance(node, Mapping):
        raise _SchemaError(f"technique {index + 1} is not an object")
    tag_id = node.get("id")
    if not isinstance(tag_id, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", tag_id):
        raise _SchemaError(f"technique {index + 1} has no valid snake_case 'id'")
    label = node.get("label")
    if not isinstance(label, str) or not label.strip():
        raise _SchemaError(f"tag {tag_id!r} has no 'label'")
    parent = node.get("parent")
    if parent is not None and not isinstance(parent, str):
        raise _SchemaError(f"tag {tag_id!r}: 'parent' must be a tag id or null")
    ctx = node.get("requires_context")
    if ctx is not None and ctx not in contexts:
        raise _SchemaError(f"tag {tag_id!r} requires unknown context {ctx!r}")
    where = f"tag {tag_id!r}"
    mesh = node.get("mesh", {})
    if not isinstance(mesh, Mapping):
        raise _SchemaError(f"{where}: 'mesh' must be an object")
    synonyms = [_term_text(s, where) for s in _str_list(node, "synonyms", where)]
    abbrevs = [_abbr_text(a, where) for a in _str_list(node, "abbreviations", where)]
    return TagDef(
        id=tag_id, label=label.strip(), parent=parent, kind="leaf" if parent else "group",
        synonyms=tuple(s for s in synonyms if "~" not in s), abbreviations=tuple(abbrevs),
        mesh_specific=_mesh_uis(mesh, "specific", where),
        mesh_broad=_mesh_uis(mesh, "broad", where),
        mesh_support=_mesh_uis(mesh, "support", where), requires_context=ctx,
        note=str(node.get("note", "")))


def _term_text(item: Any, where: str) -> str:
    text = item.get("term") if isinstance(item, Mapping) else item
    if not isinstance(text, str) or not text.strip():
        raise _SchemaError(f"{where}: a synonym is empty or not text")
    return text


def _abbr_text(item: Any, where: str) -> str:
    text = item.get("abbr") if isinstance(item, Mapping) else item
    if not isinstance(text, str) or not _WORD.search(text):
        raise _SchemaError(f"{where}: an abbreviation is empty or not text")
    return text


def _mesh_uis(mesh: Mapping[str, Any], kind: str, where: str) -> tuple[str, ...]:
    out = []
    for entry in _str_list(mesh, kind, where):
        ui = entry.get("ui") if isinstance(entry, Mapping) else None
        if not isinstance(ui, str) or not re.fullmatch(r"D\d{6,9}", ui):
            raise _SchemaError(f"{where}: MeSH {kind} entry {entry!r} has no valid UI")
        out.append(ui)
    return tuple(out)


def _technique_matchers(nodes: list[Any], stops: Iterable[str],
                        tags: Mapping[str, TagDef]) -> tuple[list[_Term], list[_Abbrev]]:
    terms = [_make_term(s, "") for s in stops]
    abbrevs: list[_Abbrev] = []
    owner: dict[tuple[str, ...], str] = {}
    for node in nodes:
        tag = tags[node["id"]]
        for item in node.get("synonyms", ()):
            also = tuple(item.get("also", ())) if isinstance(item, Mapping) else ()
            for ref in also:
                if ref not in tags:
                    raise _SchemaError(f"tag {tag.id!r}: synonym co-tags unknown tag {ref!r}")
            term = _make_term(_term_text(item, tag.id), tag.id, also)
            previous = owner.setdefault(term.tokens, tag.id)
            if previous != tag.id:
                raise _SchemaError(f"synonym {_term_text(item, tag.id)!r} is given for both "
                                   f"{previous!r} and {tag.id!r}")
            terms.append(term)
        mesh = set(tag.mesh_specific) | set(tag.mesh_broad) | set(tag.mesh_support)
        for item in node.get("abbreviations", ()):
            abbrevs.append(_abbrev_from_json(item, tag.id, frozenset(mesh)))
    return terms, abbrevs


def _abbrev_from_json(item: Any, target: str, mesh: frozenset[str]) -> _Abbrev:
    text = _abbr_text(item, f"tag {target!r}")
    if not isinstance(item, Mapping):
        return _Abbrev(text, target)
    require = item.get("require_any")
    reject = item.get("reject_any")
    nfb = item.get("not_followed_by")
    return _Abbrev(
        text, target,
        require=_guard_set(require) if require else None,
        reject=_guard_set(reject) if reject else None,
        not_followed_by=re.compile(nfb) if nfb else None,
        support_mesh=mesh)


def _guard_set(items: Sequence[str]) -> _PhraseSet:
    return _PhraseSet([p for p in items if not p.startswith("@")],
                      contexts=[p[1:] for p in items if p.startswith("@")])


def _technique_mesh_index(tags: Sequence[TagDef]) -> dict[str, list[tuple[str, str]]]:
    """UI -> [(tag id to suggest, 'specific' | 'broad')]; broad on a leaf points at its group."""
    index: dict[str, list[tuple[str, str]]] = {}
    for tag in tags:
        for ui in tag.mesh_specific:
            index.setdefault(ui, []).append((tag.id, "specific"))
        for ui in tag.mesh_broad:
            index.setdefault(ui, []).append((tag.parent or tag.id, "broad"))
    return index


def _build_facet(name: str, raw: Any) -> _FacetSpec:
    if not isinstance(raw, Mapping):
        raise _SchemaError(f"facet {name!r} must be an object")
    values: list[tuple[str, str]] = []
    terms = [_make_term(s, "") for s in raw.get("stop_phrases", ())]
    abbrevs: list[_Abbrev] = []
    mesh: dict[str, list[tuple[str, str, bool]]] = {}
    for i, value in enumerate(_str_list(raw, "values", f"facet {name!r}")):
        vid = value.get("id") if isinstance(value, Mapping) else None
        if not isinstance(vid, str) or not vid:
            raise _SchemaError(f"facet {name!r}: value {i + 1} has no 'id'")
        values.append((vid, str(value.get("label") or vid)))
        where = f"facet {name!r} value {vid!r}"
        for item in _str_list(value, "terms", where):
            also = tuple(item.get("also", ())) if isinstance(item, Mapping) else ()
            terms.append(_make_term(_term_text(item, where), vid, also))
        for item in _str_list(value, "abbreviations", where):
            abbrevs.append(_abbrev_from_json(item, vid, frozenset()))
        for entry in _str_list(value, "mesh", where):
            ui = entry.get("ui") if isinstance(entry, Mapping) else None
            if not isinstance(ui, str):
                raise _SchemaError(f"{where}: MeSH entry {entry!r} has no UI")
            mesh.setdefault(ui, []).append((vid, str(entry.get("heading", ui)),
                                            bool(entry.get("site"))))
    if len({v for v, _ in values}) != len(values):
        raise _SchemaError(f"facet {name!r} has duplicate value ids")
    ignore = frozenset(q.casefold() for q in _str_list(raw, "ignore_mesh_qualifiers", name))
    counted_values = {str(w).casefold(): v["id"] for v in raw.get("values", ())
                      for w in _str_list(v, "count_words", f"facet {name!r}")}
    counted = None
    if counted_values:
        words = "|".join(sorted(map(re.escape, counted_values), key=len, reverse=True))
        counted = re.compile(
            rf"\b({words})\s*(?:\(\s*(?:n\s*=\s*)?\d+(?:\.\d+)?\s*%?\s*\)|(?:n\s*=\s*)?\d+"
            rf"(?:\.\d+)?\s*%?)(?![\w.])(?!\s*(?:months?|years?|weeks?|days?|mm|cm|Gy)\b)", re.I)
    return _FacetSpec(name, str(raw.get("label", name)), tuple(values), _PhraseIndex(terms),
                      _AbbrevIndex(abbrevs), {ui: tuple(v) for ui, v in mesh.items()}, ignore,
                      counted, counted_values, raw.get("count_context"),
                      bool(raw.get("skip_excluded_sentences")))


@dataclass(frozen=True)
class _Lookups:
    folded: dict[tuple[str, ...], str]  # folded id/label/synonym -> tag id
    abbr_exact: dict[str, str]
    abbr_casefold: dict[str, set[str]]
    names: dict[str, str]  # casefolded display strings for difflib -> tag id


def _lookup_tables(tags: Sequence[TagDef]) -> _Lookups:
    folded: dict[tuple[str, ...], str] = {}
    exact: dict[str, str] = {}
    loose: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for tag in tags:
        for text in (tag.id.replace("_", " "), tag.label, *tag.synonyms):
            folded.setdefault(_fold_phrase(text), tag.id)
        for abbr in tag.abbreviations:
            exact.setdefault(abbr, tag.id)
            loose.setdefault(abbr.casefold(), set()).add(tag.id)
        for text in (tag.id, tag.label, *tag.synonyms, *tag.abbreviations):
            names.setdefault(text.casefold(), tag.id)
    return _Lookups(folded, exact, loose, names)


# --------------------------------------------------------------------------------------------
# Radiotherapy dose cues ("24 Gy in 2 fractions" -> SBRT; "8 Gy single fraction" -> cEBRT)

_NUM = r"(\d+(?:\.\d+)?)"
_NUM_RANGE = _NUM + r"(?:\s*(?:-|\u2013|\u2014|to|or)\s*" + _NUM + r")?"
_GY = r"\s*Gy(?:\s*\(RBE\))?"
_COUNT_WORDS = {"a single": 1, "single": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "fifteen": 15,
                "twenty": 20}
_COUNT = (r"(\d+(?:\s*(?:-|\u2013|to)\s*\d+)?|"
          + "|".join(sorted(_COUNT_WORDS, key=len, reverse=True)) + r")")
_FRACTIONS = r"\s*(?:daily\s+)?(?:fractions?|fx|sessions?)\b"
_GY_UNIT = re.compile(r"\dGy|\d\s+Gy", re.I)
_DOSE_PATTERNS = (
    # 30 Gy in 10 fractions, 24 Gy/2 fx, 8 Gy in a single fraction, 18-36 Gy in 5-6 fractions
    ("total_n", re.compile(_NUM_RANGE + _GY + r"\s*(?:in|/|over|delivered in)\s*" + _COUNT
                           + _FRACTIONS, re.I)),
    # a single fraction of 8 Gy, single-fraction 24 Gy
    ("single_total", re.compile(r"\bsingle[\s-]fraction\s+(?:of\s+)?" + _NUM_RANGE + _GY, re.I)),
    # 8 Gy single fraction, a single 8 Gy fraction
    ("single_total", re.compile(_NUM_RANGE + _GY + r"\s+(?:as\s+a\s+)?single[\s-]fraction", re.I)),
    ("single_total", re.compile(r"\bsingle\s+" + _NUM_RANGE + _GY + r"\s+fraction", re.I)),
    # 8 Gy x 1 (dose per fraction x number)
    ("per_n", re.compile(_NUM_RANGE + _GY + r"\s*[x\u00d7]\s*(\d+)\b", re.I)),
    # 10 x 3 Gy (number x dose per fraction)
    ("n_per", re.compile(r"\b(\d+)\s*[x\u00d7]\s*" + _NUM_RANGE + _GY, re.I)),
)


@dataclass(frozen=True)
class _DoseRules:
    sbrt_single_min: float = 12.0
    sbrt_per_fraction_min: float = 5.0
    sbrt_max_fractions: float = 5.0
    conv_single_max: float = 8.0
    conv_per_fraction_max: float = 4.0
    conv_min_fractions: float = 5.0

    def classify(self, per_fraction: float, fractions: float) -> str | None:
        if fractions <= 1:
            if per_fraction >= self.sbrt_single_min:
                return "sbrt_srs"
            return "conventional_ebrt" if per_fraction <= self.conv_single_max else None
        if fractions <= self.sbrt_max_fractions and per_fraction >= self.sbrt_per_fraction_min:
            return "sbrt_srs"
        if fractions >= self.conv_min_fractions and per_fraction <= self.conv_per_fraction_max:
            return "conventional_ebrt"
        return None


def _dose_rules(raw: Any) -> _DoseRules:
    if not isinstance(raw, Mapping):
        raise _SchemaError("'dose_rules' must be an object")
    sbrt = raw.get("sbrt_srs", {})
    conv = raw.get("conventional_ebrt", {})
    try:
        return _DoseRules(
            float(sbrt.get("single_fraction_min_gy", 12)),
            float(sbrt.get("per_fraction_min_gy", 5)), float(sbrt.get("max_fractions", 5)),
            float(conv.get("single_fraction_max_gy", 8)), float(conv.get("per_fraction_max_gy", 4)),
            float(conv.get("min_fractions", 5)))
    except (TypeError, ValueError, AttributeError) as exc:
        raise _SchemaError(f"'dose_rules' has a non-numeric value ({exc})") from None


def _midpoint(low: str, high: str | None) -> float:
    return (float(low) + float(high)) / 2 if high else float(low)


def _count(text: str) -> float:
    key = " ".join(text.lower().split())
    if key in _COUNT_WORDS:
        return float(_COUNT_WORDS[key])
    numbers = [float(x) for x in re.findall(r"\d+", key)]
    return sum(numbers) / len(numbers)


def _dose_cues(raw: str, rules: _DoseRules) -> Iterator[tuple[str, int, int]]:
    """(tag id, start, end) for every dose schedule in ``raw`` that names a technique."""
    if not _GY_UNIT.search(raw):
        return
    for kind, pattern in _DOSE_PATTERNS:
        for m in pattern.finditer(raw):
            g = m.groups()
            if kind == "total_n":
                total, n = _midpoint(g[0], g[1]), _count(g[2])
                per = total / n if n else 0.0
            elif kind == "single_total":
                per, n = _midpoint(g[0], g[1]), 1.0
            elif kind == "per_n":
                per, n = _midpoint(g[0], g[1]), float(g[2])
            else:
                n, per = float(g[0]), _midpoint(g[1], g[2])
            tag = rules.classify(per, n) if n else None
            if tag:
                yield tag, m.start(), m.end()


# --------------------------------------------------------------------------------------------
# Suggestion


def suggest(record: ArticleRecord, taxonomy: Taxonomy) -> list[Suggestion]:
    """Technique tags for ``record``: one :class:`Suggestion` per tag, in vocabulary order.

    Leaves come from specific MeSH UIs, terms, guarded abbreviations and dose schedules; groups
    only from group-level evidence and only when no leaf below them (and nothing that explains
    them) is suggested. Deterministic: the same record always gives the same list.
    """
    doc = _Doc(record)
    evidence: dict[str, tuple[int, str]] = {}

    def add(tag_id: str, rank: int, reason: str) -> None:
        best = evidence.get(tag_id)
        if best is None or rank < best[0]:
            evidence[tag_id] = (rank, reason)

    _mesh_evidence(doc, taxonomy, add)
    _text_evidence(doc, taxonomy, add)
    kept = {t: e for t, e in evidence.items() if taxonomy._context_ok(t, doc)}
    _apply_implies(kept, doc, taxonomy)
    chosen = _resolve_groups(kept, taxonomy)
    return [Suggestion(t, kept[t][1]) for t in sorted(chosen, key=taxonomy._order.__getitem__)]


def _mesh_evidence(doc: _Doc, tax: Taxonomy, add: _Adder) -> None:
    for ui in doc.mesh:
        for tag_id, kind in tax._mesh_index.get(ui, ()):
            rank = _RANK_MESH if kind == "specific" else _RANK_MESH_BROAD
            add(tag_id, rank, doc.mesh_reason(ui, ui))


def _text_evidence(doc: _Doc, tax: Taxonomy, add: _Adder) -> None:
    labels = tax._labels
    for field in doc.fields:
        rank = _RANK_FIELD[field.name]
        for hit in tax._terms.scan(field.folded):
            target = hit.term.target
            if not target or field.dismissed(field.folded.starts[hit.first], hit.first):
                continue  # a stop phrase, a negation or an exclusion criterion
            quote = field.folded.quote(field.raw, hit.first, hit.last)
            add(target, rank, f"{field.name}: '{quote}'")
            for other in hit.term.also:
                add(other, _RANK_COTAG, f"{field.name}: '{quote}' (with {labels[target]})")
        if not (field.name == "title" and _mostly_capitals(field.raw)):
            for ab, start, end in tax._abbrevs.scan(field):
                if not field.dismissed(start) and tax._guard_ok(ab, doc, field.raw, end):
                    add(ab.target, rank, f"{field.name}: '{field.raw[start:end]}'")
        if field.name != "keyword":
            for tag_id, start, end in _dose_cues(field.raw, tax._dose_rules):
                if field.dismissed(start):
                    continue
                quote = " ".join(field.raw[start:end].split())
                add(tag_id, rank, f"{field.name}: '{quote}'")


def _apply_implies(kept: dict[str, tuple[int, str]], doc: _Doc, tax: Taxonomy) -> None:
    """Tag-level co-suggestions (MISt -> percutaneous screws, hybrid -> SBRT), to a fixpoint."""
    changed = True
    while changed:
        changed = False
        for tag_id in sorted(kept, key=tax._order.__getitem__):
            for implied in tax._implies.get(tag_id, ()):
                if implied not in kept and tax._context_ok(implied, doc):
                    label = tax._by_id[tag_id].label
                    kept[implied] = (_RANK_COTAG, f"{kept[tag_id][1]} (with {label})")
                    changed = True


def _resolve_groups(kept: Mapping[str, tuple[int, str]], tax: Taxonomy) -> set[str]:
    leaves = {t for t in kept if tax._by_id[t].kind == "leaf"}
    groups = {t for t in kept if tax._by_id[t].kind == "group"
              and not (tax.descendants(t) & leaves)}

    def explained(group: str) -> bool:
        refs = set().union(*(tax.descendants(r) for r in tax._explained_by.get(group, ())))
        return bool(refs & (leaves | (groups - {group})))

    return leaves | {g for g in groups if not explained(g)}


# --------------------------------------------------------------------------------------------
# Facets


def facets(record: ArticleRecord, taxonomy: Taxonomy) -> list[FacetValue]:
    """Histology, region, design and score values for ``record``, each with a quoted reason.

    Order: by facet (see :data:`FACETS`), then by vocabulary order of the values. Design gives
    at most one value (the brief's precedence decides between several).
    """
    doc = _Doc(record)
    out: list[FacetValue] = []
    for name in FACETS:
        if name == "design":
            found = taxonomy._design.decide(doc, taxonomy)
        else:
            found = _facet_matches(name, doc, taxonomy)
            if name == "region":
                _region_extras(doc, taxonomy, found)
        order = [v for v, _ in taxonomy.facet_values[name]]
        for value in sorted(found, key=order.index):
            out.append(FacetValue(name, value, taxonomy._facet_labels[(name, value)], found[value]))
    return out


def _facet_matches(name: str, doc: _Doc, tax: Taxonomy) -> dict[str, str]:
    spec = tax._facets[name]
    found: dict[str, tuple[int, str]] = {}

    def add(value: str, rank: int, reason: str) -> None:
        if value not in found or rank < found[value][0]:
            found[value] = (rank, reason)

    for ui, heading in doc.mesh.items():
        quals = {q.casefold() for q in heading.qualifiers}
        for value, fallback, is_site in spec.mesh.get(ui, ()):
            # Lung Neoplasms/secondary = metastases *to* the lung, not a lung primary.
            if not (is_site and quals & spec.ignore_qualifiers):
                add(value, _RANK_MESH, doc.mesh_reason(ui, fallback))
    for field in doc.fields:
        rank = _RANK_FIELD[field.name]
        for hit in spec.terms.scan(field.folded):
            start = field.folded.starts[hit.first]
            if not hit.term.target or (spec.skip_excluded and field.dismissed(start, hit.first)):
                continue
            quote = field.folded.quote(field.raw, hit.first, hit.last)
            for value in (hit.term.target, *hit.term.also):
                add(value, rank, f"{field.name}: '{quote}'")
        if not (field.name == "title" and _mostly_capitals(field.raw)):
            for ab, start, end in spec.abbrevs.scan(field):
                if spec.skip_excluded and field.dismissed(start):
                    continue
                if tax._guard_ok(ab, doc, field.raw, end):
                    add(ab.target, rank, f"{field.name}: '{field.raw[start:end]}'")
        for value, reason in _counted(spec, field, doc, tax):
            add(value, rank, reason)
    return {v: r for v, (_, r) in found.items()}


def _counted(spec: _FacetSpec, field: _Field, doc: _Doc, tax: Taxonomy
             ) -> Iterator[tuple[str, str]]:
    """(value, reason) for bare site words counted in a breakdown: '(breast 6, lung 5)'."""
    if spec.counted is None or field.name == "keyword":
        return
    if spec.counted_context and not tax._has_context(spec.counted_context, doc):
        return
    for m in spec.counted.finditer(field.raw):
        if not (spec.skip_excluded and field.dismissed(m.start())):
            value = spec.counted_values[m.group(1).casefold()]
            yield value, f"{field.name}: '{m.group(0).strip()}'"


# -- region: vertebral levels, coordinated region words, multiple regions ----------------------

_REGION_OF = {"C": "cervical", "T": "thoracic", "L": "lumbar", "S": "sacral"}
_SEQUENCE = ([f"C{i}" for i in range(1, 8)] + [f"T{i}" for i in range(1, 13)]
             + [f"L{i}" for i in range(1, 6)] + [f"S{i}" for i in range(1, 6)])
_POSITION = {lvl: i for i, lvl in enumerate(_SEQUENCE)}
_LEVEL = re.compile(
    r"(?<![A-Za-z0-9])(Th|[CTLSD])(\d{1,2})"
    r"(?:\s*(?:[-\u2013\u2014/]|to)\s*(Th|[CTLSD])?(\d{1,2}))?(?![0-9A-Za-z])")
_NOT_A_LEVEL = re.compile(
    r"\s*-?\s*(?:weighted|W\b|WI\b|hyper|hypo|signal|map|relaxation|stage)", re.I)
_COORDINATED = re.compile(
    r"\b(cervical|thoracic|lumbar|sacral)((?:\s*(?:,|and|or|/|&)\s*(?:cervical|thoracic|lumbar|"
    r"sacral))+)\s+(?:spines?|spinal|vertebrae|vertebral|vertebra|regions?|segments?|levels?)\b",
    re.I)


class _LevelRules:
    """Which levels are junctional (SINS) and which words make a lone 'T9' a vertebral level."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.junctional = frozenset(raw.get(
            "junctional", ["C1", "C2", "C7", "T1", "T2", "T11", "T12", "L1", "L5", "S1"]))
        self.neighbours = frozenset(_stem(str(w).casefold()) for w in raw.get(
            "neighbour_words", ["vertebra", "vertebral", "level", "body"]))


def _level_name(prefix: str | None, number: str, default: str) -> str | None:
    letter = {"Th": "T", "D": "T"}.get(prefix or default, prefix or default)
    name = f"{letter}{int(number)}"
    return name if name in _POSITION else None


def _levels_in(raw: str, rules: _LevelRules, spine_context: bool
               ) -> Iterator[tuple[list[str], int, int]]:
    """Vertebral levels in ``raw``: ranges always, single levels only next to a spine word."""
    for m in _LEVEL.finditer(raw):
        prefix, first, prefix2, second = m.groups()
        if prefix == "D" and not spine_context:
            continue
        if second is None and (_NOT_A_LEVEL.match(raw, m.end())
                               or not _next_to_spine_word(raw, m, rules)):
            continue
        start = _level_name(prefix, first, prefix)
        end = _level_name(prefix2, second, prefix) if second else start
        if start is None or end is None:
            continue
        a, b = sorted((_POSITION[start], _POSITION[end]))
        yield _SEQUENCE[a:b + 1], m.start(), m.end()


def _next_to_spine_word(raw: str, m: re.Match[str], rules: _LevelRules) -> bool:
    after = re.findall(r"[A-Za-z]+", raw[m.end():m.end() + 40])[:2]
    before = re.findall(r"[A-Za-z]+", raw[max(0, m.start() - 30):m.start()])[-1:]
    return any(_stem(w.casefold()) in rules.neighbours for w in after + before)


def _region_extras(doc: _Doc, tax: Taxonomy, found: dict[str, str]) -> None:
    """Add levels, coordinated phrases ('thoracic and lumbar spine'), multiple and junctional."""
    spine = tax._has_context("spine", doc) if "spine" in tax._contexts else True
    for field in doc.fields:
        for m in _COORDINATED.finditer(field.raw):
            words = re.findall(r"cervical|thoracic|lumbar|sacral", m.group(0), re.I)
            for word in words:
                found.setdefault(word.lower(), f"{field.name}: '{' '.join(m.group(0).split())}'")
        for levels, start, end in _levels_in(field.raw, tax._levels, spine):
            reason = f"{field.name}: '{' '.join(field.raw[start:end].split())}'"
            regions = {_REGION_OF[lvl[0]] for lvl in levels}
            for region in regions:
                found.setdefault(region, reason)
            # Brief 3.2: a range crossing regions is junctional; otherwise the levels must all
            # lie in a SINS junctional zone (T12 fracture, C1-C2), not merely touch one (C3-C7).
            if len(regions) > 1 or set(levels) <= tax._levels.junctional:
                found.setdefault("junctional", reason)
    base = [r for r in ("cervical", "thoracic", "lumbar", "sacral") if r in found]
    if len(base) > 1:
        found.setdefault("multiple_regions", "regions: " + ", ".join(base))


# -- design ----------------------------------------------------------------------------------


_SMALL_NUMBERS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
                  "fourteen|fifteen|sixteen|seventeen|eighteen|nineteen")
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
#: "Twelve patients were treated", "We report 11 patients": a series, when nothing else says so.
_PATIENT_COUNT = re.compile(
    rf"\b(?:\d+|(?:{_TENS})(?:[- ](?:{_SMALL_NUMBERS}))?|{_SMALL_NUMBERS}|(?:one|two|three) hundred"
    rf"(?: and [a-z-]+)?)\s+(?:consecutive\s+)?(?:patients|cases|adults|children)\b", re.I)


class _DesignRules:
    """Study design from publication types, design MeSH headings and text cues (brief 3.3)."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.precedence = [str(v["id"]) for v in raw.get("values", ())]
        self.strong = frozenset(raw.get("strong", ()))
        self.by_ui: dict[str, str] = {}
        self.by_name: dict[str, str] = {}
        for pt in raw.get("publication_types", ()):
            self.by_ui[str(pt["ui"])] = str(pt["value"])
            self.by_name[str(pt["name"]).casefold()] = str(pt["value"])
        self.mesh = {str(m["ui"]): (str(m["value"]), str(m.get("heading", m["ui"])))
                     for m in raw.get("mesh", ())}
        cues = raw.get("text_cues", {})
        self.cues = _PhraseIndex(_make_term(text, cue) for cue, texts in cues.items()
                                 for text in texts)
        for name in ("values", "publication_types"):
            if not raw.get(name):
                raise _SchemaError(f"facet 'design' needs {name!r}")
        unknown = {v for v in (*self.by_ui.values(), *self.strong) if v not in self.precedence}
        if unknown:
            raise _SchemaError(f"facet 'design' refers to unknown values {sorted(unknown)}")

    def _cues_in(self, doc: _Doc, names: Sequence[str]) -> dict[str, str]:
        """First occurrence of each text cue in the named fields, with its quoted reason."""
        out: dict[str, str] = {}
        for field in doc.fields:
            if field.name in names:
                for hit in self.cues.scan(field.folded):
                    quote = field.folded.quote(field.raw, hit.first, hit.last)
                    out.setdefault(hit.term.target, f"{field.name}: '{quote}'")
        return out

    def decide(self, doc: _Doc, tax: Taxonomy) -> dict[str, str]:
        cands: dict[str, str] = {}
        for pt in doc.record.publication_types:
            key = pt.strip()
            value = self.by_ui.get(key.upper()) or self.by_name.get(key.casefold())
            if value:
                cands.setdefault(value, f"publication type: {key}")
        title = self._cues_in(doc, ("title",))
        text = self._cues_in(doc, ("title", "abstract"))
        for cue in ("systematic_review", "meta_analysis"):
            if cue in title:
                cands.setdefault(cue, title[cue])
        if "narrative_review" in cands and "systematic_review" in text:
            cands.setdefault("systematic_review", text["systematic_review"])
        if not (set(cands) & self.strong):
            self._weak_evidence(doc, text, cands)
        if not cands:
            patients = _PATIENT_COUNT.search(doc.record.abstract or "")
            if not patients:
                return {}
            # Brief 3.3: most spine-oncology papers without any design label are case series.
            cands["case_series"] = f"abstract: '{' '.join(patients.group(0).split())}'"
        best = min(cands, key=self.precedence.index)
        return {best: cands[best]}

    def _weak_evidence(self, doc: _Doc, text: dict[str, str], cands: dict[str, str]) -> None:
        """Designs read from MeSH headings and wording when no explicit PT settles it."""
        flags: dict[str, str] = {}
        for ui, (flag, heading) in self.mesh.items():
            if ui in doc.mesh:
                flags.setdefault(flag, doc.mesh_reason(ui, heading))
        for cue, reason in text.items():
            flags.setdefault(cue, reason)
        if "rct" in flags and "rct_negations" not in flags:
            cands.setdefault("rct", flags["rct"])
        for cue in ("systematic_review", "validation_reliability", "case_control",
                    "cross_sectional", "case_series", "case_report"):
            if cue in flags:
                cands.setdefault(cue, flags[cue])
        comparative = "comparative" in flags or "cohort" in flags or any(
            p.strip().casefold() == "comparative study" for p in doc.record.publication_types)
        if "retrospective" in flags:
            cands.setdefault("retrospective_cohort" if comparative else "case_series",
                             flags["retrospective"])
        elif "prospective" in flags and "prospective_but_retrospective" not in flags:
            cands.setdefault("prospective_cohort", flags["prospective"])


# --------------------------------------------------------------------------------------------
# Loading


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """The vocabulary in ``path`` (default: the shipped ``taxonomy.json``), compiled.

    Cached per file (path, size and modification time), so callers may call it freely. A
    missing, unreadable or malformed file raises :class:`~spinelib.errors.SpineLibError` with a
    one-line message naming the file and the problem.
    """
    target = Path(path) if path is not None else paths.resource("taxonomy.json")
    try:
        stat = target.stat()
    except FileNotFoundError:
        raise SpineLibError(f"taxonomy file {target} not found") from None
    except OSError as exc:
        raise SpineLibError(f"cannot read taxonomy file {target}: {exc.strerror or exc}") from None
    return _load_cached(str(target), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, _mtime_ns: int, _size: int) -> Taxonomy:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpineLibError(f"cannot read taxonomy file {path}: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpineLibError(f"taxonomy file {path} is not valid JSON "
                            f"(line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    try:
        return Taxonomy(data)
    except _SchemaError as exc:
        raise SpineLibError(f"taxonomy file {path}: {exc}") from None
    except (KeyError, TypeError, AttributeError, ValueError, re.error) as exc:
        raise SpineLibError(f"taxonomy file {path} has an unexpected structure "
                            f"({type(exc).__name__}: {exc})") from None
