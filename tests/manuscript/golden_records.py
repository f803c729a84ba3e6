"""~20 varied references for the golden tests against pandoc: collective authors, more than
six authors, no pages, article numbers, epub ahead of print, a book and a book chapter."""

from __future__ import annotations

from spinelib.records import ArticleRecord, Author


def _a(*names: str) -> list[Author]:
    out = []
    for n in names:
        family, _, given = n.partition(",")
        out.append(Author(family=family.strip(), given=given.strip()))
    return out


def golden_records() -> list[ArticleRecord]:
    """The references, each with its citekey; order matters (numbering)."""
    many = _a("Laufer, Ilya", "Rubin, David G", "Lis, Eric", "Cox, Brett W",
              "Stubblefield, Michael D", "Yamada, Yoshiya", "Bilsky, Mark H")
    return [
        ArticleRecord(citekey="patchell2005direct", title="Direct decompressive surgical "
                      "resection in the treatment of spinal cord compression caused by "
                      "metastatic cancer: a randomised trial",
                      authors=_a("Patchell, Roy A", "Tibbs, Phillip A", "Regine, William F"),
                      journal="Lancet", journal_abbrev="Lancet", year=2005, month=8, day=20,
                      volume="366", issue="9486", pages="643-648",
                      doi="10.1016/S0140-6736(05)66954-1"),
        ArticleRecord(citekey="laufer2013noms", title="The NOMS framework: approach to the "
                      "treatment of spinal metastatic tumors", authors=many,
                      journal="The Oncologist", journal_abbrev="Oncologist", year=2013,
                      volume="18", issue="6", pages="744-751",
                      doi="10.1634/theoncologist.2012-0293"),
        ArticleRecord(citekey="spinegroup2019consensus", title="Consensus statement on "
                      "spinal metastases", authors=[Author(collective="Spine Oncology Study "
                                                          "Group")],
                      journal="Spine", journal_abbrev="Spine", year=2019, volume="44",
                      issue="12", pages="E700-E707"),
        ArticleRecord(citekey="fisher2010sins", title="A novel classification system for "
                      "spinal instability in neoplastic disease: an evidence-based approach "
                      "and expert consensus from the Spine Oncology Study Group",
                      authors=_a("Fisher, Charles G", "DiPaola, Christian P", "Ryken, Timothy C",
                                 "Bilsky, Mark H", "Shaffrey, Christopher I", "Berven, Sigurd H",
                                 "Harrop, James S", "Fehlings, Michael G"),
                      journal="Spine", journal_abbrev="Spine", year=2010, volume="35",
                      issue="22", pages="E1221-E1229", doi="10.1097/BRS.0b013e3181e16ae2"),
        ArticleRecord(citekey="bilsky2010escc", title="Reliability analysis of the epidural "
                      "spinal cord compression scale", authors=_a("Bilsky, Mark H",
                                                                  "Laufer, Ilya"),
                      journal="Journal of Neurosurgery: Spine", journal_abbrev="J Neurosurg Spine",
                      year=2010, volume="13", issue="3", pages="324-328"),
        ArticleRecord(citekey="nopages2021", title="Stereotactic body radiotherapy for spinal "
                      "metastases: a review", authors=_a("Sahgal, Arjun", "Myrehaug, Sten"),
                      journal="Neurosurgery", journal_abbrev="Neurosurgery", year=2021,
                      volume="88", issue="2"),
        ArticleRecord(citekey="articlenumber2022", title="Separation surgery outcomes in a "
                      "multicentre cohort", authors=_a("Barzilai, Ori", "Boriani, Stefano"),
                      journal="Scientific Reports", journal_abbrev="Sci Rep", year=2022,
                      volume="12", pages="14532", doi="10.1038/s41598-022-18713-0"),
        ArticleRecord(citekey="epub2024", title="Laser interstitial thermal therapy for "
                      "epidural spinal cord compression", authors=_a("Tatsui, Claudio E"),
                      journal="Global Spine Journal", journal_abbrev="Global Spine J",
                      year=2024, month=3, day=5, doi="10.1177/21925682241234567"),
        ArticleRecord(citekey="tokuhashi2005", title="A revised scoring system for "
                      "preoperative evaluation of metastatic spine tumor prognosis",
                      authors=_a("Tokuhashi, Yasuaki", "Matsuzaki, Hiromi", "Oda, Hiroshi",
                                 "Oshima, Makoto", "Ryu, Junnosuke"),
                      journal="Spine", journal_abbrev="Spine", year=2005, volume="30",
                      issue="19", pages="2186-2191"),
        ArticleRecord(citekey="tomita2001", title="Surgical strategy for spinal metastases",
                      authors=_a("Tomita, Katsuro", "Kawahara, Norio", "Kobayashi, Tetsuya",
                                 "Yoshida, Akira", "Murakami, Hideki", "Akamaru, Tomoyuki"),
                      journal="Spine", journal_abbrev="Spine", year=2001, volume="26",
                      issue="3", pages="298-306"),
        ArticleRecord(citekey="book2018", type="book", title="Spine Oncology",
                      authors=_a("Bilsky, Mark H"), publisher="Thieme", year=2018),
        ArticleRecord(citekey="chapter2019", type="chapter", title="Separation surgery",
                      authors=_a("Laufer, Ilya"), book_title="Metastatic Spine Disease",
                      publisher="Springer", year=2019, pages="101-115"),
        ArticleRecord(citekey="gasbarrini2004", title="Management of spinal metastases: "
                      "the Rizzoli experience", authors=_a("Gasbarrini, Alessandro",
                                                          "Cappuccio, Michele", "Mirabile, L"),
                      journal="European Spine Journal", journal_abbrev="Eur Spine J",
                      year=2004, volume="13", issue="1", pages="31-37"),
        ArticleRecord(citekey="klimo2005", title="A meta-analysis of surgery versus "
                      "conventional radiotherapy for metastatic spinal epidural disease",
                      authors=_a("Klimo, Paul", "Thompson, Clinton J", "Kestle, John RW",
                                 "Schmidt, Meic H"),
                      journal="Neuro-Oncology", journal_abbrev="Neuro Oncol", year=2005,
                      volume="7", issue="1", pages="64-76"),
        ArticleRecord(citekey="rades2010", title="Final results of a prospective study "
                      "comparing the local control of short-course and long-course radiotherapy "
                      "for metastatic spinal cord compression",
                      authors=_a("Rades, Dirk", "Lange, Maike", "Veninga, Theo",
                                 "Stalpers, Lukas JA", "Bajrovic, Amira", "Adamietz, Irenaeus A",
                                 "Rudat, Volker", "Schild, Steven E"),
                      journal="International Journal of Radiation Oncology, Biology, Physics",
                      journal_abbrev="Int J Radiat Oncol Biol Phys", year=2011, volume="79",
                      issue="2", pages="524-530"),
        ArticleRecord(citekey="nguyen2020", title="Spinal metastases in Vietnam",
                      authors=_a("Nguyễn, Văn An", "Trần, Thị Bình"),
                      journal="Asian Spine Journal", journal_abbrev="Asian Spine J", year=2020,
                      volume="14", issue="4", pages="500-507"),
        ArticleRecord(citekey="vandenbrande2017", title="Minimally invasive stabilisation",
                      authors=[Author(family="van den Brande", given="Ruben"),
                               Author(family="O'Toole", given="John E")],
                      journal="The Spine Journal", journal_abbrev="Spine J", year=2017,
                      volume="17", issue="10", pages="1432-1440"),
        ArticleRecord(citekey="who2020", title="WHO classification of tumours: soft tissue "
                      "and bone tumours", authors=[Author(collective="WHO Classification of "
                                                          "Tumours Editorial Board")],
                      type="book", publisher="IARC", year=2020),
        ArticleRecord(citekey="supplement2016", title="Radiation myelopathy after spine "
                      "radiosurgery", authors=_a("Sahgal, Arjun", "Ma, Lijun"),
                      journal="Spine", journal_abbrev="Spine", year=2016, volume="41",
                      issue="Suppl 20", pages="S233-S240"),
        ArticleRecord(citekey="single2015", title="Spinal cord compression",
                      authors=_a("Cole, John S"), journal="BMJ", journal_abbrev="BMJ",
                      year=2015, volume="350", pages="h2137"),
    ]
