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

from spinelib.errors import FormatError, NotFound, SpineLibError
from spinelib.styles.catalogue import CSL_NS, StyleInfo, read_head, resolve, style_path, user_dir

#: The largest style file accepted (the biggest in the CSL repository is ~150 kB).
MAX_STYLE_BYTES = 2_000_000


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return slug[:80]


def validate_style(data: bytes, name: str) -> tuple[str, str, str]:
    """(id, title, parent) of the CSL style in ``data``; FormatError saying what is wrong.

    The id is the last part of the style's ``<id>`` URI (``…/styles/my-journal``), else
    the file name's stem.
    """
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    if len(data) > MAX_STYLE_BYTES:
        raise FormatError(f"{name} is too large to be a citation style")
    try:
        root = SafeET.fromstring(data)
    except (SafeET.ParseError, DefusedXmlException, ValueError) as exc:
        raise FormatError(f"{name} is not a valid CSL style: the XML is damaged ({exc})") \
            from None
    if root.tag != f"{{{CSL_NS}}}style":
        raise FormatError(f"{name} is not a CSL style (its root element is not a CSL "
                          "<style>)")
    ns = {"c": CSL_NS}
    title = (root.findtext("c:info/c:title", "", ns) or "").strip()
    if not title:
        raise FormatError(f"{name} is not a valid CSL style: it has no <info><title>")
    uri = (root.findtext("c:info/c:id", "", ns) or "").strip()
    style_id = _slug(uri.rstrip("/").rsplit("/", 1)[-1]) or _slug(Path(name).stem)
    if not style_id:
        raise FormatError(f"{name}: cannot make a style id from its <id> or file name")
    parent = ""
    for link in root.findall("c:info/c:link", ns):
        if link.get("rel") == "independent-parent":
            parent = (link.get("href") or "").rstrip("/").rsplit("/", 1)[-1]
    if parent:
        try:
            resolve(parent)
        except NotFound:
            raise FormatError(f"{name} depends on the style {parent!r}, which is not "
                              "installed") from None
    elif root.find("c:citation", ns) is None:
        raise FormatError(f"{name} is not a valid CSL style: it has no <citation>")
    return style_id, title, parent


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
