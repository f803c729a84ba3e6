"""PubMed's "Save ▸ Abstract (text)" file (efetch's ``rettype=abstract`` text) imported for
its records' PMIDs: a saved search result comes back as PubMed's full records, or waits in
the pending list offline. It was refused before ("line 1 … is not a DOI, PMID or PMCID").

The text below has the export's shape (as efetch returns it: records numbered from 1,
wrapped at 80 columns, two blank lines between records, the record's own PMID on the line
that ends it): a comment a record names (indented, with its own PMID), a PMCID line, an
abstract line that starts "2. ", and a record not yet indexed ("[Publisher]").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.identifierfiles import listed_identifiers, pubmed_text_list

ABSTRACT_TEXT = """\
1. Lancet. 2005 Aug 20-26;366(9486):643-8. doi: 10.1016/S0140-6736(05)66954-1.

Direct decompressive surgical resection in the treatment of spinal cord
compression caused by metastatic cancer: a randomised trial.

Patchell RA(1), Tibbs PA, Regine WF, Payne R, Saris S, Kryscio RJ, Mohiuddin M,
Young B.

Comment in
    Lancet. 2005 Aug 20-26;366(9486):609-10. doi: 10.1016/S0140-6736(05)67110-3.
PMID: 16112286.

Author information:
(1)Department of Surgery, University of Kentucky Medical Center, Lexington, KY,
USA.

BACKGROUND: The standard treatment for spinal cord compression caused by
metastatic cancer is corticosteroids and radiotherapy. Two outcomes were
compared:
2. the ability to walk, and continence.

DOI: 10.1016/S0140-6736(05)66954-1
PMID: 16112300  [Indexed for MEDLINE]


2. Oncologist. 2013;18(6):744-51. doi: 10.1634/theoncologist.2012-0293. Epub 2013
May 24.

The NOMS framework: approach to the treatment of spinal metastatic tumors.

Laufer I(1), Rubin DG, Lis E, Cox BW, Stubblefield MD, Yamada Y, Bilsky MH.

DOI: 10.1634/theoncologist.2012-0293
PMCID: PMC4063402
PMID: 23709750  [Indexed for MEDLINE]


3. Global Spine J. 2026 Jan 5:21925682251234567. doi: 10.1177/21925682251234567.
Online ahead of print.

Separation surgery followed by SBRT for metastatic epidural spinal cord
compression.

DOI: 10.1177/21925682251234567
PMID: 41234567  [Publisher]
"""

PMIDS = ["16112300", "23709750", "41234567"]


def test_each_records_own_pmid_in_order(tmp_path: Path) -> None:
    saved = tmp_path / "abstract-spinal-set.txt"
    saved.write_text(ABSTRACT_TEXT, encoding="utf-8")
    listed = listed_identifiers(saved)
    assert listed is not None and listed.skipped == []
    # Not the comment's PMID, not the DOIs beside each PMID (one article, one identifier).
    assert [(f.text, f.identifier.kind, f.identifier.value) for f in listed.found
            if f.identifier] == [(f"PMID: {p}", "pmid", p) for p in PMIDS]


@pytest.mark.parametrize("text", [
    "1. 10.1016/S0140-6736(05)66954-1\n2. 10.1634/theoncologist.2012-0293\n",  # no PMID line
    "Reading for Monday\nPMID: 16112300\n",  # not a PubMed export: not numbered from 1
    "2. Lancet. 2005.\n\nPMID: 16112300\n",  # not its first record
])
def test_other_text_is_not_taken_for_a_pubmed_export(text: str) -> None:
    assert pubmed_text_list(text) is None


def test_a_file_saved_with_windows_line_ends_reads_the_same(tmp_path: Path) -> None:
    saved = tmp_path / "abstract.txt"
    saved.write_bytes(ABSTRACT_TEXT.replace("\n", "\r\n").encode("utf-8"))
    listed = listed_identifiers(saved)
    assert listed is not None
    assert [f.identifier.value for f in listed.found if f.identifier] == PMIDS
