"""Stable, unique citation keys: ``{firstauthor}{year}{firstword}`` in lower-case ASCII.

Keys are generated once, stored, and never changed unless the user asks (``spinelib rekey``).
The generator is pure: the caller passes a predicate that says whether a key is taken.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable

from spinelib.pubstate import before_publication, stored_state
from spinelib.records import ArticleRecord
from spinelib.text import ascii_fold

#: Words skipped when picking the first word of the title (English function words).
STOP_WORDS = frozenset((
    "a an the of on in at to for and or but with without from by as is are was were be "
    "been being into onto over under versus vs via do does did its it this that these those "
    "what which who whom whose how why when where than then").split())


def base_key(record: ArticleRecord) -> str:
    """The key before collision suffixes: author + year + first significant title word.

    The author is the first word of the first author's family name after its lower-case
    particles ("de la Cruz" -> "cruz", "van der Berg" -> "berg"), as BibTeX reads a
    name's "von" part and JabRef keys it; a capitalised particle is the name ("Van Dyke").
    An edited book without authors is keyed by its first editor, as Better BibTeX and
    JabRef key it."""
    word = ""
    for token in re.split(r"[\s\-/:;,.()\[\]'\"?!]+", record.title):
        folded = ascii_fold(token)
        if folded and folded not in STOP_WORDS and not folded.isdigit():
            word = folded[:20]
            break
    return f"{_author_part(record) or NO_AUTHOR}{_date_part(record) or NO_DATE}{word}"


#: What stands in a key for a missing author, and for a missing date ("anonnd…").
NO_AUTHOR, NO_DATE = "anon", "nd"
#: The longest key taken (a longer one is a paste gone wrong, not a key).
MAX_KEY = 100


def _author_part(record: ArticleRecord) -> str:
    """The key's author word ('' when there is none)."""
    people = record.authors or record.editors
    family = (people[0].family or people[0].collective).split() if people else []
    while len(family) > 1 and family[0].islower():
        family = family[1:]
    return ascii_fold(family[0])[:20] if family else ""


def _date_part(record: ArticleRecord) -> str:
    """The key's date: the year, or a paper in press saying so ("smithinpress…", as JabRef
    keys year = {in press}); '' when there is neither."""
    if record.year:
        return str(record.year)
    return stored_state(record.pubstate) if before_publication(record.pubstate) else ""


def has_name_and_date(record: ArticleRecord) -> bool:
    """True when :func:`base_key` keys ``record`` by a person or group and a date (a year, or
    "in press"), not by "anon" or "nd"."""
    return bool(_author_part(record) and _date_part(record))


def is_stand_in(key: str, record: ArticleRecord) -> bool:
    """True when ``key`` is one generated for ``record`` while it lacked a first author or a
    date: "anon" or its author, then "nd" or its year, at least one of them a stand-in, then
    letters or digits (a title word, perhaps of an earlier title, and a collision suffix):
    "anonnd…", "anon2024…", "smithnd…". Such a key nobody chose; the article may trade it
    for a real one once it has both (a paper in press, "smithinpress…", is dated)."""
    if has_name_and_date(record):
        return False
    folded = key.casefold()
    for author in {NO_AUTHOR, _author_part(record)} - {""}:
        for date in {NO_DATE, _date_part(record)} - {""}:
            if author != NO_AUTHOR and date != NO_DATE:
                continue  # neither part a stand-in: a real key's start
            if folded.startswith(author + date) and re.fullmatch(
                    r"[a-z0-9]*", folded[len(author + date):]):
                return True
    return False


def rekeyed(new_key: str, old_key: str) -> str:
    """How a stand-in key's replacement is said (an import's note, a refresh's report)."""
    return f"citation key now {new_key} ({old_key} still finds it)"


def generate_citekey(record: ArticleRecord, is_taken: Callable[[str], bool]) -> str:
    """A key for ``record`` that ``is_taken`` reports free: its :func:`base_key`, then
    base+a … base+z, base+aa …"""
    base = base_key(record)
    if not is_taken(base):
        return base
    return base + key_suffix(first_free_suffix(base, is_taken))


def first_free_suffix(base: str, is_taken: Callable[[str], bool], start: int = 0) -> int:
    """The number of the first collision suffix from ``start`` on whose key (``base`` and
    :func:`key_suffix` of it) ``is_taken`` reports free."""
    n = start
    while is_taken(base + key_suffix(n)):
        n += 1
    return n


class FreeKeys:
    """Free keys for a caller whose taken keys only ever grow (an import's run, an export):
    a suffix once found taken stays taken, so each base's search goes on from where the last
    one for it stopped (in any letter case). A run of thousands of records on one base
    ("anonnd…" for author- and dateless abstracts) tried every suffix again for each: 12.5
    million tries for 5,000. The caller takes each key it is given."""

    def __init__(self, is_taken: Callable[[str], bool]) -> None:
        self._is_taken = is_taken
        #: Per base (case-folded), the first suffix not known to be taken.
        self._next: dict[str, int] = {}

    def free(self, base: str) -> str:
        """``base`` when it is free, else the key :func:`generate_citekey` would find."""
        if not self._is_taken(base):
            return base
        folded = base.casefold()
        n = first_free_suffix(base, self._is_taken, self._next.get(folded, 0))
        self._next[folded] = n + 1
        return base + key_suffix(n)


def key_suffix(n: int) -> str:
    """The ``n``-th collision suffix, from 0: "a" … "z" (25), "aa" (26) … "zz", "aaa" …"""
    letters = string.ascii_lowercase
    length = 1
    while n >= len(letters) ** length:
        n -= len(letters) ** length
        length += 1
    s = ""
    for _ in range(length):
        n, r = divmod(n, len(letters))
        s = letters[r] + s
    return s


def is_valid_citekey(key: str) -> bool:
    """Keys that BibTeX, biber and pandoc all accept without quoting."""
    return bool(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_:.\-+/]*", key)) and len(key) <= MAX_KEY


def key_form_problem(key: str) -> str:
    """Why a typed ``key`` cannot be a citation key ('' when it can): one wording for every
    place a key is typed (``add --key``, ``rekey``, the forms' Citation key field)."""
    if is_valid_citekey(key):
        return ""
    return (f"{key!r} is not a valid citation key: letters, digits and _:.-+/ only (no "
            f"spaces), a letter or digit first, at most {MAX_KEY} characters")
