"""Make the byte-identity golden of the .bib writers (issue 19, export at its floor).

Run once, with the writers as they were before a speed change, from the repository root:
``python tests/data/export_golden/make_golden.py [records.pkl]``. It writes

* ``records.json``: 240 varied records: seeded hostile ones (every record type, non-ASCII
  of many scripts, LaTeX specials, braces, ligature pairs, odd whitespace, corporate and
  odd authors, suffixes, invalid and repeated keys, missing fields, bad dates) and, when a
  pickle of records loaded from a benchmark library is given, its first 40 records (the
  realistic shape: PubMed-like titles, many authors, keywords, abstracts);
* ``bibtex.bib``, ``bibtex_abstracts.bib``, ``biblatex.bib``, ``biblatex_abstracts.bib``:
  what the writers wrote for them.

``tests/core/test_bibtex_golden.py`` requires the writers to reproduce these bytes exactly.
Never regenerate them to make a change pass: a changed byte is a changed export.

Changed on purpose since: ``< > |`` in text are written ``{\\textless}``, ``{\\textgreater}``,
``{\\textbar}`` (LaTeX's default OT1 fonts print the characters as "¡ ¿ —"). The .bib files
were written again from ``records.json``, and were checked to be the old bytes with exactly
that substitution in every field but ``doi`` and ``url`` (``<{}<`` became two commands).
A paper in press without a year (``pubstate`` "inpress", no ``year``, no date text) gets
``year = {in press}`` in classic BibTeX, where its state had been left out; the .bib files
were written again from ``records.json`` and checked, entry by entry, to differ from the old
bytes only by that line in exactly those four entries (biblatex's are unchanged). Then
the key such a record is exported under when it has none says "inpress" where it said "nd"
(no date): six entries of each file, checked to differ only in that key's line
(``anonnda`` became ``anoninpress``, no longer needing a letter to tell it apart). Then a
made key leaves out a family name's lower-case particles ("van der Berg" keys ``berg…``, as
BibTeX reads the von part): three entries of each file, checked to differ only in that key's
line (``van1899`` became ``berg1899``). Then the reader's notes are written as ``annote``
where they were ``note`` (BibTeX's styles printed them in reference lists): 91 entries of
each file, changed with ``s/^  note = {/  annote = {/`` and nothing else, and the writers
reproduce those bytes.
"""

from __future__ import annotations

import dataclasses
import json
import pickle
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from spinelib.formats.bibtex import write_biblatex, write_bibtex  # noqa: E402
from spinelib.records import RECORD_TYPES, ArticleRecord, Author  # noqa: E402

PIECES = [
    "", " ", "plain", "Spine", "spinal cord compression", "SBRT", "MRI-guided",
    "Müller", "Østergaard", "Łukasz", "Nguyễn Thị", "Ő", "ű", "Ça va", "naïve", "ß", "Æsir",
    "α-fetoprotein", "Ωmega", "μm", "中文", "Жуков", "≤ 5 mm", "±", "→", "°C", "€", "™",
    "50% & more", "$x_1$", "#1", "a_b", "~home", "x^2", "back\\slash", "{braced}", "}{",
    "en--dash", "it''s", ",,low", "<<guillemets>>", "e\u0301", "tab\there", "new\nline",
    "nbsp\xa0space", "thin\u2009space", "double  space", "  padded  ", "“quoted”", "O'Neil",
    "’", "–", "—", "…", "\u01c5", "\u24b6", "L'Hôpital", "van der Berg", "De La Cruz",
    "and", "others", "Smith, Jr", "Smith and Jones", "A & B", "`grave`", "@at", "=eq",
    "Zürich (Switzerland)", "ﬁ ligature", "𝐁old", "ẞ", "\u0000ctl", "\u200bzw",
]
JOURNALS = ["", "global spine journal", "Spine", "J. Neuro-Oncol.", "Ærzteblatt & {Co}",
            "journal of medical imaging (Bellingham, Wash.)", "BMJ Open", "eLife",
            "the spine journal : official journal of the north american spine society",
            "Revue de chirurgie orthopédique", "acta neurochirurgica. supplement"]
GIVEN = ["", "Roy A", "J", "Jürgen", "Ana María", "Jean-Luc", "O.", "Li", "Zoë", "A & B"]
FAMILY = ["", "Patchell", "Müller", "O'Neil", "De La Cruz", "van der Berg", "Nguyễn",
          "Smith, Jr", "and", "others", "Wang", "Bilsky", "D'Angelo", "Łopuszański", "{X}"]
GROUPS = ["", "", "", "WHO {Group}", "A & B", "Spine Oncology Study Group",
          "AOSpine Knowledge Forum Tumor", "Grupo Español de Investigación"]


def text(rng: random.Random, n: int = 3) -> str:
    return " ".join(rng.choice(PIECES) for _ in range(rng.randint(0, n)))


def author(rng: random.Random) -> Author:
    return Author(family=rng.choice(FAMILY + [text(rng, 2)]), given=rng.choice(GIVEN),
                  collective=rng.choice(GROUPS), suffix=rng.choice(["", "", "", "Jr", "III"]),
                  initials=rng.choice(["", "RA"]))


def hostile(rng: random.Random, i: int) -> ArticleRecord:
    maybe = lambda s: s if rng.random() < 0.6 else ""  # noqa: E731
    return ArticleRecord(
        type=RECORD_TYPES[i % len(RECORD_TYPES)], title=text(rng, 8),
        authors=[author(rng) for _ in range(rng.choice([0, 1, 2, 3, 6]))],
        journal=rng.choice(JOURNALS), journal_abbrev=maybe(text(rng, 2)),
        book_title=maybe(text(rng)), volume=maybe(rng.choice(["12", "3(Suppl 1)", text(rng, 1)])),
        issue=maybe(rng.choice(["4", "Pt 2", text(rng, 1)])),
        pages=rng.choice(["", "112-20", "e123", "5--9", "1001-9", "S1-S12", "iii", "643-8"]),
        publisher=maybe(text(rng, 2)), place=maybe(text(rng, 1)),
        institution=maybe(text(rng, 2)), report_number=maybe(text(rng, 1)),
        year=rng.choice([None, 1899, 1999, 2024]), month=rng.choice([None, 2, 3, 12, 13, 0]),
        day=rng.choice([None, 9, 29, 31]),
        doi=rng.choice(["", "10.1000/xyz", "10.1000/a{b}%c\\d", "10.1002/(SICI)1097-0142"]),
        pmid=rng.choice(["", "16125588", " 123 "]), pmcid=rng.choice(["", "PMC1234567"]),
        issn=maybe(rng.choice(["0140-6736", text(rng, 1)])),
        url=rng.choice(["", "https://example.org/a_b?x=1&y=%20", "http://x/{y}"]),
        abstract=rng.choice(["", text(rng, 6), text(rng, 4) + "\n\n" + text(rng, 4)]),
        notes=rng.choice(["", "", text(rng, 3), "line one\nline two\n\npara two"]),
        keywords=[text(rng, 2) for _ in range(rng.randint(0, 3))],
        tags=[rng.choice(["surgery", "Surgery", "SBRT", "en bloc, resection", "a;b", text(rng, 1)])
              for _ in range(rng.randint(0, 2))],
        citekey=rng.choice(["", f"key{i}", "KEY0", "key0", "bad key{", "patchell2005"]),
        date_text=rng.choice(["", "", "2004?", "2019/2020", "-0044"]),
        pubstate=rng.choice(["", "", "inpress"]),
        publication_types=rng.choice([[], ["Journal Article"], ["Master's Thesis"]]))


def main() -> None:
    rng = random.Random(19)
    records = [hostile(rng, i) for i in range(200)]
    if len(sys.argv) > 1:
        with open(sys.argv[1], "rb") as fh:
            # Only the fields a .bib writer reads (MeSH and reference lists are not written).
            records += [dataclasses.replace(r, mesh=[], references=[])
                        for r in pickle.load(fh)[:40]]  # noqa: S301 (our own file)
    (HERE / "records.json").write_text("[\n" + ",\n".join(
        json.dumps(dataclasses.asdict(r), ensure_ascii=False) for r in records) + "\n]\n",
        encoding="utf-8")
    for name, writer, abstracts in (("bibtex", write_bibtex, False),
                                    ("bibtex_abstracts", write_bibtex, True),
                                    ("biblatex", write_biblatex, False),
                                    ("biblatex_abstracts", write_biblatex, True)):
        (HERE / f"{name}.bib").write_bytes(writer(records, abstracts=abstracts).encode("utf-8"))


if __name__ == "__main__":
    main()
