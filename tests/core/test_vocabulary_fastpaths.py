"""The vocabulary's fast paths (issue 19) give exactly what the plain code gives.

``test_vocabulary_golden.py`` freezes the whole suggester's answers on real and generated
records; this file holds each shortcut to its plain form on random texts built to hit the
corners those records rarely do (possessives, joined prefixes after punctuation, 'co sto'
becoming the prefix 'costo', ranges with 'or', 'Gy (RBE) x 5', sentence ends before a
lower-case word, non-ASCII text that must take the full scan): folding against the
token-by-token loop it replaced, each anchored regex against ``finditer``, each
necessary-word test against the regex it spares, dose schedules against every pattern run
over the whole text. Seeds are fixed, so a failure repeats.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Sequence

import pytest

from spinelib.records import ArticleRecord
from spinelib.vocabulary import Taxonomy, context, document, dose, levels, load_taxonomy, sentences
from spinelib.vocabulary.document import Doc
from spinelib.vocabulary.folding import (
    _JOIN_PREFIXES,
    BARRIER,
    _gap_kind,
    fold_uncached,
    fold_word,
    stem,
)
from spinelib.vocabulary.scan import Anchored, AnchoredWords, ascii_lower, mentions

CASES = 4000


@pytest.fixture(scope="module")
def tax() -> Taxonomy:
    return load_taxonomy()


def texts(seed: int, pieces: Sequence[str], gaps: Sequence[str], most: int = 12
          ) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(CASES):
        text = "".join(rng.choice(gaps) + rng.choice(pieces)
                       for _ in range(rng.randint(0, most)))
        yield text + rng.choice(gaps)


# -- folding ---------------------------------------------------------------------------------


def fold_by_words(raw: str) -> tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...],
                                     dict[str, list[tuple[int, int]]]]:
    """The folding loop before issue 19's speed-up: every word placed one by one."""
    tokens: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    capitals: dict[str, list[tuple[int, int]]] = {}
    parts = re.split(r"([^\W_]+)", raw)
    pos = 0
    for original, gap in zip(parts[1::2], parts[0::2]):
        word = fold_word(original)
        start = pos + len(gap)
        pos = end = start + len(original)
        if not original.islower() or original == "re":
            capitals.setdefault(original, []).append((start, end))
        if gap != " ":
            if word == "s" and gap in ("'", "\u2019"):
                continue
            kind = _gap_kind(gap) if tokens else "soft"
            if kind == "barrier":
                tokens.append(BARRIER)
                starts.append(start)
                ends.append(start)
            elif kind == "join" and tokens and tokens[-1] in _JOIN_PREFIXES:
                tokens[-1] += word
                ends[-1] = end
                continue
        elif tokens and tokens[-1] in _JOIN_PREFIXES:
            tokens[-1] += word
            ends[-1] = end
            continue
        tokens.append(word)
        starts.append(start)
        ends.append(end)
    return tuple(map(stem, tokens)), tuple(starts), tuple(ends), capitals


WORDS = ["en", "re", "co", "sto", "pre", "non", "bloc", "Ewing", "s", "S", "RT", "SBRT", "A1",
         "12", "mini", "open", "tumour", "\u00c9", "\u017f", "colour", "The", "T11", "x",
         "screws", "vertebroplasty"]
GAPS = [" ", " ", " ", " ", "-", "\u2013", "'", "\u2019", ". ", ", ", "", "/", "  ", "\n",
        " (", ") ", "; ", ":", "?", " - ", "_"]


def test_folding_copies_runs_of_plain_words_exactly_as_the_word_loop_placed_them() -> None:
    for raw in texts(1, WORDS, GAPS):
        tokens, starts, ends, capitals = fold_by_words(raw)
        got = fold_uncached(raw)
        assert (got.tokens, got.starts, got.ends) == (tokens, starts, ends), raw
        assert got.capital_spans(frozenset(capitals) | {"open", "x"}) == capitals, raw
        where = got.positions_of(frozenset(got.tokens))
        assert where == {t: [i for i, u in enumerate(tokens) if u == t] for t in tokens}, raw


def test_a_prefix_made_by_joining_still_joins_the_next_word() -> None:
    # 'co' + 'sto' is the prefix 'costo': the word after it joins too, as it always did.
    assert fold_uncached("co-sto lumbar pain").tokens == ("costolumbar", "pain")
    assert fold_uncached("Ewing's sarcoma, en-bloc").tokens == ("ewing", "sarcoma", "|", "enbloc")


# -- anchored scans and necessary words ------------------------------------------------------

LEVEL_BITS = ["T", "Th", "C", "L", "S", "D", "x", "1", "12", "9", "-", "\u2013", " to ", "/",
              "weighted", "vertebra", "lumbar", "thoracic", " and ", ", ", "spine", "\u00e9",
              "cervical", "Sacral", "THORACIC"]


@pytest.mark.parametrize("scan, pattern", [
    (levels._LEVEL_SCAN, levels._LEVEL),
    (levels._COORDINATED_SCAN, levels._COORDINATED),
])
def test_level_and_region_scans_find_what_finditer_finds(scan: Anchored | AnchoredWords,
                                                        pattern: re.Pattern[str]) -> None:
    for raw in texts(2, LEVEL_BITS, ["", " ", "  ", "(", ")"]):
        want = [(m.span(), m.groups()) for m in pattern.finditer(raw)]
        assert [(m.span(), m.groups()) for m in scan.finditer(raw)] == want, raw
        assert [(m.span(), m.groups()) for m in scan.finditer(raw, ascii_lower(raw))] == want


def test_counted_sites_are_found_as_the_full_regex_finds_them(tax: Taxonomy) -> None:
    for spec in tax._facets.values():
        if spec.counted is None:
            continue
        assert spec.counted_scan is not None
        bits = [*spec.counted_values, "BREAST", "Lung", "n", "=", "(", ")", "6", "12.5", "%",
                "months", "\u00e9", "s", "x"]
        for raw in texts(3, bits, ["", " ", ", ", "  "]):
            want = [m.span() for m in spec.counted.finditer(raw)]
            assert [m.span() for m in spec.counted_scan.finditer(raw)] == want, raw


def test_a_text_without_the_necessary_words_has_no_match_of_their_regex() -> None:
    checks = [(document._EXCLUSION, document._EXCLUSION_WORDS),
              (context._ARMS, context._ARM_WORDS),
              ]
    bits = ["excluded", "EXCLUSION", "ineligible", "not eligible", "eligible", "randomised",
            "Randomly", "vs", "VS", "versus", "allocated", "assigned", "\u017f", "word"]
    for pattern, words in checks:
        for raw in texts(4, bits, [" ", "", ". "]):
            if pattern.search(raw):
                assert mentions(ascii_lower(raw), words), raw
    assert mentions(None, ("anything",))  # non-ASCII text: cannot tell, so the regex runs
    assert not mentions("abc def", ("de",), 0, 4)


def test_excluded_spans_and_arms_read_as_the_regexes_say() -> None:
    bits = ["Patients", "were", "excluded", "EXCLUDED", "randomised", "versus", "surgery", ".",
            "?", "\u00e9l\u00e9ments", "ineligible", "vs"]
    for raw in texts(5, bits, [" ", ". ", "\n"]):
        spans = tuple((m.start(), m.end()) for m in document._SENTENCE.finditer(raw)
                      if document._EXCLUSION.search(m.group()))
        assert document._excluded_spans.__wrapped__(raw) == spans, raw
        sents = sentences.sentences("abstract", raw)
        arms = context._Arms(raw, sents, ascii_lower(raw))
        assert list(arms) == [bool(context._ARMS.search(raw, s.start, s.end)) for s in sents]


def test_sentence_ends_are_the_matches_of_the_end_pattern() -> None:
    bits = ["a", "B", ".", "!", "?", " ", "\n", "\t", "(", "[", '"', "'", "1", "x", "..", ". ",
            ".\n", "\n\n", "  ", "vs.", "e.g."]
    for raw in texts(6, bits, [""], most=14):
        want = [(m.span(), m.group()) for m in sentences._SENTENCE_END.finditer(raw)]
        assert [(m.span(), m.group()) for m in sentences._sentence_ends(raw)] == want, raw


def test_phrase_sets_skip_the_regex_only_when_it_cannot_match(tax: Taxonomy) -> None:
    rng = random.Random(7)
    sets = list(tax._contexts.values())
    words = sorted({w for s in sets if s.regex for w in re.findall(r"[a-z]{2,}", s.regex.pattern)}
                   | {w for s in sets for w in s.words} | {"spine", "tumour", "the", "of"})
    for _ in range(CASES // 4):
        title = " ".join(rng.choice(words) for _ in range(rng.randint(0, 10)))
        doc = Doc(ArticleRecord(title=title, abstract=" ".join(rng.sample(words, 5))))
        for phrase_set in sets:
            plain = bool(phrase_set.words & doc.token_set or phrase_set.mesh & doc.mesh_uis
                         or (phrase_set.regex and phrase_set.regex.search(doc.joined)))
            assert phrase_set.found_in(doc) == plain, title


# -- doses -----------------------------------------------------------------------------------

DOSE_BITS = ["8", "24", "30", "1.8", "55.8", " ", "  ", "Gy", "gy", "GY", " Gy", "Gy (RBE)",
             " in ", " over ", "/", " to ", "-", "\u2013", " or ", "fractions", "fraction", "fx",
             "sessions", "single", "a single", " x ", "\u00d7", "x", "X", "daily ", "one",
             "five", "\n", ".", "of ", " as a ", "\u00e9", "5"]


def dose_by_full_scans(raw: str, rules: dose.DoseRules) -> list[tuple[str, int, int]]:
    """Every dose pattern run over the whole text, as before issue 19's speed-up."""
    if not dose._GY_UNIT.search(raw):
        return []
    out = []
    for kind, pattern in dose._DOSE_PATTERNS:
        for m in pattern.finditer(raw):
            per, n = dose._schedule(kind, m.groups())
            tag = rules.classify(per, n) if n else None
            if tag:
                out.append((tag, m.start(), m.end()))
    return out


#: A schedule's parts in order; each is kept, dropped or swapped for any bit (see below).
DOSE_SLOTS = [["", "single ", "a single ", "10 x ", "5\u00d7", "x"], ["8", "24", "1.8", "0.5"],
              ["", "-", " to ", " or ", "\u2013"], ["", "27", "30"], [" Gy", "Gy", " GY"],
              ["", " (RBE)"], [" in ", "/", " over ", " x ", " single fraction", " in a "],
              ["", "2", "five", "1.8 Gy", "single", "3-5"], ["", " daily"],
              [" fractions", " fx", " sessions", " fraction", ""], ["", ".", " each", "\u00e9"]]


def dose_texts(seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(CASES):
        parts = []
        for slot in DOSE_SLOTS * rng.randint(1, 2):
            roll = rng.random()
            if roll < 0.75:
                parts.append(rng.choice(slot))
            elif roll < 0.9:
                parts.append(rng.choice(DOSE_BITS))
        yield "".join(parts)


def test_dose_schedules_are_those_every_pattern_finds_in_the_whole_text() -> None:
    rules = dose.DoseRules()
    found = 0
    for raw in [*texts(8, DOSE_BITS, [""], most=12), *dose_texts(9)]:
        want = dose_by_full_scans(raw, rules)
        assert list(dose.dose_cues(raw, rules)) == want, raw
        found += bool(want)
    assert found > CASES // 20  # the random texts do hold schedules of every kind


def test_schedule_kinds_each_found_through_their_shortcut() -> None:
    rules = dose.DoseRules()
    for raw in ("30 Gy in 10 fractions", "a single fraction of 16 Gy", "8 Gy single fraction",
                "single 8 Gy fraction", "55.8 Gy in 1.8 Gy fractions", "8 Gy (RBE) x 1",
                "10 x 3 Gy", "24 or 27 Gy in 3 fx", "\u00c9t\u00e9: 30 Gy in 10 fractions"):
        assert list(dose.dose_cues(raw, rules)) == dose_by_full_scans(raw, rules) != [], raw
