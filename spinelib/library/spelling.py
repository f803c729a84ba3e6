"""A search's "Did you mean …?": a word the library holds no word like, replaced by the
nearest one it holds ("vertebroplsty" → "vertebroplasty", "kyphoplsaty" → "kyphoplasty",
"Bilksy" → "Bilsky"), or an abbreviation searched with what it stands for ("SINS", "BKP":
:func:`spelled_out_suggestion`), offered when a search found nothing.

Why: the words of spine oncology are long and easy to mistype, and a search with one
mistyped word finds nothing and said only that (PubMed offers its spelling suggestion the
same way).

Promises of :func:`spelling_suggestion`: only the search's plain words of four letters or
more are looked at, and those of its ``author:``, ``editor:``, ``title:``, ``journal:`` and
``mesh:`` terms (quoted phrases, other terms, exclusions and numbers as typed); a word
is replaced only when no word of the library's index starts with it, by the nearest word
the index holds that starts with the same letter (a similarity of at least 0.8, the more
frequent of equals); the suggestion is given only when it finds articles. None otherwise,
never an error: the suggestion is a courtesy, not a search.
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

from spinelib.curation_results import SearchSuggestion
from spinelib.library.fieldquery import parse
from spinelib.store.fieldsearch import leaves
from spinelib.text import accent_fold

if TYPE_CHECKING:
    from spinelib.library.facade import Library

#: The least likeness a replacement needs (difflib's ratio: 0.8 lets one letter in five
#: be wrong, swapped, missing or extra, as typing slips are).
CUTOFF = 0.8
#: A plain word worth checking: letters only, four or more.
_WORD = re.compile(r"[^\W\d_]{4,}")
#: What the search box's language reads as one token: a quoted phrase, or a run of text.
_TOKENS = re.compile(r'-?\w*:?"[^"]*"?|\S+')
#: Qualified terms whose values are words of the index (``author:bilksy``).
_WORDED_KINDS = frozenset({"author", "editor", "title", "journal", "mesh"})


def spelling_suggestion(lib: Library, user_text: str) -> SearchSuggestion | None:
    """``user_text`` with its mistyped words replaced (see the module's promises)."""
    parsed = parse(user_text)
    worded = [t.text for t in leaves(parsed.terms)
              if t.kind in _WORDED_KINDS and not t.negated]
    words = [w for w in re.findall(r'"[^"]*"|\S+', " ".join([parsed.free_text, *worded]))
             if _WORD.fullmatch(w)]
    suggested = user_text
    by_letter: dict[str, list[tuple[str, int]]] = {}  # a letter's words, read once
    with lib.store.reading() as conn:
        for word in dict.fromkeys(words):
            folded = accent_fold(word)
            if lib.store.queries.words_starting(conn, folded, limit=1):
                continue  # the library holds it (as the start of a word, as it is searched)
            if folded[0] not in by_letter:
                by_letter[folded[0]] = lib.store.queries.words_starting(conn, folded[0])
            nearest = _nearest(folded, by_letter[folded[0]])
            if nearest is None:
                continue
            suggested = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", nearest, suggested,
                               count=1, flags=re.IGNORECASE)
    if suggested == user_text:
        return None
    from spinelib.results import Query

    return SearchSuggestion(suggested) if lib.search.count(Query(search=suggested)) else None


def spelled_out_suggestion(lib: Library, user_text: str) -> SearchSuggestion | None:
    """``user_text`` with each of the vocabulary's abbreviations it holds as a plain word
    searched together with what the abbreviation stands for ("SINS" → ``(SINS OR "spinal
    instability neoplastic" OR "spine instability neoplastic score")``,
    :meth:`~spinelib.vocabulary.Taxonomy.spelled_out`), when that finds articles; else None.

    A paper spells the abbreviation out in its title and abstract where the surgeon types
    it: the search for "SINS" found nothing in a library holding Fourney's "Spinal
    instability neoplastic score". Only a word typed alone is read (not a quoted phrase's,
    an excluded word or a field's value), as written: abbreviations are case-sensitive."""
    tokens = _TOKENS.findall(user_text)
    free = set(_TOKENS.findall(parse(user_text).free_text))
    spelled: list[tuple[str, tuple[str, ...]]] = []
    for at, token in enumerate(tokens):
        phrases = lib.taxonomy.spelled_out(token) if token in free else ()
        if phrases:
            either = [token, *(f'"{p}"' if " " in p else p for p in phrases)]
            tokens[at] = f"({' OR '.join(either)})"
            free.discard(token)  # once: the same word again adds nothing
            spelled.append((token, phrases))
    if not spelled:
        return None
    from spinelib.results import Query

    suggested = " ".join(tokens)
    return (SearchSuggestion(suggested, tuple(spelled))
            if lib.search.count(Query(search=suggested)) else None)


def _nearest(word: str, known: list[tuple[str, int]]) -> str | None:
    """The known word most like ``word`` (at least :data:`CUTOFF`; the more articles hold
    it, the likelier among equals), or None."""
    best: tuple[float, int, str] | None = None
    matcher = difflib.SequenceMatcher(b=word, autojunk=False)
    for term, articles in known:
        if abs(len(term) - len(word)) > 2:
            continue
        matcher.set_seq1(term)
        if matcher.real_quick_ratio() < CUTOFF or matcher.quick_ratio() < CUTOFF:
            continue
        ratio = matcher.ratio()
        if ratio >= CUTOFF and (best is None or (ratio, articles) > best[:2]):
            best = (ratio, articles, term)
    return best[2] if best else None
