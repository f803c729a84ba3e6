"""The import pipeline end to end through the CLI, with every HTTP call served by `responses`.

The E-utilities stand-in answers efetch with the articles asked for, taken from our own
efetch-shaped file; PMIDs it does not know are silently omitted, as efetch does.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import docx
import pytest
import requests
import responses

from spinelib.cli import main
from spinelib.library import Library
from spinelib.serialize import article_json

DATA = Path(__file__).resolve().parent.parent / "data" / "import"
EFETCH_SOURCE = (DATA / "efetch_two.xml").read_text(encoding="utf-8")
EUTILS = "http://127.0.0.1:9/eutils"
CROSSREF = "http://127.0.0.1:9/crossref"
EUROPEPMC = "http://127.0.0.1:9/europepmc"
HEAD = EFETCH_SOURCE[: EFETCH_SOURCE.index("<PubmedArticleSet>")]
ARTICLES = {m.group(1): m.group(0) for m in re.finditer(
    r"<PubmedArticle>.*?<PMID Version=\"1\">(\d+)</PMID>.*?</PubmedArticle>", EFETCH_SOURCE, re.S)}


def _requested_ids(request: requests.PreparedRequest) -> list[str]:
    params = parse_qs(urlsplit(request.url or "").query)
    if request.body:
        body = request.body.decode() if isinstance(request.body, bytes) else str(request.body)
        params.update(parse_qs(body))
    return [i for v in params.get("id", []) for i in v.split(",") if i]


def efetch(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    found = [ARTICLES[i] for i in _requested_ids(request) if i in ARTICLES]
    body = HEAD + "<PubmedArticleSet>\n" + "\n".join(found) + "\n</PubmedArticleSet>\n"
    return 200, {"Content-Type": "text/xml"}, body


def esearch(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    term = parse_qs(urlsplit(request.url or "").query).get("term", [""])[0].lower()
    ids = [pmid for pmid, xml in ARTICLES.items()
           if re.search(r'IdType="doi">([^<]+)<', xml).group(1).lower() in term]  # type: ignore[union-attr]
    payload = {"esearchresult": {"count": str(len(ids)), "retmax": str(len(ids)),
                                 "retstart": "0", "idlist": ids}}
    if (request.url or "").find("retmode=json") < 0:
        id_list = "".join(f"<Id>{i}</Id>" for i in ids)
        xml = (f"<?xml version=\"1.0\"?><eSearchResult><Count>{len(ids)}</Count>"
               f"<RetMax>{len(ids)}</RetMax><RetStart>0</RetStart><IdList>{id_list}</IdList>"
               "</eSearchResult>")
        return 200, {"Content-Type": "text/xml"}, xml
    return 200, {"Content-Type": "application/json"}, json.dumps(payload)


@pytest.fixture
def served() -> responses.RequestsMock:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add_callback(responses.GET, re.compile(re.escape(EUTILS) + r"/efetch\.fcgi.*"),
                          callback=efetch)
        rsps.add_callback(responses.POST, re.compile(re.escape(EUTILS) + r"/efetch\.fcgi.*"),
                          callback=efetch)
        rsps.add_callback(responses.GET, re.compile(re.escape(EUTILS) + r"/esearch\.fcgi.*"),
                          callback=esearch)
        rsps.add(responses.GET, re.compile(re.escape(CROSSREF) + r"/works/.*"), status=404,
                 body="Resource not found.", content_type="text/plain")
        rsps.add(responses.GET, re.compile(re.escape(EUROPEPMC) + r"/.*"),
                 json={"version": "6.9", "hitCount": 0, "request": {}, "referenceList":
                       {"reference": []}})
        yield rsps


@pytest.fixture
def fast_settings(_isolated_home: Path) -> None:
    """No retry waits in tests: a failed connection is reported at once."""
    (_isolated_home / "settings.json").write_text(json.dumps(
        {"version": 1, "settings": {"max_retries": 0, "connect_timeout": 1.0,
                                    "read_timeout": 2.0}}))


def cli(capsys: pytest.CaptureFixture[str], lib: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--library", str(lib), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_mixed_batch_imports_what_it_can(tmp_path: Path, served: responses.RequestsMock,
                                         fast_settings: None,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    lib = tmp_path / "lib.sqlite"
    code, out, err = cli(capsys, lib, "import", "16112300", "PMID: 99999999", "hello",
                         "https://pubmed.ncbi.nlm.nih.gov/21333599/")
    assert code == 1
    assert "16112300: imported as patchell2005direct" in out
    assert "21333599/: imported as berenson2011balloon" in out
    assert "PMID: 99999999: not found" in err
    assert "hello: failed" in err and "not a DOI, PMID or PMCID" in err
    assert out.strip().splitlines()[-1] == "2 imported, 1 not found, 1 failed"
    with Library.open(lib) as library:
        data = article_json(library, library.articles.resolve_key("16112300"))
    assert data["doi"] == "10.1016/s0140-6736(05)66954-1"
    assert data["abstract"].startswith("BACKGROUND: Radiotherapy alone")
    assert [r["in_library"] for r in data["references"]] == [True, False, False]


def test_reimport_updates_and_keeps_user_data(tmp_path: Path, served: responses.RequestsMock,
                                              fast_settings: None,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    lib = tmp_path / "lib.sqlite"
    assert cli(capsys, lib, "import", "16112300")[0] == 0
    with Library.open(lib) as library:
        library.articles.set_notes(library.articles.resolve_key("16112300"), "landmark")
    code, out, _ = cli(capsys, lib, "import", "10.1016/S0140-6736(05)66954-1")
    assert code == 0 and ("unchanged" in out or "updated" in out)
    with Library.open(lib) as library:
        assert library.search.count() == 1
        assert article_json(library, 1)["notes"] == "landmark"


def test_tag_option_and_unknown_tag(tmp_path: Path, served: responses.RequestsMock,
                                    fast_settings: None,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    lib = tmp_path / "lib.sqlite"
    code, _, err = cli(capsys, lib, "import", "16112300", "--tag", "no-such-tag-anywhere")
    assert code == 1 and "unknown tag" in err
    assert len(served.calls) == 0  # refused before any network call
    code, _, _ = cli(capsys, lib, "tag", "create", "Journal club 2026")
    code, out, _ = cli(capsys, lib, "import", "21333599", "--tag", "Journal club 2026")
    assert code == 0
    data = json.loads(cli(capsys, lib, "show", "21333599", "--json")[1])
    assert "Journal club 2026" in data["tags"]


def test_offline_identifiers_are_queued_then_retried(tmp_path: Path, fast_settings: None,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    lib = tmp_path / "lib.sqlite"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add(responses.GET, re.compile(r".*"), body=requests.ConnectionError("offline"))
        rsps.add(responses.POST, re.compile(r".*"), body=requests.ConnectionError("offline"))
        code, out, err = cli(capsys, lib, "import", "16112300", "--no-refs")
    assert code == 1 and "16112300: queued" in err
    code, out, _ = cli(capsys, lib, "pending")
    assert "16112300" in out
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add_callback(responses.GET, re.compile(re.escape(EUTILS) + r"/efetch\.fcgi.*"),
                          callback=efetch)
        rsps.add_callback(responses.POST, re.compile(re.escape(EUTILS) + r"/efetch\.fcgi.*"),
                          callback=efetch)
        code, out, _ = cli(capsys, lib, "pending", "--retry")
    assert code == 0 and "imported" in out
    assert cli(capsys, lib, "pending")[1].strip() == "nothing pending"


def test_refs_listing_and_importing(tmp_path: Path, served: responses.RequestsMock,
                                    fast_settings: None,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    lib = tmp_path / "lib.sqlite"
    cli(capsys, lib, "import", "16112300")
    refs = json.loads(cli(capsys, lib, "refs", "patchell2005direct", "--json")[1])
    assert [r["position"] for r in refs] == [1, 2, 3]
    assert refs[0] == {"position": 1, "citation": refs[0]["citation"], "doi": "",
                       "pmid": "21333599", "in_library": False}
    code, out, err = cli(capsys, lib, "refs", "patchell2005direct", "--import", "1", "3")
    assert code == 1
    assert "imported as berenson2011balloon" in out
    assert "reference 3: failed (no DOI or PMID" in err
    refs = json.loads(cli(capsys, lib, "refs", "patchell2005direct", "--json")[1])
    assert refs[0]["in_library"] is True
    listing = cli(capsys, lib, "refs", "patchell2005direct")[1].splitlines()
    assert listing[0].startswith("●   1. ") and listing[1].startswith("    2. ")
    assert listing[-2].startswith("3 references, 1 in your library (marked ●); import with: "
                                  "spinelib refs patchell2005direct --import N")
    # Reference 3 has no identifier: the way to find one is named.
    assert listing[-1] == ("1 reference without an identifier cannot be imported; find their "
                           "DOIs or PMIDs with: spinelib refs patchell2005direct --find-dois")
    shown = json.loads(cli(capsys, lib, "show", "21333599", "--json")[1])
    assert shown["cited_by"] == ["patchell2005direct"]


def test_a_list_of_identifiers_in_a_text_or_word_file(tmp_path: Path,
                                                      served: responses.RequestsMock,
                                                      fast_settings: None,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    lib = tmp_path / "lib.sqlite"
    # A resident's text file of papers to fetch: one identifier a line, # for comments.
    listed = tmp_path / "to fetch.txt"
    listed.write_text("# Papers for the MESCC talk\n16112300\n\n- PMID: 21333599\n",
                      encoding="utf-8")
    code, out, err = cli(capsys, lib, "import", str(listed))
    assert code == 0, err
    assert "to fetch.txt: 16112300: imported as patchell2005direct" in out
    assert "to fetch.txt: PMID: 21333599: imported as berenson2011balloon" in out
    assert out.strip().splitlines()[-1] == "2 imported" and "warning" not in err
    # A damaged line refuses the whole list, naming it, before anything is fetched.
    listed.write_text("16112300\n10.1016/S0140-6736 (05)66954-1\n", encoding="utf-8")
    code, out, err = cli(capsys, lib, "import", str(listed))
    assert code == 1 and "to fetch.txt: failed (line 2, '10.1016/S0140-6736 " \
                         "(05)66954-1', is not a DOI, PMID or PMCID" in err
    # A reference list handed over in Word, one reference in a table: the DOI is searched.
    word = tmp_path / "refs.docx"
    document = docx.Document()
    document.add_heading("References", level=1)
    document.add_paragraph("1. Patchell RA, et al. Lancet. 2005;366:643-8. "
                           "doi:10.1016/S0140-6736(05)66954-1")
    document.add_table(rows=1, cols=1).cell(0, 0).paragraphs[0].add_run(
        "2. Berenson J, et al. Lancet Oncol. 2011. PMID: 21333599")
    document.save(str(word))
    code, out, err = cli(capsys, lib, "import", str(word))
    assert code == 0, err
    assert out.strip().splitlines()[-1] == "2 unchanged"
    assert "refs.docx: 10.1016/S0140-6736(05)66954-1: unchanged" in out
    # What is not a list is said plainly; nothing is fetched or stored.
    prose, empty = tmp_path / "notes.txt", tmp_path / "manuscript.docx"
    prose.write_text("Ask about the 2019 SINS update.\n", encoding="utf-8")
    docx.Document().save(str(empty))
    code, _o, err = cli(capsys, lib, "import", str(prose), str(empty))
    assert code == 1
    assert "notes.txt: failed (cannot tell its format from the content" in err
    assert "manuscript.docx: failed (no DOI, PMID, PMCID or article link in it (a Word " \
           "file is read for the identifiers of a reference list))" in err
    (tmp_path / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    code, _o, err = cli(capsys, lib, "import", str(tmp_path / "old.docx"))
    assert code == 1 and "old.docx: failed (is encrypted (password-protected) or an old " \
                         "Word .doc file" in err
    with Library.open(lib) as library:
        assert library.search.count() == 2


def test_a_csv_of_search_results_is_read_for_its_identifier_columns(
        tmp_path: Path, served: responses.RequestsMock, fast_settings: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    """PubMed's "Save ▸ CSV" and a spreadsheet with Scopus's column names: their PMID/DOI
    columns are fetched (a whole Scopus export is read as records: test_scopus_csv)."""
    lib = tmp_path / "lib.sqlite"
    pubmed = tmp_path / "csv-MESCC-set.csv"
    pubmed.write_text(
        "PMID,Title,Authors,Citation,First Author,Journal/Book,Publication Year,Create Date,"
        "PMCID,NIHMS ID,DOI\n"
        '16112300,"Direct decompressive surgical resection in the treatment of spinal cord '
        'compression caused by metastatic cancer: a randomised trial.","Patchell RA, Tibbs PA",'
        '"Lancet. 2005;366(9486):643-8.",Patchell RA,Lancet,2005,2005/08/27,,,'
        "10.1016/S0140-6736(05)66954-1\n", encoding="utf-8")
    code, out, err = cli(capsys, lib, "import", str(pubmed))
    assert code == 0, err
    assert "csv-MESCC-set.csv: 16112300: imported as patchell2005direct" in out
    # Scopus's column names (not its whole export's header): a BOM, "PubMed ID" beside
    # "DOI", semicolons as a European Excel saves it, and a row with neither (named by its
    # title, not fetched).
    scopus = tmp_path / "scopus.csv"
    scopus.write_text(
        '\ufeff"Authors";"Title";"Year";"DOI";"PubMed ID";"Document Type"\n'
        '"Berenson J.";"Balloon kyphoplasty versus non-surgical fracture management";"2011";'
        '"10.1016/S1470-2045(11)70008-0";"21333599";"Article"\n'
        '"Patchell R.A.";"Direct decompressive surgical resection";"2005";'
        '"10.1016/S0140-6736(05)66954-1";"";"Article"\n'
        '"Nobody A.";"A conference abstract without identifiers";"2020";"";"";"Abstract"\n',
        encoding="utf-8")
    code, out, err = cli(capsys, lib, "import", str(scopus))
    assert code == 0, err
    assert "scopus.csv: 21333599: imported as berenson2011balloon" in out
    assert "scopus.csv: 10.1016/S0140-6736(05)66954-1: unchanged" in out
    assert ('1 line without a DOI, PMID, PMCID or article link skipped (the first: "A '
            'conference abstract without identifiers")') in err
    # A CSV with no identifier column is refused, naming the columns it has.
    other = tmp_path / "budget.csv"
    other.write_text("Item,Cost\nCement,120\n", encoding="utf-8")
    code, _o, err = cli(capsys, lib, "import", str(other))
    assert code == 1 and "budget.csv: failed (a CSV file is read for its PMID, DOI or PMCID " \
                         "column" in err and "(its columns: Item, Cost)" in err
    # Excel's "sep=" line, and a bare column of identifiers with no header.
    hinted, bare = tmp_path / "hinted.csv", tmp_path / "bare.csv"
    hinted.write_text("sep=;\nTitle;PMID\nDirect decompressive surgical resection;16112300\n",
                      encoding="utf-8")
    bare.write_text("16112300\n10.1016/S1470-2045(11)70008-0\n", encoding="utf-8")
    code, out, err = cli(capsys, lib, "import", str(hinted), str(bare))
    assert code == 0, err
    assert "hinted.csv: 16112300: unchanged" in out
    assert "bare.csv: 10.1016/S1470-2045(11)70008-0: unchanged" in out
    with Library.open(lib) as library:
        assert library.search.count() == 2


def test_saved_pubmed_file_imports_without_network(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    lib = tmp_path / "lib.sqlite"
    with responses.RequestsMock() as rsps:  # any HTTP call would fail the test
        code, out, _ = cli(capsys, lib, "import", str(DATA / "efetch_two.xml"))
        assert len(rsps.calls) == 0
    assert code == 0, out
    assert out.strip().splitlines()[-1] == "2 imported"


def test_missing_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, tmp_path / "lib.sqlite", "import", "nowhere/refs.bib")
    assert code == 1 and "no such file: nowhere/refs.bib" in err
