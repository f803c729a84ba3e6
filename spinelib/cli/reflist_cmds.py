"""``spinelib refs KEY --read FILE`` and ``--from-fulltext``: the article's reference list set
from text pasted from the paper, or read from its stored full text
(:mod:`spinelib.library.reflists`)."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from spinelib.cli.output import fit
from spinelib.errors import FormatError, SpineLibError
from spinelib.formats.decoding import decode_bytes
from spinelib.library import Library
from spinelib.text import plural


def cmd_set_references(lib: Library, article_id: int, args: argparse.Namespace) -> int:
    """Store the list read from ``args.read`` (a text file, - for standard input) or from
    the article's full text; say what was stored and skipped, and what to do next."""
    key = shlex.quote(args.key)
    if args.from_fulltext:
        text = lib.reference_lists.from_fulltext(article_id)
        if not text:
            raise SpineLibError(
                f"no reference list found in {args.key}'s stored full text (no PDF text with "
                "a References heading, no open-access text): paste it from the paper into a "
                f"file and run spinelib refs {key} --read FILE")
    else:
        text = _text_of(args.read, key)
    before = len(lib.articles.references(article_id))
    read = lib.reference_lists.replace(article_id, text)
    print(f"{args.key}: {plural(len(read.entries), 'reference')} stored, {read.identified} "
          "with a DOI, PMID or PMCID"
          + (f" (its {plural(before, 'reference')} before replaced: spinelib undo brings "
             "them back)" if before else ""))
    if read.skipped:
        shown = ", ".join(repr(fit(line, 40)) for line in read.skipped[:3])
        more = f" and {len(read.skipped) - 3} more" if len(read.skipped) > 3 else ""
        print(f"skipped {plural(len(read.skipped), 'line')} that read as no reference: "
              f"{shown}{more}")
    print(f"list them: spinelib refs {key}"
          + (f"; find the others' DOIs and PMIDs: spinelib refs {key} --find-dois"
             if read.identified < len(read.entries) else ""))
    return 0


def _text_of(name: str, key: str) -> str:
    """The text of the file named (standard input for -), decoded as an import decodes; a
    Word file's paragraphs, one a line."""
    if name == "-":
        if sys.stdin.isatty():
            print("reading the reference list from the keyboard; end with Ctrl+D (Ctrl+Z, "
                  "Enter on Windows)", file=sys.stderr)
        return sys.stdin.read()
    path = Path(name).expanduser()
    if path.suffix.lower() == ".docx" and path.is_file():
        from spinelib.identifierfiles import word_text

        return word_text(path)  # a manuscript's or a paper's list, a paragraph each
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SpineLibError(f"cannot read {name}: {exc.strerror or exc}") from exc
    try:
        text, _warnings = decode_bytes(data, path.name)
    except FormatError as exc:
        how = (f"a paper's PDF is read once attached: spinelib attach {key} FILE, then "
               f"spinelib refs {key} --from-fulltext" if data.startswith(b"%PDF") else
               "save the list as plain text or a Word file")
        raise SpineLibError(f"{exc}; --read takes the list as text ({how})") from exc
    return text
