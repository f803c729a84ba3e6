"""Whether an RIS record's accession number (``AN``) is its PubMed ID.

Databases put their own record numbers in ``AN``: PubMed's and MEDLINE's are PMIDs
(whoever provides the database: "MEDLINE" on EBSCOhost, "Ovid MEDLINE(R)"), Embase's,
Scopus's, CINAHL's, PsycINFO's and Cochrane's are not, and a bare number of theirs taken
for a PMID would fetch, or merge with, another paper. ``DB`` names the database and ``DP``
its provider.
"""

from __future__ import annotations

import re

#: An accession number that says it is a PubMed ID ("PMID:35123456").
_LABELLED_PMID_RE = re.compile(r"PMID\s*:?\s*(\d{1,8})", re.I)
#: Databases (and providers) whose accession numbers are not PMIDs.
_OTHER_DATABASES = re.compile(r"embase|scopus|web of science|wos|cinahl|psycinfo|"
                              r"cochrane|biosis|ebsco|proquest", re.I)
_MEDLINE_DATABASE = re.compile(r"medline|pubmed", re.I)


def pmid_in_accession(accession: str, databases: list[str], providers: list[str]) -> str:
    """The PMID ``accession`` gives ('' for none): one labelled so ("PMID:35123456") in any
    database; an all-digit one when the database is MEDLINE or PubMed alone, or when neither
    the database nor its provider is one with numbers of its own."""
    labelled = _LABELLED_PMID_RE.fullmatch(accession)
    if labelled:
        return labelled.group(1)
    if not re.fullmatch(r"\d{1,8}", accession):
        return ""
    named = " ".join(databases)
    if _MEDLINE_DATABASE.search(named):
        return "" if _OTHER_DATABASES.search(named) else accession
    return "" if _OTHER_DATABASES.search(" ".join(databases + providers)) else accession
