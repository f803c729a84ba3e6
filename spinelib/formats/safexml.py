"""Untrusted XML at C speed: ElementTree's C parser and builder behind an expat guard (issue 19).

defusedxml's ElementTree layer refuses entity declarations by running the pure-Python
``XMLParser`` (a Python callback per element: about half of a PubMed file's parse time).
Here the document is read by the C ``XMLParser`` and ``TreeBuilder`` instead, and safety
comes from a second, tiny C expat parser, the *guard*, that sees every byte of the prolog
*before* the main parser does and refuses:

- any entity declaration (``<!ENTITY``, general or parameter, internal or external: XXE,
  billion laughs, an external entity reading a local file), and any unparsed entity;
- any reference to an external entity (expat's ``ExternalEntityRefHandler``).

Why the prolog is enough: XML allows entity declarations only in the document type
declaration, which must come before the document element; the guard stops at the root's
start tag. Without a declaration, an entity reference in the body is an "undefined entity"
error of the main parser (the C parser never loads an external DTD: expat's parameter-entity
parsing stays off), so nothing is ever expanded, fetched or read.

:class:`GuardedPullParser` is what callers use; :class:`EntitiesRefused` is raised for the
refusals above and :class:`xml.etree.ElementTree.ParseError` for malformed XML, so callers
word their own messages (see :mod:`spinelib.formats.pubmed_xml`).
"""

from __future__ import annotations

import contextlib
import pyexpat
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Protocol
from xml.etree.ElementTree import Element, ParseError, TreeBuilder, XMLParser

from spinelib.errors import FormatError

#: Bytes fed at once: big enough that per-feed overhead vanishes, small enough to stay flat.
CHUNK = 1 << 16


class EntitiesRefused(ValueError):
    """The document declares or references an entity (refused for safety, never expanded)."""


class _RootReached(Exception):
    """Internal: the guard saw the document element's start; the prolog is over."""


class _PrologGuard:
    """Expat over the prolog only: refuses entity declarations and external entities."""

    def __init__(self) -> None:
        self._parser = pyexpat.ParserCreate()
        # Never read an external DTD or parameter entity (the default, made explicit).
        self._parser.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_NEVER)
        self._parser.EntityDeclHandler = self._refuse
        self._parser.UnparsedEntityDeclHandler = self._refuse
        self._parser.ExternalEntityRefHandler = self._refuse_reference
        self._parser.StartElementHandler = self._root
        self.done = False

    def _refuse(self, *_args: object) -> None:
        raise EntitiesRefused("the document declares or references XML entities")

    def _refuse_reference(self, _context: str, _base: str | None, _system: str | None,
                          _public: str | None) -> int:
        raise EntitiesRefused("the document references an external entity")

    def _root(self, *_args: object) -> None:
        raise _RootReached

    def feed(self, chunk: bytes, final: bool = False) -> None:
        """Check the next bytes; a no-op once the document element has started."""
        if self.done:
            return
        try:
            self._parser.Parse(chunk, final)
        except _RootReached:
            self.done = True
        except pyexpat.ExpatError as exc:
            # Malformed before the root: the same expat error the main parser would give.
            self.done = True
            err = ParseError(str(exc))
            err.code, err.position = exc.code, (exc.lineno, exc.offset)
            raise err from None


class GuardedPullParser:
    """The C ``XMLParser`` and ``TreeBuilder`` reporting ``end`` events, every chunk reaching
    them only after the guard; optionally only the elements named in ``tags``.

    Promises: no entity is ever declared, expanded or fetched; an :class:`EntitiesRefused`
    or :class:`~xml.etree.ElementTree.ParseError` is raised before any element of a refused
    prolog is produced; the elements a chunk completed before a malformed spot are produced
    before its ParseError.

    Why not ``XMLPullParser``: it is this same parser and builder, but its events come back
    one Python generator step each (two million for 10,000 PubMed records, about a third of
    the parse). Here the C parser appends them to a plain list, the mechanism
    ``XMLPullParser`` itself uses (``_setevents``, CPython 3.4 onwards), and one list
    comprehension per chunk keeps the wanted ones (issue 19: parsing at C speed).
    """

    def __init__(self, tags: Collection[str] | None = None) -> None:
        self._guard = _PrologGuard()
        self._tags = frozenset(tags) if tags is not None else None
        self._events: list[tuple[str, Element]] = []
        self._parser = XMLParser(target=TreeBuilder())
        self._parser._setevents(self._events, ("end",))  # type: ignore[attr-defined]

    def _taken(self) -> list[Element]:
        tags, events = self._tags, self._events
        if tags is None:
            taken = [elem for _event, elem in events]
        else:
            taken = [elem for _event, elem in events if elem.tag in tags]
        events.clear()
        return taken

    def feed(self, chunk: bytes) -> Iterator[Element]:
        """Feed bytes; yields the elements completed by them (end events, document order)."""
        self._guard.feed(chunk)
        return self._after(self._parser.feed, chunk)

    def close(self) -> Iterator[Element]:
        """End of input: raises ParseError when the document is incomplete."""
        self._guard.feed(b"", final=True)
        return self._after(self._parser.close)

    def _after(self, step: Callable[..., object], *args: bytes) -> Iterator[Element]:
        return _stepped(self._taken, step, *args)


def _stepped(completed: Callable[[], list[Element]], step: Callable[..., object],
             *args: bytes) -> Iterator[Element]:
    """Run one parser step, then yield what ``completed`` says it completed; on a
    ParseError, those that ended before it first, then the error, as XMLPullParser does."""
    try:
        step(*args)
    except ParseError:
        yield from completed()
        raise
    yield from completed()


def utf8_document(text: str) -> bytes:
    """An XML document already decoded to text, as UTF-8 bytes whose declaration (if any)
    says so: the parser would otherwise decode them by the encoding first named."""
    text = re.sub(r"""^(\ufeff?\s*<\?xml[^>]*?encoding\s*=\s*["'])[^"']*""", r"\1UTF-8",
                  text, count=1)
    return text.lstrip("\ufeff").encode("utf-8")


def chunks_of(data: bytes, size: int = CHUNK) -> Iterator[bytes]:
    """``data`` in slices of ``size`` (memoryview slices: no copy of a large document)."""
    view = memoryview(data)
    for start in range(0, len(data), size):
        yield bytes(view[start:start + size])


class _Readable(Protocol):
    def read(self, size: int, /) -> bytes: ...


def read_chunks(stream: _Readable, size: int = CHUNK) -> Iterator[bytes]:
    """A binary stream in chunks of at most ``size`` bytes until its end."""
    while True:
        chunk = stream.read(size)
        if not chunk:
            return
        yield chunk


def iter_elements(chunks: Iterable[bytes], tags: Collection[str] | None = None
                  ) -> Iterator[Element]:
    """Every element of a document (or only those whose tag is in ``tags``), as it ends, fed
    from ``chunks`` through the guard. Elements left out are still built: they are the
    children of those produced."""
    parser = GuardedPullParser(tags)
    for chunk in chunks:
        yield from parser.feed(chunk)
    yield from parser.close()


def iter_top_level(chunks: Iterable[bytes], tags: Collection[str] | None) -> Iterator[Element]:
    """The document element's children whose tag is in ``tags``, each once it is complete,
    then the document element itself if its tag is in ``tags``; fed from ``chunks`` through
    the guard, as :func:`iter_elements` is, with the same errors.

    For documents whose records are the root's children (a PubMed article set): the parser
    reports no events at all, so none of the two million elements of a 10,000-record file
    costs a Python step (a sixth of that file's parse). A child is known complete once the
    next one has started, or the document has ended; the children handed out are then
    dropped from the root, so memory stays flat. The one difference from
    :func:`iter_elements`: at a malformed spot, the child just before it is not handed out
    even if it was complete (a truncated file's last child never is). ``tags`` None: every
    child, whatever its tag (an RDF document's nodes), and never the document element."""
    reader = _TopLevel(None if tags is None else frozenset(tags))
    for chunk in chunks:
        reader.guard.feed(chunk)
        yield from reader.step(reader.parser.feed, chunk)
    reader.guard.feed(b"", final=True)
    yield from reader.step(reader.parser.close)
    yield from reader.rest()


class _TopLevel:
    """:func:`iter_top_level`'s parser, and the document element once it has started."""

    def __init__(self, wanted: frozenset[str] | None) -> None:
        self.wanted = wanted
        self.guard = _PrologGuard()
        self.parser = XMLParser(target=TreeBuilder())
        # Start events only until the document element is known, then none at all
        # (_setevents: see GuardedPullParser).
        self._starts: list[tuple[str, Element]] = []
        self.parser._setevents(self._starts, ("start",))  # type: ignore[attr-defined]
        self.root: Element | None = None

    def step(self, step: Callable[..., object], *args: bytes) -> Iterator[Element]:
        """Run one parser step, then hand out the children it completed (:func:`_stepped`)."""
        return _stepped(self._complete, step, *args)

    def _complete(self) -> list[Element]:
        if self.root is None and self._starts:
            self.root = self._starts[0][1]
            self.parser._setevents(self._starts, ())  # type: ignore[attr-defined]
            self._starts.clear()
        root = self.root
        if root is None or self._wants(root) or len(root) < 2:
            return []
        done = root[:-1]
        del root[:-1]
        return [child for child in done if self.wanted is None or child.tag in self.wanted]

    def _wants(self, root: Element) -> bool:
        """Whether the document element itself is handed out (never for "every child")."""
        return self.wanted is not None and root.tag in self.wanted

    def rest(self) -> Iterator[Element]:
        """After the document's end: its last child, or the document element itself."""
        root = self.root
        if root is None:
            return
        if self._wants(root):
            yield root
        else:
            yield from (child for child in root
                        if self.wanted is None or child.tag in self.wanted)


def _undefined_entity(name: str, _is_parameter: int) -> None:
    # The main parser refuses a reference to an entity never declared (one an unread
    # external DTD might declare); the check must refuse what the parse will.
    raise ParseError(f"undefined entity &{name};")


def check_document(chunks: Iterable[bytes]) -> None:
    """Check a whole document without building anything (bare C expat, no Python callback
    per element): raises :class:`EntitiesRefused` or ParseError as the full parse would.

    Lets a caller refuse a truncated or hostile file before it stores any of its records."""
    guard = _PrologGuard()
    checker = pyexpat.ParserCreate()
    checker.SkippedEntityHandler = _undefined_entity
    try:
        for chunk in chunks:
            guard.feed(chunk)
            checker.Parse(chunk, False)
        guard.feed(b"", final=True)
        checker.Parse(b"", True)
    except pyexpat.ExpatError as exc:
        err = ParseError(str(exc))
        err.code, err.position = exc.code, (exc.lineno, exc.offset)
        raise err from None


@contextlib.contextmanager
def refused_whole(source_name: str) -> Iterator[None]:
    """A file read whole (EndNote XML, Zotero RDF): its refusal, entities declared or the
    XML malformed, as the FormatError that names it and says nothing was imported."""
    try:
        yield
    except EntitiesRefused:
        raise FormatError(f"{source_name} declares XML entities; SpineLib refuses to expand "
                          "them for safety") from None
    except ParseError as exc:
        raise FormatError(f"{source_name} is truncated or not well-formed XML ({exc}); "
                          "nothing was imported from it") from None
