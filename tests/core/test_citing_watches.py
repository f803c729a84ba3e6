"""Citation watches (a citation alert): the articles citing a key paper, asked of Europe PMC
at every run of the watches; the first run remembers the list, later runs bring what was
added since into the inbox (``spinelib watch citing KEY``). Every request is served by
``responses`` (Europe PMC's citations list in its recorded shape, efetch by the fake
server's PubMed article writer)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import requests
import responses

from spinelib.citingarticles import NotAskable, existing_alert, watch_citing
from spinelib.cli import main
from spinelib.errors import SpineLibError
from spinelib.library import Library
from spinelib.store.sqlite import migrations
from spinelib.watch_run import run_watches
from tests.core.helpers import back_to_schema, make_record
from tests.core.test_citing_articles import CITATIONS, LISTED, PATCHELL, item, reply
from tests.core.test_import_pipeline import fast_settings
from tests.core.test_watches import EFETCH, FakePubMed, client

__all__ = ["fast_settings"]  # a fixture, used by name

DAY = date(2026, 12, 6)


class FakeCitations:
    """Europe PMC's citations list for Patchell 2005, as it grows between runs."""

    def __init__(self, listed: list[dict[str, object]]) -> None:
        self.listed = list(listed)
        self.down = False

    def reply(self, _request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        if self.down:
            raise requests.ConnectionError("no route to host")
        return 200, {}, reply(self.listed)

    def install(self) -> None:
        responses.add_callback(responses.GET, CITATIONS, callback=self.reply)


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = Library.open(tmp_path / "lib.sqlite")
    yield library  # type: ignore[misc]
    library.close()


def _patchell(lib: Library) -> int:
    return lib.articles.add_record(make_record()).article_id


@responses.activate
def test_the_first_run_remembers_and_later_runs_bring_only_what_is_new(lib: Library) -> None:
    pubmed, europe = FakePubMed({}), FakeCitations(LISTED)
    pubmed.install()
    europe.install()
    watch = watch_citing(lib, _patchell(lib), client())
    assert (watch.name, watch.cites) == ("Citing patchell2005direct", f"MED:{PATCHELL}")
    assert watch.watched == f"articles citing Patchell RA 2005, PMID {PATCHELL}"
    assert len(responses.calls) == 0  # named by its PMID: nothing asked to store it
    [first] = run_watches(lib, client(), today=lambda: DAY)
    assert (first.citing, first.first, first.found, first.added) == (True, True, 3, 0)
    assert lib.inbox.count() == 0 and pubmed.fetched == []
    assert "3 articles cite it now" in first.line()
    # Two added to Europe PMC's list since: a PubMed article and a preprint.
    europe.listed += [item("41000001", 2026, "SBRT after separation surgery: a cohort"),
                      item("PPR777", 2026, "A preprint on hybrid therapy", source="PPR")]
    [run] = run_watches(lib, client(), today=lambda: DAY)
    assert (run.first, run.found, run.new, run.added, run.without_pmid) == (
        False, 5, 2, 1, 1)
    assert pubmed.fetched == [["41000001"]]
    [entry] = lib.inbox.items()
    assert (entry.pmid, entry.watch) == ("41000001", "Citing patchell2005direct")
    assert run.line() == ("Citing patchell2005direct: 5 articles cite it, 2 new since the "
                          "last run, 1 new in the inbox (1 without a PMID: Find citing "
                          "articles online lists them)")
    # Nothing new: no PubMed request, nothing added; a dismissed one never returns.
    lib.inbox.dismiss(lib.inbox.items())
    [again] = run_watches(lib, client(), today=lambda: DAY)
    assert (again.new, again.added, len(pubmed.fetched)) == (0, 0, 1)
    assert lib.inbox.count() == 0


@responses.activate
def test_a_failed_run_remembers_nothing_so_the_next_one_brings_it(lib: Library) -> None:
    pubmed, europe = FakePubMed({}), FakeCitations(LISTED[:1])
    pubmed.install()
    europe.install()
    watch_citing(lib, _patchell(lib), client(), name="Patchell")
    europe.down = True  # offline at the first run: queued, no list remembered
    [run] = run_watches(lib, client(), today=lambda: DAY)
    assert run.queued and run.citing and lib.watches.get("Patchell").queued
    assert run.line().startswith("Patchell: queued, offline: ")
    assert lib.watches.seen(lib.watches.get("Patchell")) == set()
    europe.down = False
    [run] = run_watches(lib, client(), today=lambda: DAY)
    assert run.first and run.found == 1 and not lib.watches.get("Patchell").queued
    assert run.line().startswith("Patchell: 1 article cites it now")
    # A new citing article, but PubMed fails while fetching it: the list is not
    # remembered, so the next run asks for it again.
    europe.listed.append(item("41000002", 2026, "Laser interstitial thermal therapy"))
    responses.replace(responses.POST, EFETCH, body=requests.ConnectionError("offline"))
    [run] = run_watches(lib, client(), today=lambda: DAY)
    assert run.queued and lib.inbox.count() == 0
    assert lib.watches.seen(lib.watches.get("Patchell")) == {"MED:99999990"}
    responses.remove(responses.POST, EFETCH)
    responses.add_callback(responses.POST, EFETCH, callback=pubmed.efetch)
    [run] = run_watches(lib, client(), today=lambda: DAY)
    assert (run.new, run.added) == (1, 1)
    assert [i.pmid for i in lib.inbox.items()] == ["41000002"]


@responses.activate
def test_an_alert_removed_and_made_again_starts_afresh(lib: Library) -> None:
    pubmed, europe = FakePubMed({}), FakeCitations(LISTED)
    pubmed.install()
    europe.install()
    patchell = _patchell(lib)
    watch_citing(lib, patchell, client())
    run_watches(lib, client(), today=lambda: DAY)
    lib.watches.remove("Citing patchell2005direct")
    with lib.store.reading() as conn:  # what it had listed went with it
        assert conn.scalar("SELECT count(*) FROM watch_seen") == 0
    europe.listed.append(item("41000007", 2026, "Listed before the new alert"))
    again = watch_citing(lib, patchell, client())
    [run] = run_watches(lib, client(), today=lambda: DAY)
    assert lib.watches.get(again.name).cites == f"MED:{PATCHELL}"
    assert (run.first, run.found, run.added) == (True, 4, 0) and pubmed.fetched == []


@responses.activate
def test_a_citing_article_already_in_the_library_is_not_offered(lib: Library) -> None:
    pubmed, europe = FakePubMed({}), FakeCitations([])
    pubmed.install()
    europe.install()
    watch_citing(lib, _patchell(lib), client())
    run_watches(lib, client(), today=lambda: DAY)  # Europe PMC lists none yet
    lib.articles.add_record(make_record(pmid="41000003", doi="", title="Already read"))
    europe.listed = [item("41000003", 2026, "Already read"),
                     item("41000004", 2026, "Not yet read")]
    [run] = run_watches(lib, client(), today=lambda: DAY)
    # The first run found nothing, but it ran: what comes next is new.
    assert (run.first, run.new, run.added) == (False, 2, 1)
    assert pubmed.fetched == [["41000004"]]


def test_what_can_be_watched_and_what_is_refused(lib: Library) -> None:
    patchell = _patchell(lib)
    with responses.RequestsMock() as rsps:
        watch_citing(lib, patchell, client(), tag="Separation surgery")
        with pytest.raises(SpineLibError, match="'Citing patchell2005direct' already "
                                                "watches the articles citing Patchell RA"):
            watch_citing(lib, patchell, client(), name="Another name")
        bare = lib.articles.add_record(make_record(pmid="", doi="", title="A letter"))
        with pytest.raises(NotAskable, match="has none of them"):
            watch_citing(lib, bare.article_id, client())
        # A DOI-only article is named by the record Europe PMC holds for its DOI.
        rsps.get("http://127.0.0.1:9/europepmc/search", json={
            "hitCount": 1, "resultList": {"result": [
                {"id": "30000001", "source": "MED", "pmid": "30000001",
                 "doi": "10.3171/2019.1.SPINE181234"}]}})
        doi_only = lib.articles.add_record(make_record(
            pmid="", doi="10.3171/2019.1.spine181234", title="Separation surgery"))
        watch = watch_citing(lib, doi_only.article_id, client(), name="sep")
    assert (watch.cites, watch.cites_label) == ("MED:30000001",
                                              "Patchell RA 2005, PMID 30000001")
    assert lib.watches.get("Citing patchell2005direct").tag == "separation_surgery"
    with pytest.raises(SpineLibError, match="not a paper Europe PMC names"):
        lib.watches.add_citing("x", "16112300", "no source")


def test_the_alert_on_an_article_is_found_by_its_pmid_or_pmcid(lib: Library) -> None:
    patchell = _patchell(lib)
    pmc_only = lib.articles.add_record(make_record(pmid="", doi="", pmcid="PMC1234567",
                                                   title="A PMC article")).article_id
    other = lib.articles.add_record(make_record(pmid="41000009", doi="",
                                                title="Another")).article_id
    assert existing_alert(lib, patchell) is None
    with responses.RequestsMock():  # named by PMID and PMCID: nothing asked
        watch_citing(lib, patchell, client())
        watch_citing(lib, pmc_only, client(), name="PMC one")
    assert existing_alert(lib, patchell) == lib.watches.get("Citing patchell2005direct")
    assert existing_alert(lib, pmc_only) == lib.watches.get("PMC one")
    assert lib.watches.get("PMC one").cites == "PMC:PMC1234567"
    assert existing_alert(lib, other) is None and existing_alert(lib, 99999) is None


def test_a_schema_21_library_keeps_its_watches(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with Library.open(path) as lib:
        lib.watches.add("sep", "separation surgery[tiab]")
    back_to_schema(path, 21, "DROP INDEX ix_article_bare_journal", "DROP TABLE watch_seen",
                   "ALTER TABLE watch DROP COLUMN cites_label",
                   "ALTER TABLE watch DROP COLUMN cites")
    with Library.open(path) as lib:
        assert lib.schema_version() == migrations.SCHEMA_VERSION
        [watch] = lib.watches.all()
        assert (watch.name, watch.query, watch.cites, watch.watched) == (
            "sep", "separation surgery[tiab]", "", "separation surgery[tiab]")
        assert lib.watches.seen(watch) == set()


@responses.activate
def test_cli_watch_citing_list_and_run(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       fast_settings: None) -> None:
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        _patchell(lib)
    pubmed, europe = FakePubMed({}), FakeCitations(LISTED)
    pubmed.install()
    europe.install()
    assert main(["--library", str(path), "watch", "citing", "patchell2005direct"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "watch 'Citing patchell2005direct' added: articles citing Patchell RA 2005, "
        f"PMID {PATCHELL}",
        "Citing patchell2005direct: 3 articles cite it now (remembered: the articles "
        "citing it from now on will come to the inbox)"]
    assert main(["--library", str(path), "watch", "citing", "patchell2005direct"]) == 1
    assert "already watches" in capsys.readouterr().err
    assert main(["--library", str(path), "watch", "citing", "nosuchkey"]) == 1
    capsys.readouterr()
    assert main(["--library", str(path), "watch", "list", "--json"]) == 0
    [w] = json.loads(capsys.readouterr().out)
    assert (w["query"], w["cites"], w["watched"]) == (
        None, f"MED:{PATCHELL}", f"articles citing Patchell RA 2005, PMID {PATCHELL}")
    assert main(["--library", str(path), "watch", "list"]) == 0
    assert "articles citing Patchell RA 2005" in capsys.readouterr().out
    europe.listed.append(item("41000005", 2026, "Hybrid therapy for MESCC"))
    assert main(["--library", str(path), "watch", "run"]) == 0
    out = capsys.readouterr().out
    assert "4 articles cite it, 1 new since the last run, 1 new in the inbox" in out
    assert "inbox: 1 paper waiting" in out
    # Offline when it is made: stored, queued, and said how its first run comes.
    europe.down = True
    with Library.open(path) as lib:
        other = lib.articles.add_record(make_record(pmid="41000006", doi="", title="Other")).citekey
    assert main(["--library", str(path), "watch", "citing", other]) == 1
    _, err = capsys.readouterr()
    assert "queued, offline" in err and "spinelib watch run" in err


@responses.activate
def test_pubmed_down_does_not_stop_a_citation_watch_asking_europe_pmc(lib: Library) -> None:
    # The run remembers which service failed: PubMed down for a query watch is no reason
    # not to ask Europe PMC for a citation watch's list.
    europe = FakeCitations(LISTED)
    europe.install()
    responses.add(responses.POST, "http://127.0.0.1:9/eutils/esearch.fcgi",
                  body=requests.ConnectionError("Connection refused"))
    lib.watches.add("sep", "separation surgery[tiab]")
    watch_citing(lib, _patchell(lib), client(), name="Patchell")
    runs = {r.watch: r for r in run_watches(lib, client(), today=lambda: DAY)}
    assert runs["sep"].queued
    assert runs["Patchell"].first and runs["Patchell"].found == 3
    assert not lib.watches.get("Patchell").queued
