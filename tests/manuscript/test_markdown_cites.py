"""Which keys a pandoc Markdown paper cites (``manuscript bib paper.md``): the same keys, in
the same order, as pandoc itself reads, code and comments included."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pypandoc

from spinelib.manuscript.placeholders import cited_in_markdown

PAPER = """\
---
title: Separation surgery, a review
nocite: |
  @nocited2001, @nocited2002
---

As shown [@fisher2010; see @akgun2023, p. 5], and @berenson2011 [p. 3] says.
Suppressed [-@bilsky2010]. Braced @{laufer2013noms} and @{odd/key}, not @{with space}. Write to
someone@example.com, or escape it: \\@notacite.

Code spans are not prose: `@inline` and ``two `@ticks` here``, a span
`wrapping @wrapped
lines`; an unclosed ` backtick then @afterbacktick.

```
@fenced
```

~~~~ {.python}
x = "@tilde"
```
@stillfenced
~~~~

```{r}
cite("@chunk")
```

<!-- [@commented] -->
Footnote^[Also @tokuhashi2005, and again @fisher2010.]

    @indented is code to pandoc, but also how a list item continues, so it counts.
"""


def test_the_keys_of_a_tricky_paper() -> None:
    assert cited_in_markdown(PAPER) == [
        "nocited2001", "nocited2002", "fisher2010", "akgun2023", "berenson2011", "bilsky2010",
        "laufer2013noms", "odd/key", "afterbacktick", "tokuhashi2005", "indented"]


def _pandoc_cites(node: Any, out: list[str]) -> None:
    if isinstance(node, dict):
        if node.get("t") == "Cite":
            out.extend(c["citationId"] for c in node["c"][0])
        for value in node.values():
            _pandoc_cites(value, out)
    elif isinstance(node, list):
        for value in node:
            _pandoc_cites(value, out)


def test_pandoc_reads_the_same_citations() -> None:
    """Held to pandoc's own reader (its JSON AST's Cite elements), but for the indented
    line, which pandoc takes for a code block where it stands."""
    ast = json.loads(subprocess.run(
        [pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "json"], input=PAPER,
        capture_output=True, text=True, check=True).stdout)
    found: list[str] = []
    _pandoc_cites(ast["meta"], found)
    _pandoc_cites(ast["blocks"], found)
    assert list(dict.fromkeys(found)) == cited_in_markdown(PAPER)[:-1]


def test_a_paper_bib_leaves_code_out(libpath: Path, tmp_path: Path) -> None:
    from spinelib.library import Library
    from spinelib.manuscript.bibfile import write_cited_bib

    md = tmp_path / "paper.md"
    md.write_text("Cited [@patchell2005direct]; shown: `@laufer2013noms`.\n", encoding="utf-8")
    with Library.open(libpath) as lib:
        report = write_cited_bib(lib, md, tmp_path / "refs.bib")
    assert (report.written, report.unknown) == (["patchell2005direct"], [])


def test_a_paper_bib_leaves_the_readers_notes_out(libpath: Path, tmp_path: Path) -> None:
    """Notes (highlights copied from the PDF among them) are the reader's, not the paper's:
    written as BibTeX's `note`, BibTeX's own styles printed them in the reference list."""
    from spinelib.library import Library
    from spinelib.manuscript.bibfile import write_cited_bib

    aux = tmp_path / "paper.aux"
    aux.write_text("\\citation{patchell2005direct}\n\\bibstyle{plain}\n\\bibdata{refs}\n")
    with Library.open(libpath) as lib:
        aid = lib.articles.resolve_key("patchell2005direct")
        lib.articles.set_notes(aid, "Highlights and comments in patchell.pdf:\n"
                                    "p. 2, highlight: “ambulatory” — ask RH about the MDT")
        write_cited_bib(lib, aux, tmp_path / "refs.bib")
        assert "MDT" in lib.articles.record(aid).notes  # the library keeps them
    bib = (tmp_path / "refs.bib").read_text(encoding="utf-8")
    assert "patchell2005direct" in bib and "note" not in bib and "MDT" not in bib
    if shutil.which("bibtex"):  # the reference list LaTeX prints (CI installs bibtex)
        subprocess.run(["bibtex", "paper"], cwd=tmp_path, capture_output=True, timeout=60,
                       check=True)
        printed = (tmp_path / "paper.bbl").read_text(encoding="utf-8")
        assert "Patchell" in printed and "MDT" not in printed
