"""The paths of attached files as reference managers write them into BibTeX and RIS, read out
so an import can bring the files along (:mod:`spinelib.linkedfiles` finds and attaches them).

BibTeX's ``file`` field (one or more ``description:path:type``, joined by ``;``):

* Zotero: ``Full Text PDF:/home/me/Zotero/storage/AB12CD34/Patchell 2005.pdf:application/pdf``
* JabRef: ``:papers/patchell2005.pdf:PDF``, relative to the .bib's folder, with ``\\:``,
  ``\\;`` and ``\\\\`` escaping the separators and the backslash (``C\\:\\\\Users\\\\…``);
* Mendeley: ``:Users/me/Documents/Mendeley Desktop/Patchell - 2005.pdf:pdf``, without the
  leading ``/`` and with LaTeX for some characters (``$\\backslash$``, ``{\\_}``);
* a bare path.

RIS ``L1`` ("file attachments"): a path or a ``file://`` URL. Web addresses are links, not
files, and EndNote's ``internal-pdf://`` names a file inside its own library folder, which
the export does not carry; neither is returned.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

#: LaTeX a Mendeley or older JabRef export writes into a path, and what it stands for.
_PATH_LATEX = (("$\\backslash$", "\\\\"), ("{\\_}", "_"), ("\\_", "_"), ("{\\&}", "&"),
               ("\\&", "&"), ("{\\%}", "%"), ("\\%", "%"), ("{\\$}", "$"), ("\\$", "$"),
               ("{\\#}", "#"), ("\\#", "#"))


def split_escaped(text: str, separator: str) -> list[str]:
    """``text`` split at each ``separator`` not escaped by a backslash; escapes kept (the next
    split needs them)."""
    parts, current, i = [], [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            current.append(text[i:i + 2])
            i += 2
            continue
        if char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    parts.append("".join(current))
    return parts


def unescape(text: str) -> str:
    """Each ``\\x`` read as ``x``."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _is_link(path: str) -> bool:
    return path.lower().startswith(("http://", "https://", "ftp://", "internal-pdf://",
                                    "zotero://"))


def bibtex_file_paths(value: str) -> list[str]:
    """The paths a BibTeX ``file`` field names, in order, without repeats ([] for none)."""
    for latex, plain in _PATH_LATEX:
        value = value.replace(latex, plain)
    out: list[str] = []
    for entry in split_escaped(value.strip(), ";"):
        entry = entry.strip()
        if _is_link(entry):  # a web address given as the whole entry
            continue
        fields = split_escaped(entry, ":")
        # description:path:type (a Windows drive's ":" unescaped too); else a bare path, or
        # two fields of which the path is surely the longer.
        raw = ":".join(fields[1:-1]) if len(fields) >= 3 else max(fields, key=len)
        path = unescape(raw).strip()
        if path and not _is_link(path) and path not in out:
            out.append(path)
    return out


def ris_file_paths(values: Iterable[str]) -> list[str]:
    """The local files of RIS ``L1`` lines: paths and ``file://`` URLs (decoded)."""
    out: list[str] = []
    for value in values:
        text = value.strip()
        if text.lower().startswith("file://"):
            text = unquote(urlsplit(text).path)
        if text and not _is_link(text) and text not in out:
            out.append(text)
    return out
