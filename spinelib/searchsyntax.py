"""The search language as a user reads it: one row per kind of term, shown by every face that
takes a search (``--help`` of ``list``, ``export`` and ``pdf find``; the search box's tooltip).

Why a module of its own: the faces need this text when they build their help, and the parser
of the language (:mod:`spinelib.library.fieldquery`) sits behind the whole Library, whose
import would cost the command line's start-up a quarter of a second (issue 19). This module
imports only the standard library. ``tests/core/test_search_syntax.py`` holds it to the
parser: every qualifier, ``has:`` value and reading state the parser reads is named here.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class SyntaxRow:
    """One kind of term: how it is typed, and what it finds."""

    example: str
    finds: str


#: Typographic double quotes (a search copied from Word, a protocol, an e-mail) -> the
#: straight quote both search languages, the library's and PubMed's, write a phrase in.
STRAIGHT_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"'})

#: Every kind of term, in the order a user learns them.
SYNTAX: tuple[SyntaxRow, ...] = (
    SyntaxRow("spinal metastasis", "articles with every word (title, abstract, authors "
              "and a book's editors, journal or book, MeSH, keywords, tags, notes, attached "
              "full texts)"),
    SyntaxRow("patchell 2005", "a year among the words: the articles of that year, or with "
              "the number in their text"),
    SyntaxRow('"separation surgery"', "the words in that order (Word's “curly” quotes too)"),
    SyntaxRow("kyphoplasty OR vertebroplasty", "either (OR in capitals; between plain words "
              "a b OR c is a and b, or c; beside a field, as author:bilsky OR author:laufer, "
              "it joins the two terms next to it)"),
    SyntaxRow('-word, -"a phrase"', "articles without it"),
    SyntaxRow("spine NOT myeloma, spine AND myeloma",
              "PubMed's NOT (= -myeloma) and AND (= both), in capitals"),
    SyntaxRow("(myeloma OR plasmacytoma) spine", "parentheses group, as in PubMed"),
    SyntaxRow("author:patchell", "an author with that family name "
              '(author:"Bilsky MH": with those initials, as PubMed writes it; an edited book '
              "by its editors)"),
    SyntaxRow("editor:benzel", "a chapter (or a book) whose book that person edited "
              '(editor:"Benzel EC" too)'),
    SyntaxRow("title:kyphoplasty", "words of the title (in that order, the last a prefix)"),
    SyntaxRow("year:2005, year:2015..2020, year:2015.., year:..2010, year:>2020, year:<=2010",
              "a year, or a range (inclusive; 2015-2020 and 2019- read the same)"),
    SyntaxRow("journal:spine", "words of the journal's title or abbreviation"),
    SyntaxRow('mesh:"spinal neoplasms"', "words of a MeSH heading"),
    SyntaxRow("tag:kyphoplasty", "a confirmed tag, or any tag under it"),
    SyntaxRow("type:review", "record type: article, review, book, chapter, conference, "
              "preprint…"),
    SyntaxRow("read:unread, read:reading, read:read", "reading state"),
    SyntaxRow("has:abstract, has:doi, has:pmid, has:pmcid, has:notes, has:pdf",
              "articles that have it (has:pdf: an attached PDF)"),
    SyntaxRow("doi:10.1056/NEJMoa042431, pmid:16112300, pmcid:PMC1234567",
              "the article with that identifier (a DOI, a PMCID or a doi.org, PubMed or PMC "
              "link pasted alone finds it too)"),
    SyntaxRow("key:patchell2005direct, @patchell2005direct",
              "the article with that citation key or a former one, as a manuscript cites it "
              "([@key] too; the key typed alone finds it as well)"),
    SyntaxRow("Laufer I et al. The NOMS framework. Oncologist. 2013;18",
              "a reference's citation pasted whole: the paper it names, else its first "
              "author's articles of its year (one either way): do I have this paper?"),
    SyntaxRow('Bilsky MH[au], kyphoplasty[ti], "spinal neoplasms"[mh]',
              "PubMed's field tags, read as the fields above (also [tiab], [ta], [dp], [pt], "
              "[ed], [pmid], [doi])"),
)

#: What the rows leave unsaid: how terms combine, and what happens to anything else.
COMBINING = ("Terms combine with AND unless OR joins them; any qualified term can be "
             "negated (-year:2015..2020). Family names match without regard to case, accents "
             "or hyphens (author:muller finds Müller). "
             "Anything else, such as a year that is not a year, is searched as plain text.")


def as_text(columns: int = 79) -> str:
    """The rows as aligned plain text no wider than ``columns``, for a terminal (the
    ``--help`` epilogs: argparse prints them as they are)."""
    width = max(len(row.example) for row in SYNTAX if len(row.example) <= 24)
    indent = " " * (width + 4)
    lines = ["search syntax (--search):"]
    for row in SYNTAX:
        finds = textwrap.wrap(row.finds, max(columns - len(indent), 20))
        if len(row.example) > width:  # a long example gets a line of its own
            lines.append(f"  {row.example}")
        else:
            lines.append(f"  {row.example:{width}}  {finds.pop(0)}")
        lines += [indent + part for part in finds]
    lines += ["", *textwrap.wrap(COMBINING, columns)]
    return "\n".join(lines)


def as_html() -> str:
    """The rows as a small HTML table, for a tooltip (Qt's rich-text subset)."""
    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    rows = "".join(f"<tr><td><code>{esc(row.example)}</code></td><td>{esc(row.finds)}</td></tr>"
                   for row in SYNTAX)
    return (f"<b>Search syntax</b><table cellspacing='2'>{rows}</table>"
            f"<p>{esc(COMBINING)}</p>")
