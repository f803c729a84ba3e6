"""The works several articles' reference lists cite (spinelib/sharedrefs.py, ``spinelib refs
KEY KEY …``): entries that share any identifier, or the library article they match, are
one work, counted once per citing article; the most shared first; the chosen ones
imported through the identifier import (E-utilities served by ``responses``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import responses

from spinelib.identifiers import Identifier
from spinelib.library import Library
from spinelib.records import Author, ReferenceEntry
from spinelib.sharedrefs import shared_identifiers, shared_references
from tests.core.helpers import make_record
from tests.core.test_import_pipeline import EUROPEPMC, EUTILS, cli, efetch, fast_settings

__all__ = ["fast_settings"]  # a fixture, used by name

PATCHELL_DOI = "10.1016/s0140-6736(05)66954-1"
BERENSON_DOI = "10.1016/s1470-2045(11)70008-0"
ENNEKING = "Enneking WF. Musculoskeletal tumor surgery. New York: Churchill Livingstone; 1983."


def _key_paper(title: str, family: str, pmid: str, refs: list[ReferenceEntry]):  # type: ignore[no-untyped-def]
    return make_record(title=title, authors=[Author(family, "A", "A")], pmid=pmid,
                       doi=f"10.5555/{pmid}", year=2018, references=refs)


def _library(path: Path) -> tuple[Library, list[int]]:
    """Patchell 2005 held; three key papers citing it (by PMID, or by DOI only), and
    Berenson 2011 (by DOI in one list, by PMID and DOI in another, by PMID in the third);
    a fourth key paper with no reference list; Enneking's book, no identifier, twice; one
    list citing its own article."""
    lib = Library.open(path)
    lib.articles.add_record(make_record())  # Patchell 2005, PMID 16112300
    a = _key_paper("Separation surgery outcomes", "Alpha", "40000001", [
        ReferenceEntry(1, "Patchell RA. Direct decompressive surgery. Lancet. 2005.",
                       pmid="16112300"),
        ReferenceEntry(2, "Berenson J. Balloon kyphoplasty. Lancet Oncol. 2011.",
                       doi=BERENSON_DOI),
        ReferenceEntry(3, ENNEKING),
        ReferenceEntry(4, "Tomita K. Surgical strategy for spinal metastases. 2001.",
                       pmid="11224867")])
    b = _key_paper("Kyphoplasty in myeloma", "Beta", "40000002", [
        ReferenceEntry(1, "Patchell RA, Tibbs PA, Regine WF, et al. Lancet 2005;366:643-8.",
                       doi=PATCHELL_DOI),
        ReferenceEntry(2, "Berenson J, Pflugmacher R, et al. Lancet Oncol 2011;12:225-35.",
                       pmid="21333599", doi=BERENSON_DOI),
        ReferenceEntry(3, "Enneking WF (1983) Musculoskeletal tumor surgery. Churchill "
                          "Livingstone, New York")])
    c = _key_paper("SBRT after surgery", "Gamma", "40000003", [
        ReferenceEntry(1, "Berenson 2011.", pmid="21333599"),
        ReferenceEntry(2, "Patchell 2005.", pmid="16112300"),
        # An erratum's list citing the article itself, as PubMed links them: left out.
        ReferenceEntry(3, "Gamma A. SBRT after surgery. 2018.", pmid="40000003")])
    d = _key_paper("A letter", "Delta", "40000004", [])
    ids = [lib.articles.add_record(r).article_id for r in (a, b, c, d)]
    return lib, ids


def test_shared_works_are_counted_once_per_citing_article(tmp_path: Path) -> None:
    lib, (a, b, c, d) = _library(tmp_path / "lib.sqlite")
    with lib:
        shared = shared_references(lib, [a, b, c, d, a])
        assert shared.sources == (a, b, c, d) and shared.unasked == (d,)
        refs = shared.works
        assert [(r.number, len(r.among)) for r in refs] == [(1, 3), (2, 3), (3, 2), (4, 1)]
        patchell, berenson, enneking = refs[0], refs[1], refs[2]
        assert patchell.among == (a, b, c) and patchell.in_library
        assert (patchell.pmid, patchell.doi) == ("16112300", PATCHELL_DOI)
        assert berenson.among == (a, b, c) and not berenson.in_library
        assert (berenson.pmid, berenson.doi) == ("21333599", BERENSON_DOI)
        assert berenson.identifier() == Identifier("pmid", "21333599")
        # Enneking's book, worded in two styles without an identifier: one work, the
        # first wording met.
        assert enneking.among == (a, b) and enneking.citation == ENNEKING
        assert enneking.identifier() is None and refs[3].pmid == "11224867"
        assert shared.summary() == (
            "4 cited works in 3 reference lists, 3 cited by two or more, 1 in your library "
            "(1 of the chosen articles has no reference list stored)")
        idents, problems = shared_identifiers(shared, None, at_least=2)
        assert idents == [Identifier("pmid", "21333599")]
        assert [(p.given, p.message) for p in problems] == [
            ("reference 3", f"no DOI or PMID to fetch it by: {ENNEKING[:60]}")]
        idents, problems = shared_identifiers(shared, None)
        assert idents == [Identifier("pmid", "21333599"), Identifier("pmid", "11224867")]
        assert [p.given for p in problems] == ["reference 3"]
        idents, problems = shared_identifiers(shared, [1, 9])
        assert idents == [Identifier("pmid", "16112300")]
        assert [(p.given, p.message) for p in problems] == [
            ("reference 9", "the listing has 4 works")]


def test_citations_without_identifiers_are_one_work_only_when_they_say_so(
        tmp_path: Path) -> None:
    """Same first author and year, most words shared, no numbers disagreeing: one work.
    Laufer's two papers of 2013 stay two, and so do a paper's parts 1 and 2."""
    part = ("Fourney DR, Gokaslan ZL. Spinal instability neoplastic score: an analysis of "
            "reliability and validity, part {n}. J Clin Oncol. 2011;29({n}):{page}-{end}.")
    with Library.open(tmp_path / "lib.sqlite") as lib:
        a = lib.articles.add_record(_key_paper("Key A", "Alpha", "40000011", [
            ReferenceEntry(1, ENNEKING),
            ReferenceEntry(2, "Laufer I, Rubin DG, Lis E, et al. The NOMS framework: "
                              "approach to the treatment of spinal metastatic tumors. "
                              "Oncologist. 2013;18(6):744-51."),
            ReferenceEntry(3, part.format(n=1, page=3061, end=6))])).article_id
        b = lib.articles.add_record(_key_paper("Key B", "Beta", "40000012", [
            ReferenceEntry(1, "Enneking, W. F. (1983). Musculoskeletal tumor surgery. New "
                              "York: Churchill Livingstone."),
            ReferenceEntry(2, "Laufer I, Iorgulescu JB, Chapman T, et al. Local disease "
                              "control for spinal metastases following separation surgery. "
                              "J Neurosurg Spine. 2013;18(3):207-14."),
            ReferenceEntry(3, part.format(n=2, page=3072, end=80)),
            ReferenceEntry(4, "Laufer I, Rubin DG, Lis E, Cox BW, Stubblefield MD, Yamada "
                              "Y, Bilsky MH (2013) The NOMS framework: approach to the "
                              "treatment of spinal metastatic tumors. Oncologist "
                              "18(6):744–751")])).article_id
        shared = shared_references(lib, [a, b])
    assert [(len(w.among), w.citation[:20]) for w in shared.works] == [
        (2, ENNEKING[:20]), (2, "Laufer I, Rubin DG, "), (1, "Fourney DR, Gokaslan"),
        (1, "Laufer I, Iorgulescu"), (1, "Fourney DR, Gokaslan")]


def test_refs_of_several_keys_lists_and_imports_the_shared(
        tmp_path: Path, fast_settings: None, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "lib.sqlite"
    lib, _ids = _library(path)
    lib.close()
    keys = ["alpha2018separation", "beta2018kyphoplasty", "gamma2018sbrt"]
    code, out, _err = cli(capsys, path, "refs", *keys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == ("●    1. ×3 Patchell RA. Direct decompressive surgery. Lancet. 2005."
                        "  [PMID 16112300]")
    assert lines[1].startswith("     2. ×3 Berenson J. Balloon kyphoplasty.")
    assert lines[5] == ("4 cited works in 3 reference lists, 3 cited by two or more, 1 in "
                        "your library (marked ●; ×N: cited by N of the 3)")
    shown = json.loads(cli(capsys, path, "refs", *keys, "--shared", "3", "--json")[1])
    assert [(r["number"], r["cited_in"]) for r in shown] == [(1, keys), (2, keys)]
    # The key of the work the library holds, none for the one it lacks.
    assert [(r["in_library"], r["key"]) for r in shown] == [
        (True, "patchell2005direct"), (False, None)]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        for method in (responses.GET, responses.POST):
            rsps.add_callback(method, re.compile(re.escape(EUTILS) + r"/efetch\.fcgi.*"),
                              callback=efetch)
        rsps.get(re.compile(re.escape(EUROPEPMC) + r"/.*"),
                 json={"version": "6.9", "hitCount": 0, "referenceList": {"reference": []}})
        code, out, err = cli(capsys, path, "refs", *keys, "--all", "--shared", "2")
    assert code == 1  # Enneking's book, cited twice, has nothing to fetch it by
    assert "reference 3: failed (no DOI or PMID to fetch it by: Enneking WF." in err
    assert "imported as berenson2011balloon" in out
    assert cli(capsys, path, "refs", *keys)[1].splitlines()[1].startswith("●    2. ×3 ")
    # --shared counts several lists; --find-dois looks up one article's.
    code, _out, err = cli(capsys, path, "refs", keys[0], "--shared", "2")
    assert code == 2 and "give two or more" in err
    code, _out, err = cli(capsys, path, "refs", *keys, "--find-dois")
    assert code == 2 and "give one KEY" in err
