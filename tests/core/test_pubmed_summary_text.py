"""PubMed's "Save ▸ Summary (text)" file, the first format of the Save dialog, imported for
its records' PMIDs, as the "Abstract (text)" file is (``test_pubmed_abstract_text.py``).
It was refused before: "cannot tell its format from the content".

Its shape: citations numbered from 1, a blank line between them, each naming its DOI, its
PMID and perhaps its PMCID, wrapped at 80 columns (or on one line); older exports number
"1:" and write "PubMed PMID: n".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.cli.articles_cmds import stdin_inputs
from spinelib.identifierfiles import listed_identifiers, pubmed_summary_list

from .test_pubmed_abstract_text import ABSTRACT_TEXT
from .test_pubmed_abstract_text import PMIDS as ABSTRACT_PMIDS

SUMMARY_TEXT = """\
1. Barzilai O, Laufer I, Yamada Y, Higginson DS, Schmitt AM, Lis E, Bilsky MH.
Integrating Evidence-Based Medicine and Shared Decision Making for the Management
of Spinal Metastases. J Clin Oncol. 2017 Jul 20;35(21):2390-2398. doi:
10.1200/JCO.2017.72.6978. Epub 2017 Jun 22. PMID: 28640703; PMCID: PMC5516483.

2. Laufer I, Rubin DG, Lis E, Cox BW, Stubblefield MD, Yamada Y, Bilsky MH. The
NOMS framework: approach to the treatment of spinal metastatic tumors. Oncologist.
2013;18(6):744-51. doi: 10.1634/theoncologist.2012-0293. Epub 2013 May 24. PMID:
23709750; PMCID: PMC4063402.

3. Patchell RA, Tibbs PA, Regine WF, Payne R, Saris S, Kryscio RJ, Mohiuddin M,
Young B. Direct decompressive surgical resection in the treatment of spinal cord
compression caused by metastatic cancer: a randomised trial. Lancet. 2005 Aug
20-26;366(9486):643-8. doi: 10.1016/S0140-6736(05)66954-1. PMID: 16112300.
"""

PMIDS = ["28640703", "23709750", "16112300"]

#: The older export: "1:" and "PubMed PMID", each citation on one line.
OLD_SUMMARY = (
    "1: Laufer I, Rubin DG, Lis E, et al. The NOMS framework. Oncologist. 2013;18(6):744-51."
    " doi: 10.1634/theoncologist.2012-0293. PubMed PMID: 23709750; PubMed Central PMCID:"
    " PMC4063402.\n\n"
    "2: Patchell RA, Tibbs PA, Regine WF, et al. Direct decompressive surgical resection."
    " Lancet. 2005;366(9486):643-8. PubMed PMID: 16112300.\n")


def _pmids(path: Path) -> list[str]:
    listed = listed_identifiers(path)
    assert listed is not None and listed.skipped == []
    return [f.identifier.value for f in listed.found if f.identifier]


def test_each_records_pmid_in_order_not_its_doi_or_pmcid(tmp_path: Path) -> None:
    saved = tmp_path / "pubmed-spinalmeta-set.txt"
    saved.write_text(SUMMARY_TEXT, encoding="utf-8")
    listed = listed_identifiers(saved)
    assert listed is not None
    # One article, one identifier: the PMID (wrapped after "PMID:" in the second record).
    assert [(f.text, f.identifier.kind, f.identifier.value) for f in listed.found
            if f.identifier] == [(f"PMID: {p}", "pmid", p) for p in PMIDS]


def test_the_older_export_and_windows_line_ends_read_the_same(tmp_path: Path) -> None:
    old = tmp_path / "summary.txt"
    old.write_bytes(OLD_SUMMARY.replace("\n", "\r\n").encode("utf-8"))
    assert _pmids(old) == ["23709750", "16112300"]


def test_a_paste_that_lost_the_blank_lines_reads_the_same() -> None:
    """A record starts at the line numbered with the next number, blank lines or not."""
    pasted = "\n".join(line for line in SUMMARY_TEXT.splitlines() if line.strip())
    listed = pubmed_summary_list(pasted)
    assert listed is not None
    assert [f.identifier.value for f in listed.found if f.identifier] == PMIDS


#: Both of PubMed's text files, with the PMIDs each lists.
SAVED_TEXTS = pytest.mark.parametrize("text, pmids", [(ABSTRACT_TEXT, ABSTRACT_PMIDS),
                                                      (SUMMARY_TEXT, PMIDS)],
                                      ids=["abstract", "summary"])


@SAVED_TEXTS
def test_a_dry_run_counts_the_records(text: str, pmids: list[str], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPINELIB_HOME", str(tmp_path / "home"))
    saved = tmp_path / "pubmed-spinalmeta-set.txt"
    saved.write_text(text, encoding="utf-8")
    assert main(["import", "--dry-run", str(saved)]) == 0
    assert f"{saved}: list of {len(pmids)} identifiers: {len(pmids)} new" in \
        capsys.readouterr().out


@SAVED_TEXTS
def test_piped_text_gives_the_same_pmids(text: str, pmids: list[str], tmp_path: Path) -> None:
    assert stdin_inputs(text, tmp_path) == [f"PMID: {p}" for p in pmids]


@pytest.mark.parametrize("text", [
    # A reference list whose second entry names no PMID: not an export (read otherwise).
    "1. Smith J. A title. Spine. 2020. PMID: 16112300.\n\n2. Doe J. Another. Spine. 2021.\n",
    # Numbered, but not from 1, or skipping a number.
    "2. Smith J. A title. Spine. 2020. PMID: 16112300.\n",
    "1. Smith J. A. Spine. PMID: 16112300.\n\n3. Doe J. B. Spine. PMID: 23709750.\n",
    # Text before the first record, or a record naming two PMIDs.
    "Saved from PubMed\n1. Smith J. A. Spine. PMID: 16112300.\n",
    "1. Smith J. A. Spine. PMID: 16112300. Comment on: PMID: 23709750.\n",
    "Reading for Monday\n\nPMID: 16112300\n",
])
def test_other_text_is_not_taken_for_a_summary_export(text: str) -> None:
    assert pubmed_summary_list(text) is None


def test_a_numbered_list_without_every_pmid_is_left_to_the_format_readers(
        tmp_path: Path) -> None:
    """Not half read: the file is not a list of identifiers, so the importer says, as
    before, that it cannot tell the file's format (nothing is fetched)."""
    saved = tmp_path / "refs.txt"
    saved.write_text("1. Smith J. A title. Spine. 2020. PMID: 16112300.\n\n"
                     "2. Doe J. Another. Spine. 2021.\n", encoding="utf-8")
    assert listed_identifiers(saved) is None
