"""The user's own styles: a ``.csl`` file installed after validation, or a journal mapped to
a parent style (written as a CSL *dependent* style, the format the CSL repository itself uses
for journals that print another style's references).

Promises: nothing is installed unless it parses safely (defusedxml: no entities, no network),
is a CSL style, and renders with citeproc-py (a dependent style: its parent is installed);
the file is written atomically, so a failure leaves the styles folder as it was.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from spinelib.errors import FormatError, NotFound, SpineLibError
from spinelib.styles.catalogue import CSL_NS, StyleInfo, read_head, resolve, style_path, user_dir

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

#: The largest style file accepted (the biggest in the CSL repository is ~150 kB).
MAX_STYLE_BYTES = 2_000_000
_NS = {"c": CSL_NS}


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return slug[:80]


def validate_style(data: bytes, name: str) -> tuple[str, str, str]:
    """(id, title, parent) of the CSL style in ``data``; FormatError saying what is wrong.

    The id is the last part of the style's ``<id>`` URI (``…/styles/my-journal``), else
    the file name's stem.
    """
    root = _style_root(data, name)
    title = _style_title(root, name)
    style_id = _style_id(root, name)
    parent = _parent_id(root)
    _check_parent_or_citation(root, name, parent)
    return style_id, title, parent


def _style_root(data: bytes, name: str) -> Element:
    """The root ``<style>`` element of ``data``, parsed safely; FormatError if it is not one."""
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    if len(data) > MAX_STYLE_BYTES:
        raise FormatError(f"{name} is too large to be a citation style")
    try:
        root: Element = SafeET.fromstring(data)
    except (SafeET.ParseError, DefusedXmlException, ValueError) as exc:
        raise FormatError(f"{name} is not a valid CSL style: the XML is damaged ({exc})") \
            from None
    if root.tag != f"{{{CSL_NS}}}style":
        raise FormatError(f"{name} is not a CSL style (its root element is not a CSL "
                          "<style>)")
    return root


def _style_title(root: Element, name: str) -> str:
    """The style's ``<info><title>``; FormatError when it has none."""
    title = (root.findtext("c:info/c:title", "", _NS) or "").strip()
    if not title:
        raise FormatError(f"{name} is not a valid CSL style: it has no <info><title>")
    return title


def _style_id(root: Element, name: str) -> str:
    """The id from the style's ``<id>`` URI, else from the file name; FormatError if neither."""
    uri = (root.findtext("c:info/c:id", "", _NS) or "").strip()
    style_id = _slug(uri.rstrip("/").rsplit("/", 1)[-1]) or _slug(Path(name).stem)
    if not style_id:
        raise FormatError(f"{name}: cannot make a style id from its <id> or file name")
    return style_id


def _parent_id(root: Element) -> str:
    """The id of a dependent style's independent parent (the last link wins); "" if none."""
    parent = ""
    for link in root.findall("c:info/c:link", _NS):
        if link.get("rel") == "independent-parent":
            parent = (link.get("href") or "").rstrip("/").rsplit("/", 1)[-1]
    return parent


def _check_parent_or_citation(root: Element, name: str, parent: str) -> None:
    """FormatError unless the parent is installed (dependent) or there is a ``<citation>``."""
    if parent:
        try:
            resolve(parent)
        except NotFound:
            raise FormatError(f"{name} depends on the style {parent!r}, which is not "
                              "installed") from None
    elif root.find("c:citation", _NS) is None:
        raise FormatError(f"{name} is not a valid CSL style: it has no <citation>")


def _check_renders(path: Path, name: str) -> None:
    """Load the style in citeproc-py and format one reference with it."""
    from spinelib.cite.engine import StyleError, load_style, smoke_test

    try:
        smoke_test(load_style(path))
    except StyleError as exc:
        raise FormatError(f"{name} is not a usable CSL style: {exc}") from None


def add_style(source: Path) -> StyleInfo:
    """Install the style file ``source`` into the user's styles folder, validated first."""
    from spinelib.formats import write_atomic

    source = Path(source)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise SpineLibError(f"cannot read {source}: {exc.strerror or exc}") from None
    style_id, title, parent = validate_style(data, source.name)
    if not parent:
        _check_renders(source, source.name)
    folder = user_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SpineLibError(f"cannot create {folder}: {exc.strerror or exc}") from None
    write_atomic(folder / f"{style_id}.csl", data.decode("utf-8", "replace"))
    return StyleInfo(style_id, title, parent, True)


def map_journal(journal: str, parent: str) -> StyleInfo:
    """Make ``journal`` (a title such as "Global Spine Journal") a style of its own that
    formats as ``parent`` does; mapping it again replaces the earlier parent."""
    from spinelib.formats import write_atomic

    journal = " ".join(journal.split())
    style_id = _slug(journal)
    if not style_id:
        raise SpineLibError("a journal mapping needs the journal's title")
    target, _info = resolve(parent)  # NotFound for an unknown parent
    parent_id = target.stem
    try:
        existing = style_path(style_id)
    except NotFound:
        existing = None
    if existing is not None and existing.parent != user_dir() and not read_head(existing)[1]:
        raise SpineLibError(f"{journal!r} already has a style of its own ({style_id}); "
                            "use it directly")
    text = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<style xmlns="{CSL_NS}" version="1.0" default-locale="en-US">\n'
        "  <!-- Written by SpineLib: spinelib styles map -->\n"
        "  <info>\n"
        f"    <title>{escape(journal)}</title>\n"
        f"    <id>http://www.zotero.org/styles/{style_id}</id>\n"
        f'    <link href="http://www.zotero.org/styles/{style_id}" rel="self"/>\n'
        f'    <link href="http://www.zotero.org/styles/{escape(parent_id)}" '
        'rel="independent-parent"/>\n'
        "  </info>\n"
        "</style>\n")
    folder = user_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SpineLibError(f"cannot create {folder}: {exc.strerror or exc}") from None
    write_atomic(folder / f"{style_id}.csl", text)
    return StyleInfo(style_id, journal, parent_id, True)
