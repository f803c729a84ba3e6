"""Build ``tests/data/library-v1.sqlite``: a small, realistic library in the first released
schema, kept so every later SpineLib can be tested opening (and migrating) it.

Provenance: the committed ``library-v1.sqlite`` was built by this script on 2026-11-20 from a
checkout of commit 5eb7aa1 ("Foundation: package, library store behind one Library facade, CLI,
import pipeline"), the first released schema (``PRAGMA user_version`` 1; ``spinelib/models.py``
and the v1 step of ``spinelib/db.py`` as in that commit), with the vocabulary of
``resources/taxonomy.json`` as it stood that day. Do not rebuild it with a later SpineLib: the
point of the file is that an *old* program wrote it. The script refuses to run when
``db.SCHEMA_VERSION`` is no longer 1.

What is in it (all through the public Library API, as a user's actions would put it there):
six articles (five real ones, bibliographic details as published, abstracts short summaries
written for these tests, and one fictional book chapter with no identifiers); authors with
diacritics and a collective author; reference lists, two of which point at articles in the
library; MeSH headings and keywords; user tags in a hierarchy, vocabulary tags, an accepted
and a rejected suggestion; notes, read status and ratings; a user-chosen citation key; an
ordered reading list; one identifier waiting in the pending queue.

``tests/core/test_migrations.py`` imports the constants below and checks every one of them
against the library after the current SpineLib has opened (and, if needed, migrated) it.

Usage: ``.venv/bin/python tests/data/make_library_v1.py [OUT] [--force]``
"""

from __future__ import annotations

import sys
from pathlib import Path

from spinelib.records import ArticleRecord, Author, MeshHeading, ReferenceEntry

OUT = Path(__file__).resolve().parent / "library-v1.sqlite"
BUILT_BY_COMMIT = "5eb7aa1"
SCHEMA = 1

SPINAL_NEOPLASMS = MeshHeading("D013125", "Spinal Neoplasms", True, ["secondary", "surgery"])
CORD_COMPRESSION = MeshHeading("D013117", "Spinal Cord Compression", False, ["etiology"])
DECOMPRESSION = MeshHeading("D003656", "Decompression, Surgical", False, [])
RADIOSURGERY = MeshHeading("D016634", "Radiosurgery", False, [])

PATCHELL = ArticleRecord(
    title=("Direct decompressive surgical resection in the treatment of spinal cord "
           "compression caused by metastatic cancer: a randomised trial"),
    authors=[Author("Patchell", "Roy A", "RA"), Author("Tibbs", "Phillip A", "PA"),
             Author("Regine", "William F", "WF"), Author("Payne", "Richard", "R"),
             Author("Saris", "Stephen", "S"), Author("Kryscio", "Richard J", "RJ"),
             Author("Mohiuddin", "Mohammed", "M"), Author("Young", "Byron", "B")],
    journal="Lancet", journal_abbrev="Lancet", issn="1474-547X", year=2005, month=8,
    volume="366", issue="9486", pages="643-648", doi="10.1016/s0140-6736(05)66954-1",
    pmid="16112300", language="eng", type="article",
    abstract=("BACKGROUND: Radiotherapy alone was the usual treatment of spinal cord "
              "compression from metastatic cancer.\n\n"
              "METHODS: Patients were randomised to decompressive surgery followed by "
              "radiotherapy, or to radiotherapy alone.\n\n"
              "FINDINGS: More patients treated with surgery kept the ability to walk, and "
              "kept it longer.\n\n"
              "INTERPRETATION: Surgery plus radiotherapy is better than radiotherapy alone "
              "for selected patients."),
    publication_types=["Clinical Trial", "Journal Article", "Randomized Controlled Trial"],
    mesh=[SPINAL_NEOPLASMS, CORD_COMPRESSION, DECOMPRESSION],
    keywords=["metastatic spinal cord compression"],
    references=[ReferenceEntry(1, "Byrne TN. Spinal cord compression from epidural "
                                  "metastases. N Engl J Med. 1992;327:614-619.",
                               doi="10.1056/nejm199208273270907", pmid="1296600"),
                ReferenceEntry(2, "Young RF, Post EM, King GA. Treatment of spinal epidural "
                                  "metastases. J Neurosurg. 1980;53:741-748.")],
    source="pubmed",
)

BILSKY = ArticleRecord(
    title="Reliability analysis of the epidural spinal cord compression scale",
    authors=[Author("Bilsky", "Mark H", "MH"), Author("Laufer", "Ilya", "I"),
             Author("Fourney", "Daryl R", "DR"), Author("Groff", "Michael", "M"),
             Author("Schmidt", "Meic H", "MH"), Author("Varga", "Peter Paul", "PP"),
             Author("Vrionis", "Frank D", "FD"), Author("Yamada", "Yoshiya", "Y"),
             Author("Gerszten", "Peter C", "PC"), Author("Kuklo", "Timothy R", "TR")],
    journal="Journal of neurosurgery. Spine", journal_abbrev="J Neurosurg Spine",
    issn="1547-5646", year=2010, month=9, volume="13", issue="3", pages="324-328",
    doi="10.3171/2010.3.spine09459", pmid="20809724", language="eng",
    abstract=("Six spine surgeons and radiation oncologists graded MRI studies with a "
              "six-point scale of epidural spinal cord compression; inter- and intra-rater "
              "agreement was high."),
    publication_types=["Journal Article"],
    mesh=[SPINAL_NEOPLASMS, CORD_COMPRESSION],
    keywords=["ESCC scale", "magnetic resonance imaging"],
    source="pubmed",
)

FISHER = ArticleRecord(
    title=("A novel classification system for spinal instability in neoplastic disease: an "
           "evidence-based approach and expert consensus from the Spine Oncology Study Group"),
    authors=[Author("Fisher", "Charles G", "CG"), Author("DiPaola", "Christian P", "CP"),
             Author("Ryken", "Timothy C", "TC"), Author("Bilsky", "Mark H", "MH"),
             Author("Boriani", "Stefano", "S"), Author("Fourney", "Daryl R", "DR"),
             Author(collective="Spine Oncology Study Group")],
    journal="Spine", journal_abbrev="Spine (Phila Pa 1976)", issn="1528-1159", year=2010,
    month=10, volume="35", issue="22", pages="E1221-E1229",
    doi="10.1097/brs.0b013e3181e16ae2", pmid="20562730", language="eng",
    abstract=("A systematic review and a modified Delphi process produced the Spinal "
              "Instability Neoplastic Score (SINS) from six radiographic and clinical factors."),
    publication_types=["Journal Article", "Review"], type="review",
    mesh=[SPINAL_NEOPLASMS],
    keywords=["SINS", "spinal instability"],
    source="pubmed",
)

LAUFER = ArticleRecord(
    title="The NOMS framework: approach to the treatment of spinal metastatic tumors",
    authors=[Author("Laufer", "Ilya", "I"), Author("Rubin", "David G", "DG"),
             Author("Lis", "Eric", "E"), Author("Cox", "Brett W", "BW"),
             Author("Stubblefield", "Michael D", "MD"), Author("Yamada", "Yoshiya", "Y"),
             Author("Bilsky", "Mark H", "MH")],
    journal="The oncologist", journal_abbrev="Oncologist", issn="1549-490X", year=2013,
    volume="18", issue="6", pages="744-751", doi="10.1634/theoncologist.2012-0293",
    pmid="23709750", pmcid="PMC3695335", language="eng",
    abstract=("Neurologic, oncologic, mechanical and systemic considerations guide the "
              "choice between conventional radiotherapy, stereotactic radiosurgery, separation "
              "surgery followed by radiosurgery, and stabilisation."),
    publication_types=["Journal Article", "Review"], type="review",
    mesh=[SPINAL_NEOPLASMS, RADIOSURGERY],
    keywords=["separation surgery", "stereotactic radiosurgery", "NOMS"],
    references=[
        ReferenceEntry(1, "Bilsky MH, Laufer I, Fourney DR, et al. Reliability analysis of the "
                          "epidural spinal cord compression scale. J Neurosurg Spine. "
                          "2010;13:324-328.", doi="10.3171/2010.3.spine09459"),
        ReferenceEntry(2, "Fisher CG, DiPaola CP, Ryken TC, et al. A novel classification "
                          "system for spinal instability in neoplastic disease. Spine. "
                          "2010;35:E1221-E1229.", pmid="20562730"),
        ReferenceEntry(3, "Gilbert RW, Kim JH, Posner JB. Epidural spinal cord compression "
                          "from metastatic tumor. Ann Neurol. 1978;3:40-51.",
                       doi="10.1002/ana.410030107", pmid="655653"),
    ],
    source="pubmed",
)

TOMITA = ArticleRecord(
    title="Surgical strategy for spinal metastases",
    authors=[Author("Tomita", "Katsuro", "K"), Author("Kawahara", "Norio", "N"),
             Author("Kobayashi", "Tetsuya", "T"), Author("Yoshida", "Akira", "A"),
             Author("Murakami", "Hideki", "H"), Author("Akamaru", "Tomoyuki", "T")],
    journal="Spine", journal_abbrev="Spine (Phila Pa 1976)", issn="0362-2436", year=2001,
    month=2, day=1, volume="26", issue="3", pages="298-306",
    doi="10.1097/00007632-200102010-00016", pmid="11224867", language="eng",
    abstract=("A prognostic score from tumour growth, visceral and bone metastases sets the "
              "goal of surgery, from wide or marginal excision to palliative stabilisation."),
    publication_types=["Journal Article"],
    mesh=[SPINAL_NEOPLASMS],
    keywords=["Tomita score", "total en bloc spondylectomy"],
    source="pubmed",
)

#: Fictional, and deliberately without DOI or PMID: merged by title+year+author only.
CHAPTER = ArticleRecord(
    title="Oncological staging and surgical planning for primary tumours of the spine",
    authors=[Author("Gasbarrini", "Alessandro", "A"), Author("Ødegaard", "Åse", "Å"),
             Author("Nguyễn", "Thị Minh", "TM")],
    year=2011, pages="211-230", type="chapter", book_title="Tumours of the Spine: a Handbook",
    publisher="Société Éditrice d'Essai", language="eng",
    abstract="Enneking staging and the Weinstein-Boriani-Biagini chart applied to the spine.",
    source="bibtex",
)

RECORDS = [PATCHELL, BILSKY, FISHER, LAUFER, TOMITA, CHAPTER]

#: Citation keys as stored (generated, except the one the user chose for LAUFER).
CITEKEYS = {
    "16112300": "patchell2005direct",
    "20809724": "bilsky2010reliability",
    "20562730": "fisher2010novel",
    "23709750": "NOMS:2013",
    "11224867": "tomita2001surgical",
    CHAPTER.title: "gasbarrini2011oncological",
}
#: User tags (label -> parent label) as created, children after parents.
USER_TAGS = {"Tumour board": None, "Presented 2026": "Tumour board", "Résumé, \"to cite\"": None}
#: Confirmed tags per article (the user's own and vocabulary tags the user added).
TAGS = {
    "16112300": ["Presented 2026", "decompressive_laminectomy"],
    "23709750": ["Résumé, \"to cite\"", "Tumour board", "separation_surgery", "sbrt_srs"],
    "20562730": ["Tumour board"],
    CHAPTER.title: ["en_bloc_spondylectomy"],
}
NOTES = {
    "23709750": "Framework used at our tumour board.\nSee table 2 for the SBRT dose levels.",
    "16112300": "Landmark RCT — ambulation 84% vs 57%.",
}
READ_STATUS = {"16112300": 2, "23709750": 1}
RATING = {"16112300": 5, "23709750": 4}
READING_LIST = ("Tumour board — June", ["23709750", "20562730", "20809724"])
PENDING = ("28000001", "cannot reach PubMed: no answer within 30 s")
#: Suggestions the vocabulary made for TOMITA that the user accepted and rejected.
REVIEWED = ("11224867", ("en_bloc_spondylectomy", "fixation_stabilisation"))


def key_of(record: ArticleRecord) -> str:
    """How the constants above refer to an article: its PMID, else its title."""
    return record.pmid or record.title


def build(path: Path) -> None:
    """Write the library at ``path`` (which must not exist) through the Library API."""
    from spinelib import db
    from spinelib.library import Library

    if db.SCHEMA_VERSION != SCHEMA:
        raise SystemExit(f"this SpineLib writes schema {db.SCHEMA_VERSION}; the v1 library "
                         f"must be built by a checkout of commit {BUILT_BY_COMMIT}")
    with Library.open(path) as lib:
        ids = {key_of(r): res.article_id for r, res in zip(RECORDS, lib.add_records(RECORDS))}
        lib.rekey(ids["23709750"], CITEKEYS["23709750"])
        for label, parent in USER_TAGS.items():
            lib.create_tag(label, parent)
        for key, tags in TAGS.items():
            lib.add_tags([ids[key]], tags)
        for key, notes in NOTES.items():
            lib.set_notes(ids[key], notes)
        for key, status in READ_STATUS.items():
            lib.set_read_status([ids[key]], status)
        for key, stars in RATING.items():
            lib.set_rating(ids[key], stars)
        name, members = READING_LIST
        lib.create_list(name)
        lib.list_add(name, [ids[k] for k in members])
        lib.queue_pending(*PENDING)
        key, (accepted, rejected) = REVIEWED
        lib.accept_suggestion(ids[key], accepted)
        lib.reject_suggestion(ids[key], rejected)
        got = {k: lib.citekey(i) for k, i in ids.items()}
        if got != CITEKEYS:
            raise SystemExit(f"citation keys differ from CITEKEYS: {got}")
        problems = lib.check()
        if problems:
            raise SystemExit(f"the new library fails its check: {problems}")


def main(argv: list[str]) -> int:
    args = [a for a in argv if a != "--force"]
    out = Path(args[0]) if args else OUT
    if out.exists():
        if "--force" not in argv:
            print(f"{out} exists; pass --force to replace it", file=sys.stderr)
            return 1
        out.unlink()
    build(out)
    print(f"wrote {out} (schema {SCHEMA}, commit {BUILT_BY_COMMIT})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
