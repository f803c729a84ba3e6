"""Synthetic spine-oncology articles for the benchmarks: realistic in shape, invented in content.

What a benchmark needs from its data is the *shape* of a real library: titles of 80-200
characters built from the field's vocabulary, structured abstracts of 150-300 words, author
lists of one to twenty names with a long tail of big collaborations, MeSH headings with real
descriptor UIs (taken from the project's domain brief, ``/work/shared/domain/``), keywords,
publication types, and about thirty references per article, some of which cite other
generated articles by PMID and DOI so that "in my library" marks and "cited by" exist.

Promises:

- :func:`article` is a pure function of ``(seed, index, total)``: the same arguments give the
  same record on every machine and Python 3.11+ run (only :mod:`random` with explicit seeds).
- Article ``i`` cites only articles ``j < i`` (papers cite older papers), so a library of N
  articles is exactly the first N articles of any bigger one with the same seed.
- Identifiers never collide: generated PMIDs are ``>= 30,000,000`` and external reference PMIDs
  are below that; generated DOIs and PMCIDs are derived from the index by a bijection.

No network, no datasets: every word list below is written here.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from spinelib.records import ArticleRecord, Author, MeshHeading, ReferenceEntry

_T = TypeVar("_T")

#: Bump when the records produced change, so cached libraries are rebuilt.
CORPUS_VERSION = 5

#: Generated PMIDs: a bijection of the index onto [PMID_BASE, PMID_BASE + PMID_SPAN).
PMID_BASE = 30_000_000
PMID_SPAN = 10_000_000
PMID_STRIDE = 7_919  # prime, coprime with PMID_SPAN
PMCID_BASE = 1_000_000
PMCID_SPAN = 9_000_000
PMCID_STRIDE = 104_729  # prime, coprime with PMCID_SPAN
#: About thirty references an article (real spine-oncology papers: 20-60).
REFS_MEAN = 30
#: Share of references that point at an earlier generated article.
IN_LIBRARY_SHARE = 0.2


# ------------------------------------------------------------------------------ vocabulary
@dataclass(frozen=True)
class Technique:
    """A technique as papers name it, its abbreviation, and the MeSH an indexer would add."""

    phrase: str
    abbrev: str
    mesh: tuple[tuple[str, str], ...]


#: Leaf techniques of the domain brief (section 1) with their verified MeSH 2014 UIs.
TECHNIQUES: tuple[Technique, ...] = (
    Technique("percutaneous vertebroplasty", "PVP",
              (("D054854", "Vertebroplasty"), ("D019904", "Polymethyl Methacrylate"),
               ("D001843", "Bone Cements"))),
    Technique("balloon kyphoplasty", "BKP", (("D058498", "Kyphoplasty"),)),
    Technique("vertebral body stenting", "VBS",
              (("D054854", "Vertebroplasty"), ("D015607", "Stents"))),
    Technique("percutaneous sacroplasty", "PSP",
              (("D001843", "Bone Cements"), ("D012447", "Sacrum"))),
    Technique("radiofrequency ablation", "RFA",
              (("D017115", "Catheter Ablation"), ("D004564", "Electrocoagulation"))),
    Technique("percutaneous cryoablation", "", (("D003452", "Cryosurgery"),)),
    Technique("microwave ablation", "MWA",
              (("D055011", "Ablation Techniques"), ("D008872", "Microwaves"))),
    Technique("laser interstitial thermal therapy", "LITT",
              (("D053685", "Laser Therapy"), ("D006979", "Hyperthermia, Induced"))),
    Technique("decompressive laminectomy", "", (("D007796", "Laminectomy"),)),
    Technique("separation surgery", "", (("D019299", "Decompression, Surgical"),)),
    Technique("corpectomy", "", (("D019299", "Decompression, Surgical"),)),
    Technique("posterolateral transpedicular approach", "PTA",
              (("D019299", "Decompression, Surgical"),)),
    Technique("total en bloc spondylectomy", "TES",
              (("D013125", "Spinal Neoplasms"), ("D010027", "Osteotomy"))),
    Technique("open posterior instrumented fusion", "OPIF",
              (("D013123", "Spinal Fusion"), ("D001863", "Bone Screws"))),
    Technique("percutaneous pedicle screw fixation", "PPSF",
              (("D019060", "Surgical Procedures, Minimally Invasive"),)),
    Technique("minimally invasive spine stabilisation", "MISt",
              (("D019060", "Surgical Procedures, Minimally Invasive"),)),
    Technique("cement-augmented pedicle screws", "CAPS",
              (("D001843", "Bone Cements"), ("D019904", "Polymethyl Methacrylate"))),
    Technique("vertebral body replacement", "VBR",
              (("D019736", "Prostheses and Implants"), ("D013123", "Spinal Fusion"))),
    Technique("carbon fibre reinforced PEEK implants", "CFR-PEEK",
              (("D019736", "Prostheses and Implants"),)),
    Technique("mini-open surgery", "", (("D019060", "Surgical Procedures, Minimally Invasive"),)),
    Technique("tubular retractor surgery", "MAST",
              (("D019060", "Surgical Procedures, Minimally Invasive"),
               ("D013525", "Surgical Instruments"))),
    Technique("full-endoscopic spine surgery", "FESS",
              (("D004724", "Endoscopy"), ("D044583", "Neuroendoscopy"))),
    Technique("video-assisted thoracoscopic surgery", "VATS",
              (("D013906", "Thoracoscopy"), ("D020775", "Thoracic Surgery, Video-Assisted"))),
    Technique("intraoperative CT navigation", "iCT",
              (("D038361", "Neuronavigation"), ("D025321", "Surgery, Computer-Assisted"))),
    Technique("robot-assisted pedicle screw placement", "", (("D012371", "Robotics"),)),
    Technique("intraoperative neuromonitoring", "IONM",
              (("D064795", "Intraoperative Neurophysiological Monitoring"),
               ("D019054", "Evoked Potentials, Motor"))),
    Technique("conventional external beam radiotherapy", "cEBRT",
              (("D011878", "Radiotherapy"), ("D019583", "Dose Fractionation"))),
    Technique("stereotactic body radiotherapy", "SBRT",
              (("D016634", "Radiosurgery"), ("D061089", "Radiotherapy, Image-Guided"))),
    Technique("hybrid therapy", "",
              (("D003131", "Combined Modality Therapy"), ("D016634", "Radiosurgery"),
               ("D018714", "Radiotherapy, Adjuvant"))),
    Technique("proton beam therapy", "PBT", (("D061766", "Proton Therapy"),)),
    Technique("carbon-ion radiotherapy", "CIRT", (("D063193", "Heavy Ion Radiotherapy"),)),
    Technique("intraoperative radiotherapy", "IORT", (("D001918", "Brachytherapy"),)),
    Technique("salvage re-irradiation", "reRT", (("D011878", "Radiotherapy"),)),
    Technique("preoperative transarterial embolisation", "TAE",
              (("D004621", "Embolization, Therapeutic"),)),
    Technique("CT-guided percutaneous biopsy", "CNB",
              (("D061705", "Image-Guided Biopsy"), ("D001707", "Biopsy, Needle"))),
)

#: Primary histologies (domain brief section 3.1): how titles say it, and the MeSH.
HISTOLOGIES: tuple[tuple[str, tuple[str, str]], ...] = (
    ("breast cancer", ("D001943", "Breast Neoplasms")),
    ("prostate cancer", ("D011471", "Prostatic Neoplasms")),
    ("non-small cell lung cancer", ("D002289", "Carcinoma, Non-Small-Cell Lung")),
    ("lung cancer", ("D008175", "Lung Neoplasms")),
    ("renal cell carcinoma", ("D002292", "Carcinoma, Renal Cell")),
    ("thyroid cancer", ("D013964", "Thyroid Neoplasms")),
    ("multiple myeloma", ("D009101", "Multiple Myeloma")),
    ("solitary plasmacytoma", ("D010954", "Plasmacytoma")),
    ("lymphoma", ("D008223", "Lymphoma")),
    ("colorectal cancer", ("D015179", "Colorectal Neoplasms")),
    ("hepatocellular carcinoma", ("D006528", "Carcinoma, Hepatocellular")),
    ("melanoma", ("D008545", "Melanoma")),
    ("sarcoma", ("D012509", "Sarcoma")),
    ("chordoma", ("D002817", "Chordoma")),
    ("chondrosarcoma", ("D002813", "Chondrosarcoma")),
    ("osteosarcoma", ("D012516", "Osteosarcoma")),
    ("Ewing sarcoma", ("D012512", "Sarcoma, Ewing")),
    ("giant cell tumour of bone", ("D005870", "Giant Cell Tumors")),
    ("aggressive vertebral haemangioma", ("D006391", "Hemangioma")),
    ("osteoblastoma", ("D018215", "Osteoblastoma")),
    ("aneurysmal bone cyst", ("D017824", "Bone Cysts, Aneurysmal")),
    ("cancer of unknown primary", ("D009382", "Neoplasms, Unknown Primary")),
)
#: The article's condition and the relevance MeSH it brings (domain brief section 1.10).
CONDITIONS: tuple[tuple[str, tuple[str, str]], ...] = (
    ("spinal metastases", ("D013125", "Spinal Neoplasms")),
    ("metastatic epidural spinal cord compression", ("D013117", "Spinal Cord Compression")),
    ("pathological vertebral compression fractures", ("D050815", "Fractures, Compression")),
    ("metastatic spine disease", ("D009362", "Neoplasm Metastasis")),
    ("primary spinal column tumours", ("D013125", "Spinal Neoplasms")),
    ("epidural metastases", ("D015174", "Epidural Neoplasms")),
    ("spinal instability", ("D007593", "Joint Instability")),
    ("painful vertebral metastases", ("D013125", "Spinal Neoplasms")),
)
REGIONS: tuple[tuple[str, tuple[str, str]], ...] = (
    ("cervical", ("D002574", "Cervical Vertebrae")),
    ("thoracic", ("D013904", "Thoracic Vertebrae")),
    ("lumbar", ("D008159", "Lumbar Vertebrae")),
    ("sacral", ("D012447", "Sacrum")),
    ("thoracolumbar", ("D013904", "Thoracic Vertebrae")),
    ("cervicothoracic", ("D002574", "Cervical Vertebrae")),
)
SCORES = ("SINS", "revised Tokuhashi score", "Tomita score", "Bilsky ESCC grade", "NOMS framework",
          "Karnofsky performance status", "SORG machine-learning algorithm", "modified Bauer score",
          "Frankel grade", "ASIA impairment scale", "ECOG performance status")
#: (title phrase, PublicationType UI and name, design MeSH or None, evidence level)
DESIGNS: tuple[tuple[str, tuple[str, str], tuple[str, str] | None, str], ...] = (
    ("a retrospective cohort study", ("D016428", "Journal Article"),
     ("D012189", "Retrospective Studies"), "III"),
    ("a prospective multicentre cohort study", ("D064888", "Observational Study"),
     ("D011446", "Prospective Studies"), "II"),
    ("a randomised controlled trial", ("D016449", "Randomized Controlled Trial"), None, "I"),
    ("a systematic review and meta-analysis", ("D017418", "Meta-Analysis"), None, "I"),
    ("a systematic review", ("D000078182", "Systematic Review"), None, "II"),
    ("a narrative review", ("D016454", "Review"), None, "V"),
    ("a case series", ("D016428", "Journal Article"), ("D012189", "Retrospective Studies"), "IV"),
    ("a case report and review of the literature", ("D002363", "Case Reports"), None, "V"),
    ("a matched case-control study", ("D016428", "Journal Article"),
     ("D016022", "Case-Control Studies"), "III"),
    ("a phase II trial", ("D017427", "Clinical Trial, Phase II"), None, "II"),
    ("an international consensus statement", ("D016446", "Consensus Development Conference"),
     None, "V"),
    ("a reliability analysis", ("D023361", "Validation Study"), None, "II"),
)
#: MEDLINE check tags most human-subject papers carry.
CHECK_TAGS = (("D006801", "Humans"), ("D008297", "Male"), ("D005260", "Female"),
              ("D000368", "Aged"), ("D008875", "Middle Aged"), ("D000328", "Adult"),
              ("D016896", "Treatment Outcome"), ("D011379", "Prognosis"),
              ("D009367", "Neoplasm Staging"), ("D010166", "Palliative Care"))
#: MeSH qualifier UI -> name, as efetch writes them (records keep the names).
QUALIFIERS = {"Q000556": "secondary", "Q000601": "surgery", "Q000532": "radiotherapy",
              "Q000628": "therapy", "Q000000981": "diagnostic imaging", "Q000401": "mortality",
              "Q000379": "methods", "Q000009": "adverse effects"}
OUTCOMES = ("local control", "overall survival", "pain relief", "neurological recovery",
            "ambulatory status", "vertebral compression fracture", "cement leakage",
            "screw loosening", "wound complications", "health-related quality of life",
            "30-day mortality", "length of stay", "radiographic fusion", "adjacent-level fracture",
            "dural tear", "blood loss", "time to systemic therapy", "epidural disease progression")
COMPARATORS = ("conventional open surgery", "radiotherapy alone", "best supportive care",
               "non-surgical management", "open decompression", "single-fraction radiotherapy",
               "multi-fraction radiotherapy", "sham procedure", "standard care")
#: (journal, ISO abbreviation, print ISSN, DOI prefix)
JOURNALS: tuple[tuple[str, str, str, str], ...] = (
    ("Spine", "Spine (Phila Pa 1976)", "0362-2436", "10.1097"),
    ("European spine journal", "Eur Spine J", "0940-6719", "10.1007"),
    ("Journal of neurosurgery. Spine", "J Neurosurg Spine", "1547-5654", "10.3171"),
    ("The spine journal", "Spine J", "1529-9430", "10.1016"),
    ("Global spine journal", "Global Spine J", "2192-5682", "10.1177"),
    ("Neurosurgery", "Neurosurgery", "0148-396X", "10.1227"),
    ("International journal of radiation oncology, biology, physics",
     "Int J Radiat Oncol Biol Phys", "0360-3016", "10.1016"),
    ("Radiotherapy and oncology", "Radiother Oncol", "0167-8140", "10.1016"),
    ("The Lancet. Oncology", "Lancet Oncol", "1470-2045", "10.1016"),
    ("Journal of clinical oncology", "J Clin Oncol", "0732-183X", "10.1200"),
    ("Cancer", "Cancer", "0008-543X", "10.1002"),
    ("World neurosurgery", "World Neurosurg", "1878-8750", "10.1016"),
    ("Neurosurgical focus", "Neurosurg Focus", "1092-0684", "10.3171"),
    ("Asian spine journal", "Asian Spine J", "1976-1902", "10.31616"),
    ("BMC musculoskeletal disorders", "BMC Musculoskelet Disord", "1471-2474", "10.1186"),
    ("Frontiers in oncology", "Front Oncol", "2234-943X", "10.3389"),
    ("Cancers", "Cancers (Basel)", "2072-6694", "10.3390"),
    ("Acta neurochirurgica", "Acta Neurochir (Wien)", "0001-6268", "10.1007"),
    ("Journal of bone oncology", "J Bone Oncol", "2212-1374", "10.1016"),
    ("Pain physician", "Pain Physician", "1533-3159", "10.36076"),
    ("AJNR. American journal of neuroradiology", "AJNR Am J Neuroradiol", "0195-6108",
     "10.3174"),
    ("Cardiovascular and interventional radiology", "Cardiovasc Intervent Radiol", "0174-1551",
     "10.1007"),
    ("Journal of vascular and interventional radiology", "J Vasc Interv Radiol", "1051-0443",
     "10.1016"),
    ("Practical radiation oncology", "Pract Radiat Oncol", "1879-8500", "10.1016"),
)
#: Family names from many countries, including the non-ASCII ones exports must handle.
FAMILY_NAMES = (  # noqa: SIM905 (a word list reads better as text)
    "Patchell Bilsky Laufer Fisher Fourney Gerszten Sahgal Tokuhashi Tomita Kawahara Murakami "
    "Yamada Lis Schmidt Rhines Varga Vrionis Gokaslan Boriani Gasbarrini Bandiera Ghermandi "
    "Sciubba Wolinsky Goodwin Clarke Ryu Chang Yoon Kim Lee Park Choi Wang Zhang Li Liu Chen "
    "Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin He Gao Luo Tanaka Suzuki Takahashi "
    "Watanabe Ito Nakamura Kobayashi Saito Kato Yoshida Sato Smith Johnson Williams Brown Jones "
    "Miller Davis Wilson Anderson Taylor Thomas Moore Martin Jackson White Harris Thompson "
    "Garcia Martinez Rodriguez Lopez Gonzalez Hernandez Perez Sanchez Ramirez Torres Rossi "
    "Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti "
    "Muller Schmitt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter "
    "Klein Wolf Schroder Neumann Dubois Durand Lefebvre Moreau Laurent Simon Michel Bernard "
    "Jansen Visser Smit Bakker Janssen Mulder Nielsen Hansen Pedersen Andersen Larsen "
    "Johansson Karlsson Nilsson Eriksson Virtanen Korhonen Novak Horvat Kowalski Nowak "
    "Wisniewski Ivanov Petrov Popescu Papadopoulos Yilmaz Kaya Demir Cohen Levi Singh Kumar "
    "Sharma Gupta Patel Shah Reddy Rao Iyer Nair Das Khan Ahmed Ali Hassan Hussein Ibrahim "
    "Mahmoud Okafor Adeyemi Mensah Silva Santos Oliveira Souza Costa Pereira Almeida Nguyen "
    "Tran Pham Kaur O'Brien O'Connor McCarthy MacDonald"
).split() + [
    "van der Linden", "de Vries", "van Dijk", "Lopez de Castro", "García-Márquez",
    "Müller", "Schröder", "Ødegaard", "Čapek", "Dvořák", "Håkansson", "Jørgensen", "Søren",
    "Núñez", "Peña", "Ibáñez", "Gonçalves", "Löfgren", "Åberg", "Öztürk",
    "Şahin", "Çelik", "Großmann", "Kupče", "Łukasiewicz", "Żak", "Nováková", "Ionescu-Ţepeş",
    "Bérubé", "Lefèvre", "D'Angelo", "Dell'Acqua",
]
GIVEN_NAMES = (  # noqa: SIM905 (a word list reads better as text)
    "Roy Mark Ilya Charles Daniel Peter Arjun Yasuaki Katsuro Norio Hideki Yoshiya Eric Meic "
    "Laurence Peter Frank Ziya Stefano Alessandro Giovanni Riccardo Daniel Jean-Paul Matthew "
    "Sam Samuel Wei Jun Hao Min-Jun Seung-Hwan Ji-Hoon Xiaoming Lei Yan Hiroshi Takeshi Kenji "
    "Aiko Yuki Haruka Sarah Emily Jessica Laura Anna Maria Sofia Elena Giulia Chiara Francesca "
    "Hans Klaus Jürgen Sören Lukas Felix Jonas Marie Claire Camille Louis Hugo Pieter Jan "
    "Anders Lars Erik Björn Astrid Ingrid Mikko Tomasz Piotr Agnieszka Ivan Olga Andrei "
    "Dimitrios Mehmet Ayşe Yossi Rahul Priya Anil Sanjay Aisha Fatima Omar Chukwuemeka Kwame "
    "João Ana Luiz Thanh Minh Siobhán Seán Ciarán José Dolores Ángel Zoë Chloé René"
).split()
INITIALS = ("A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "T",
            "W", "AB", "CG", "JH", "MK", "RA", "SD", "TJ", "YW")
COLLECTIVES = ("AOSpine Knowledge Forum Tumor", "Spine Oncology Study Group",
               "Global Spine Tumour Study Group", "CAFE Investigators",
               "NRG Oncology/RTOG 0631 Investigators", "Canadian Cancer Trials Group SC.24",
               "EPOSO Collaborative", "SOSG Outcomes Working Group")

#: Sentence frames for abstract sections; {…} slots are filled per article.
BACKGROUND = (
    "{Condition} affect up to 40% of patients with {histology} and remain a leading cause of "
    "pain, neurological deficit and loss of independence.",
    "The optimal role of {technique} in the management of {condition} is still debated.",
    "Evidence comparing {technique} with {comparator} for {condition} is limited to small "
    "single-centre series.",
    "Advances in systemic therapy have prolonged survival in {histology}, increasing the number "
    "of patients who present with {condition} requiring durable local control.",
    "Spinal instability, as quantified by the {score}, is an independent indication for "
    "stabilisation irrespective of radiosensitivity.",
)
METHODS = (
    "We reviewed {n} consecutive patients treated with {technique} for {condition} at {centres} "
    "tertiary centres between {y1} and {y2}.",
    "Patients were followed up at 6 weeks, 3, 6 and 12 months, and {outcome} was assessed "
    "using standardised instruments.",
    "The primary endpoint was {outcome}; secondary endpoints included {outcome2} and "
    "complications graded by the Clavien-Dindo classification.",
    "Multivariable Cox regression was used to identify predictors of {outcome}, adjusting for "
    "age, {score} and {histology} histology.",
    "A total of {n} {region} levels were treated; the median dose was {dose} Gy in {fx} "
    "fractions.",
    "Databases including PubMed, Embase and the Cochrane Library were searched from inception "
    "to {y2} following the PRISMA statement.",
)
RESULTS = (
    "The median follow-up was {fu} months (range, 1-{fu2}).",
    "{outcome_cap} was achieved in {pct}% of patients at 12 months (95% CI, {lo}-{hi}%).",
    "Compared with {comparator}, {technique} was associated with improved {outcome} "
    "(hazard ratio {hr}; P = {p}).",
    "Complications occurred in {k} patients ({pct2}%), most commonly {outcome2}.",
    "On multivariable analysis, a {score} of 7 or more and {histology} histology were "
    "independently associated with worse {outcome}.",
    "Ambulatory status was preserved or regained in {pct}% and the mean visual analogue scale "
    "score decreased from {v1} to {v2} (P < .001).",
)
CONCLUSIONS = (
    "{Technique} is a safe and effective option for selected patients with {condition}.",
    "These findings support the integration of {technique} into multidisciplinary decision "
    "frameworks such as the {score}.",
    "Prospective randomised data are needed before {technique} can be recommended over "
    "{comparator}.",
    "Careful patient selection based on the {score} and expected survival remains essential.",
)
#: Title frames, each with enough slots (10^5-10^8 fillings) that two articles rarely share a
#: title and year (16 pairs in 100,000 for seed 1) and never also a first author, which the
#: Library would rightly merge into one article; the build checks that every article was new.
TITLE_FRAMES = (
    "{Technique} for {region} {condition} from {histology}: {design}",
    "{Technique} versus {comparator} in {n} patients with {condition} from {histology}: "
    "{design}",
    "Outcomes of {technique} ({abbrev}) for {region} {condition}: {design} of {n} patients",
    "Predictors of {outcome} after {technique} for {region} {condition}: {n} patients with "
    "{histology}",
    "Does the {score} predict {outcome} after {technique} in {n} patients with {histology}? "
    "{Design}",
    "{Outcome} following {technique} and {technique2} for {histology} metastases to the "
    "{region} spine",
    "Long-term {outcome} after {technique} in {n} patients with {condition}: {design}",
    "Role of {technique} in the era of {technique2} for {region} {condition} from {histology}: "
    "{n} consecutive cases",
    "{Technique} combined with {technique2} for {region} {condition} in {histology}: "
    "{design}",
    "Cost-effectiveness of {technique} compared with {comparator} for {condition} from "
    "{histology}: {design}",
)
KEYWORD_EXTRAS = ("spinal metastases", "spine surgery", "radiotherapy", "quality of life",
                  "pain", "survival analysis", "complications", "instability", "oncology",
                  "minimally invasive", "outcomes", "decision making", "prognosis")


# ------------------------------------------------------------------------------ identifiers
def pmid_for(index: int) -> str:
    """The PMID of generated article ``index`` (unique for index < PMID_SPAN)."""
    return str(PMID_BASE + (index * PMID_STRIDE) % PMID_SPAN)


def pmcid_for(index: int) -> str:
    return f"PMC{PMCID_BASE + (index * PMCID_STRIDE) % PMCID_SPAN}"


def doi_for(index: int, prefix: str, year: int) -> str:
    """A DOI in a publisher's prefix; the index in the suffix keeps it unique."""
    return f"{prefix}/sl.{year}.{index:07d}"


# ------------------------------------------------------------------------------ one article
@dataclass(frozen=True)
class Core:
    """What a citation of an article needs; cheap to compute for any index."""

    index: int
    title: str
    authors: tuple[Author, ...]
    journal: int
    year: int
    volume: str
    issue: str
    pages: str
    doi: str
    pmid: str


class _Draws(random.Random):
    """:class:`random.Random` whose ``choice``, ``randint`` and ``randrange`` return exactly
    what the standard ones return from the same state (the same rejection sampling on
    ``getrandbits``, as CPython 3.11-3.13 do it), in one Python frame instead of three or
    four: a generated article takes about a thousand such draws, and the 100,000-record
    file and the 20,000-entry ``.bib`` are made on every fresh ``make bench`` (issue 19).
    ``tests/core/test_corpus_draws.py`` holds them to the standard ones."""

    def choice(self, seq: Sequence[_T]) -> _T:
        n = len(seq)
        if not n:
            raise IndexError("Cannot choose from an empty sequence")
        k = n.bit_length()
        r = self.getrandbits(k)
        while r >= n:
            r = self.getrandbits(k)
        return seq[r]

    def randrange(self, start: int, stop: int | None = None,  # type: ignore[override]
                  step: int = 1) -> int:
        if stop is None:
            start, stop = 0, start
        width = stop - start
        if step != 1 or width <= 0 or type(start) is not int or type(stop) is not int:
            return super().randrange(start, stop, step)  # the rare shapes: the standard path
        k = width.bit_length()
        r = self.getrandbits(k)
        while r >= width:
            r = self.getrandbits(k)
        return start + r

    def randint(self, a: int, b: int) -> int:
        return self.randrange(a, b + 1)


def _rng(seed: int, index: int, part: str) -> random.Random:
    # A string seed is hashed by random's own (SHA-512 based) algorithm, never by the
    # per-process randomised str hash, so records are identical across runs.
    return _Draws(f"spinelib-bench:{seed}:{index}:{part}")


def _author_count(rng: random.Random) -> int:
    """1-20 authors, mode around 5-6, and a long tail of big collaborations (1%)."""
    if rng.random() < 0.01:
        return rng.randint(21, 80)
    return min(20, max(1, round(rng.lognormvariate(1.7, 0.5))))


def _authors(rng: random.Random) -> tuple[Author, ...]:
    out: list[Author] = []
    for _ in range(_author_count(rng)):
        given = rng.choice(GIVEN_NAMES)
        if rng.random() < 0.25:
            given = f"{given} {rng.choice('ABCDEFGHJKLMNPRSTW')}"
        initials = "".join(p[0] for p in given.replace("-", " ").split())
        out.append(Author(family=rng.choice(FAMILY_NAMES), given=given, initials=initials))
    if rng.random() < 0.03:
        out.append(Author(collective=rng.choice(COLLECTIVES)))
    return tuple(out)


def _slots(rng: random.Random) -> dict[str, str]:
    tech, tech2 = rng.sample(TECHNIQUES, 2)
    design = rng.choice(DESIGNS)
    hist = rng.choice(HISTOLOGIES)[0]
    cond = rng.choice(CONDITIONS)[0]
    out1, out2 = rng.sample(OUTCOMES, 2)
    s = {
        "technique": tech.phrase, "technique2": tech2.phrase,
        "abbrev": tech.abbrev or tech.phrase.split()[0].upper(),
        "condition": cond, "histology": hist, "region": rng.choice(REGIONS)[0],
        "design": design[0], "comparator": rng.choice(COMPARATORS), "score": rng.choice(SCORES),
        "outcome": out1, "outcome2": out2, "n": str(rng.randint(8, 1200)),
    }
    for key in ("technique", "condition", "design", "outcome"):
        s[key.capitalize()] = s[key][:1].upper() + s[key][1:]
    return s


def core(seed: int, index: int) -> Core:
    """Title, authors, journal and identifiers of article ``index`` (see the module promises)."""
    return _core_from(_rng(seed, index, "core"), index)[0]


def _core_from(rng: random.Random, index: int) -> tuple[Core, dict[str, str]]:
    """The core drawn from ``rng``, and the title's slots (the body's abstract, MeSH and
    keywords agree with them)."""
    slots = _slots(rng)
    title = rng.choice(TITLE_FRAMES).format(**slots)
    # Stored without PubMed's closing period, as SpineLib's parser stores titles.
    title = title[:1].upper() + title[1:]
    journal = rng.randrange(len(JOURNALS))
    year = min(2025, 1990 + int(rng.betavariate(4, 1.6) * 36))
    volume = str(max(1, year - 1975 + rng.randint(-3, 3)))
    issue = str(rng.randint(1, 24))
    first = rng.randint(1, 2400)
    pages = f"{first}-{first + rng.randint(3, 14)}"
    if rng.random() < 0.1:
        pages = f"e{rng.randint(10000, 99999)}"
    doi = doi_for(index, JOURNALS[journal][3], year) if index >= 0 and rng.random() < 0.9 else ""
    return Core(index, title, _authors(rng), journal, year, volume, issue, pages, doi,
                pmid_for(index)), slots


def vancouver(c: Core) -> str:
    """The citation text of a reference to ``c``, as PubMed's ReferenceList spells it."""
    names = [a.display() for a in c.authors[:6]]
    who = ", ".join(names) + (", et al" if len(c.authors) > 6 else "")
    text = f"{who}. {c.title} {JOURNALS[c.journal][1]}. {c.year};{c.volume}({c.issue}):{c.pages}."
    return text + (f" doi:{c.doi}" if c.doi else "")


def _external_reference(rng: random.Random, position: int) -> ReferenceEntry:
    """A cited article outside the library: a plausible citation, sometimes without ids.

    Drawn from the citing article's own stream with as few draws as a citation needs (a
    citation shows six authors at most), because most of a library's text is references.
    """
    n_authors = min(9, max(1, round(rng.lognormvariate(1.5, 0.6))))
    who = ", ".join(f"{rng.choice(FAMILY_NAMES)} {rng.choice(INITIALS)}"
                    for _ in range(min(6, n_authors)))
    if n_authors > 6:
        who += ", et al"
    tech, tech2 = rng.choice(TECHNIQUES).phrase, rng.choice(TECHNIQUES).phrase
    slots = {"technique": tech, "Technique": tech[:1].upper() + tech[1:], "technique2": tech2,
             "abbrev": "", "condition": rng.choice(CONDITIONS)[0],
             "histology": rng.choice(HISTOLOGIES)[0], "region": rng.choice(REGIONS)[0],
             "design": rng.choice(DESIGNS)[0], "comparator": rng.choice(COMPARATORS),
             "score": rng.choice(SCORES), "outcome": rng.choice(OUTCOMES),
             "n": str(rng.randint(8, 900))}
    for key in ("condition", "design", "outcome"):
        slots[key.capitalize()] = slots[key][:1].upper() + slots[key][1:]
    title = rng.choice(TITLE_FRAMES).format(**slots).replace(" ()", "")
    journal = rng.choice(JOURNALS)
    year = rng.randint(1985, 2024)
    first = rng.randint(1, 2400)
    pmid = str(rng.randint(1_000_000, PMID_BASE - 1)) if rng.random() < 0.7 else ""
    doi = f"{journal[3]}/ext.{rng.randrange(10**9):09d}" if rng.random() < 0.6 else ""
    citation = (f"{who}. {title[:1].upper()}{title[1:]}. {journal[1]}. {year};"
                f"{rng.randint(1, 60)}({rng.randint(1, 12)}):{first}-{first + rng.randint(3, 14)}.")
    if doi:
        citation += f" doi:{doi}"
    return ReferenceEntry(position=position, citation=citation, doi=doi, pmid=pmid)


def _references(rng: random.Random, seed: int, index: int) -> list[ReferenceEntry]:
    count = max(0, min(120, round(rng.gauss(REFS_MEAN, 9))))
    if rng.random() < 0.05:
        count = 0  # letters, editorials and records PubMed has no list for
    refs: list[ReferenceEntry] = []
    for pos in range(1, count + 1):
        if index > 0 and rng.random() < IN_LIBRARY_SHARE:
            citation, doi, pmid = _cited(seed, rng.randrange(index))
            refs.append(ReferenceEntry(position=pos, citation=citation, doi=doi, pmid=pmid))
        else:
            refs.append(_external_reference(rng, pos))
    return refs


#: (seed, index) -> what a reference to that generated article holds, kept per process:
#: a fifth of the references cite earlier articles, so a 100,000-article file asks for
#: about 600,000 of them, of at most 100,000 different ones (each a fresh random stream
#: and title otherwise; issue 19, a fresh ``make bench`` makes that file). About 400 bytes
#: an entry.
_CITED: dict[tuple[int, int], tuple[str, str, str]] = {}


def _cited(seed: int, index: int) -> tuple[str, str, str]:
    """(citation, DOI, PMID) of a reference to article ``index``: :func:`vancouver` of its
    :func:`core`, computed once a process."""
    key = (seed, index)
    found = _CITED.get(key)
    if found is None:
        target = core(seed, index)
        found = _CITED[key] = (vancouver(target), target.doi, target.pmid)
    return found


def _fill(frame: str, rng: random.Random, slots: dict[str, str]) -> str:
    values = dict(slots)
    values.update(
        centres=str(rng.randint(1, 12)), y1=str(rng.randint(1995, 2012)),
        y2=str(rng.randint(2013, 2025)), dose=str(rng.choice((8, 16, 18, 20, 24, 27, 30, 35))),
        fx=str(rng.choice((1, 2, 3, 5, 10))), fu=str(rng.randint(3, 60)),
        fu2=str(rng.randint(61, 180)), pct=str(rng.randint(40, 98)),
        pct2=str(rng.randint(2, 35)), lo=str(rng.randint(30, 60)), hi=str(rng.randint(61, 99)),
        hr=f"{rng.uniform(0.3, 0.95):.2f}", p=f"{rng.uniform(0.001, 0.049):.3f}",
        k=str(rng.randint(1, 60)), v1=f"{rng.uniform(6, 9):.1f}", v2=f"{rng.uniform(1, 4):.1f}",
        outcome_cap=slots["Outcome"],
    )
    return frame.format(**values)


def _abstract(rng: random.Random, slots: dict[str, str]) -> str:
    """A structured abstract (80%) or a single paragraph, 150-300 words."""
    if rng.random() < 0.08:
        return ""  # letters, editorials, old records
    sections = [("BACKGROUND", BACKGROUND, 2), ("METHODS", METHODS, 3),
                ("RESULTS", RESULTS, 4), ("CONCLUSIONS", CONCLUSIONS, 2)]
    parts = []
    for label, frames, n in sections:
        chosen = rng.sample(frames, min(n, len(frames)))
        parts.append((label, " ".join(_fill(f, rng, slots) for f in chosen)))
    if rng.random() < 0.2:
        return " ".join(text for _, text in parts)
    if rng.random() < 0.3:
        parts.append(("LEVEL OF EVIDENCE", rng.choice(("2", "3", "4", "III", "IV"))))
    return "\n\n".join(f"{label}: {text}" for label, text in parts)


def _mesh(rng: random.Random, slots: dict[str, str]) -> list[MeshHeading]:
    """MeSH as NLM indexes these papers: site/secondary, histology, technique, check tags."""
    if rng.random() < 0.15:
        return []  # ahead-of-print and non-MEDLINE records carry none
    tech = next(t for t in TECHNIQUES if t.phrase == slots["technique"])
    hist = dict(HISTOLOGIES)[slots["histology"]]
    cond = dict(CONDITIONS)[slots["condition"]]
    region = dict(REGIONS)[slots["region"]]
    picked: dict[str, MeshHeading] = {}

    def add(ui_name: tuple[str, str], major: bool = False, *quals: str) -> None:
        ui, name = ui_name
        if ui not in picked:
            picked[ui] = MeshHeading(ui=ui, name=name, major=major,
                                     qualifiers=[QUALIFIERS[q] for q in quals])

    add(cond, True, "Q000556" if cond[0] in ("D013125", "D015174") else "Q000601")
    add(hist, False, "Q000556" if rng.random() < 0.5 else "Q000628")
    for m in tech.mesh:
        add(m, rng.random() < 0.5, rng.choice(("Q000379", "Q000009", "Q000532", "Q000601")))
    add(region, False, rng.choice(("Q000601", "Q000000981", "Q000532")))
    for tag in rng.sample(CHECK_TAGS, rng.randint(3, 8)):
        add(tag)
    design_mesh = next(d[2] for d in DESIGNS if d[0] == slots["design"])
    if design_mesh:
        add(design_mesh)
    return sorted(picked.values(), key=lambda m: m.name)


def article(seed: int, index: int) -> ArticleRecord:
    """Generated article ``index`` as a PubMed-sourced record (see the module promises)."""
    # The body reuses the title's slots so abstract, MeSH and keywords agree with the title.
    c, slots = _core_from(_rng(seed, index, "core"), index)
    rng = _rng(seed, index, "body")
    design = next(d for d in DESIGNS if d[0] == slots["design"])
    pub_types = [design[1][1]]
    if design[1][1] != "Journal Article":
        pub_types.insert(0, "Journal Article")
    if rng.random() < 0.15:
        pub_types.append(rng.choice(("Comparative Study", "Multicenter Study")))
    journal, abbrev, issn, _prefix = JOURNALS[c.journal]
    keywords = list(dict.fromkeys(
        [slots["technique"], slots["histology"], slots["condition"]]
        + rng.sample(KEYWORD_EXTRAS, rng.randint(1, 3)))) if rng.random() < 0.7 else []
    kind = "review" if design[1][1] in ("Review", "Systematic Review") else "article"
    return ArticleRecord(
        title=c.title, authors=list(c.authors), journal=journal, journal_abbrev=abbrev,
        issn=issn, year=c.year, month=rng.randint(1, 12), volume=c.volume, issue=c.issue,
        pages=c.pages, doi=c.doi, pmid=c.pmid,
        pmcid=pmcid_for(index) if rng.random() < 0.25 else "",
        abstract=_abstract(rng, slots), language="eng", type=kind,
        publication_types=pub_types, mesh=_mesh(rng, slots), keywords=keywords,
        references=_references(rng, seed, index), retracted=rng.random() < 0.002,
        has_erratum=rng.random() < 0.005, source="pubmed",
    )


def articles(seed: int, start: int, stop: int) -> list[ArticleRecord]:
    """Articles ``start`` .. ``stop - 1``."""
    return [article(seed, i) for i in range(start, stop)]


#: Tags a surgeon makes for their own work, beside the vocabulary's suggestions.
USER_TAGS = ("journal club", "to read", "grant: SBRT outcomes", "teaching", "SINS project",
             "chordoma series", "review 2025 draft", "guideline committee", "case conference",
             "cement leakage", "revision cases", "résumé: key papers")
#: Reading lists and how many articles each holds.
READING_LISTS = (("Journal club 2025", 24), ("Residents' core reading", 120),
                 ("Separation surgery review", 300), ("SBRT vs cEBRT", 80),
                 ("Vertebral augmentation evidence", 150), ("To read this week", 15),
                 ("Primary tumours: en bloc", 60), ("Grant background", 200))
