"""Citation keys for a run of new records in the bulk import path (issue 19), decided with a
few set look-ups instead of one query per key tried.

Promise: the same keys and messages as the per-record merge gives the same records in the
same order (:meth:`spinelib.library.merge.Merger`): a record's own key when it is valid and
free (in the library, in any letter case, and earlier in the run), else
:func:`~spinelib.citekeys.generate_citekey`'s first free key. Every key that generation can
try starts with the record's :func:`~spinelib.citekeys.base_key`, so the library's keys
starting with the run's bases (fetched up front, in ranges of the NOCASE index) answer every
question it asks; a base not fetched yet (a record whose own key turned out to be used
earlier in the run) is fetched when first needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from spinelib.citekeys import FreeKeys, base_key, is_valid_citekey
from spinelib.records import ArticleRecord
from spinelib.store.connection import Connection


class KeyLookups(Protocol):
    """The set look-ups the book needs (:class:`spinelib.store.bulk.BulkSql`)."""

    def citekeys_in(self, conn: Connection, keys: Sequence[str]) -> set[str]: ...
    def citekeys_from(self, conn: Connection, bases: Sequence[str]) -> set[str]: ...


class CitekeyBook:
    """The keys of one run: what the library holds near them and what the run took."""

    def __init__(self, conn: Connection, lookups: KeyLookups,
                 recs: Sequence[ArticleRecord]) -> None:
        self._conn = conn
        self._lookups = lookups
        own = [r.citekey for r in recs if r.citekey and is_valid_citekey(r.citekey)]
        #: Lower-case keys known to be used in the library (own keys asked, bases fetched).
        self._library = lookups.citekeys_in(conn, own)
        self._run: set[str] = set()
        #: Keys are only ever taken during a run: each base's search goes on.
        self._free = FreeKeys(self._taken)
        # Records whose own key is missing, invalid or used in the library need a generated
        # key: fetch their bases' neighbourhoods in one go.
        self._bases = {id(r): base_key(r) for r in recs if not self._own_key_fits(r)}
        self._fetched: set[str] = set(self._bases.values())
        self._library |= lookups.citekeys_from(conn, sorted(self._fetched))

    def _own_key_fits(self, rec: ArticleRecord) -> bool:
        return bool(rec.citekey) and is_valid_citekey(rec.citekey) and \
            rec.citekey.lower() not in self._library

    def _taken(self, key: str) -> bool:
        low = key.lower()
        return low in self._run or low in self._library

    def assign(self, rec: ArticleRecord) -> tuple[str, list[str]]:
        """(the record's key, messages about it), the key now taken for the rest of the run."""
        messages: list[str] = []
        if rec.citekey and is_valid_citekey(rec.citekey) and not self._taken(rec.citekey):
            citekey = rec.citekey
        else:
            base = self._bases.get(id(rec)) or base_key(rec)
            if base not in self._fetched:
                self._fetched.add(base)
                self._library |= self._lookups.citekeys_from(self._conn, [base])
            citekey = self._free.free(base)
            if rec.citekey:
                why = "is already used" if is_valid_citekey(rec.citekey) else "is not a valid key"
                messages.append(f"key '{rec.citekey}' {why}; stored as '{citekey}'")
        self._run.add(citekey.lower())
        return citekey, messages
