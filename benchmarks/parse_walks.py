"""The lower bounds beside ``parse_pubmed_10k`` (issue 19): how long any PubMed record builder
must take, however it is written, measured on the same bytes.

The row's floor is the bare walk (:func:`bare_walk`): the guarded C parser building every
``PubmedArticle`` and dropping it, no element looked at from Python, each taken as the
reader takes them (:func:`~spinelib.formats.safexml.iter_top_level`: no parser events).
A builder cannot stop there: it reads every element's text and attributes (the synthetic
records hold about 230 elements each, and SpineLib reads all of them but the country and
the publication status).
:func:`read_walk` is that and nothing more: each element visited once from Python, its text
and its attributes read, nothing built. Its time is the least a builder on this parser can
take.

lxml (libxml2) is the other C parser the issue names. It is installed with citeproc-py, so
its two walks are timed too when it can be imported: its bare walk is quicker than
ElementTree's, but every element read from Python becomes a proxy object, which gives the
saving back (:func:`lxml_walks`). The parser options are the safe ones (no entity expansion,
no DTD, no network), as a real reader would need.

Each walk returns the number of articles, so the caller checks it walked the whole file.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from spinelib.formats.safexml import chunks_of, iter_top_level

ARTICLE = "PubmedArticle"


def bare_walk(data: bytes) -> int:
    """The articles built by the guarded C parser and dropped: the row's floor."""
    count = 0
    for article in iter_top_level(chunks_of(data), (ARTICLE,)):
        count += 1
        article.clear()
    return count


def read_walk(data: bytes) -> int:
    """:func:`bare_walk`, and every element of each article visited once from Python, its
    text and attributes read (``items()`` allocates no dict for an element without any)."""
    count = 0
    read = 0
    for article in iter_top_level(chunks_of(data), (ARTICLE,)):
        count += 1
        for element in article.iter():
            read += len(element.text or "") + len(element.items())
        article.clear()
    return count if read else 0


def _lxml_walk(data: bytes, read_elements: bool) -> int:
    from lxml import etree  # citeproc-py's dependency; not SpineLib's

    parser = etree.XMLPullParser(events=("end",), tag=ARTICLE, resolve_entities=False,
                                 no_network=True, load_dtd=False)
    count = 0
    read = 0
    for chunk in chunks_of(data):
        parser.feed(chunk)
        for _event, article in parser.read_events():
            count += 1
            if read_elements:
                for element in article.iter():
                    read += len(element.text or "") + len(element.items())
            article.clear()
            # lxml keeps cleared siblings under the root: drop them, so memory stays flat
            # as ElementTree's walk does.
            while article.getprevious() is not None:
                del article.getparent()[0]
    parser.close()
    return count if read or not read_elements else 0


def lxml_walks() -> dict[str, Callable[[bytes], int]] | None:
    """{"lxml_bare_walk": ..., "lxml_read_walk": ...}; None when lxml is not installed."""
    try:
        import lxml.etree  # noqa: F401
    except ImportError:
        return None
    return {"lxml_bare_walk": lambda data: _lxml_walk(data, False),
            "lxml_read_walk": lambda data: _lxml_walk(data, True)}


def timed_walks(data: bytes, articles: int) -> dict[str, float | str]:
    """Each walk above but the floor, once, in seconds (``<name>_s``); every walk must find
    ``articles``. ``lxml`` names the version, or why it was not timed."""
    walks: dict[str, Callable[[bytes], int]] = {"read_walk": read_walk}
    extra: dict[str, float | str] = {}
    more = lxml_walks()
    if more is None:
        extra["lxml"] = "not installed"
    else:
        from lxml import etree

        walks.update(more)
        extra["lxml"] = ".".join(map(str, etree.LXML_VERSION[:3]))
    for name, walk in walks.items():
        start = time.perf_counter()
        found = walk(data)
        extra[f"{name}_s"] = round(time.perf_counter() - start, 3)
        if found != articles:
            raise RuntimeError(f"{name} found {found} of {articles} articles")
    return extra
