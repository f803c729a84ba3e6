"""``spinelib settings`` and ``spinelib pdf access``: the settings changed from a terminal
with the Preferences' checks, and an article opened through the reader's library."""

from __future__ import annotations

import json
import webbrowser
from pathlib import Path

import pytest

from spinelib import paths, settings
from spinelib.cli import main
from spinelib.errors import SpineLibError
from spinelib.library import Library
from spinelib.settingvalues import setting_names, shown, with_value

from .helpers import make_record

EZPROXY = "https://ezproxy.example.org/login?url="


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def stored() -> dict[str, object]:
    data: dict[str, object] = json.loads(paths.settings_path().read_text())["settings"]
    return data


@pytest.mark.parametrize(("name", "text", "value"), [
    ("max_retries", "0", 0), ("read_timeout", "45", 45.0), ("export_abstracts", "Yes", True),
    ("export_abstracts", "off", False), ("export_format", "ris", "ris"),
    ("citation_style", "ama", "ama"), ("email", " me@hospital.org ", "me@hospital.org"),
    ("library_proxy", EZPROXY, EZPROXY),
    ("crossref_url", "http://127.0.0.1:8/crossref", "http://127.0.0.1:8/crossref"),
    ("max_retries", "", 4), ("library_proxy", "", ""),
    ("ncbi_api_key", " 0123456789abcdefABCDEF0123456789abcd\n",
     "0123456789abcdefABCDEF0123456789abcd"),
])
def test_a_typed_value_is_read_by_its_setting_type(name: str, text: str, value: object) -> None:
    start = settings.Settings(max_retries=7, library_proxy=EZPROXY + "$@")
    assert getattr(with_value(start, name, text), name) == value


@pytest.mark.parametrize(("name", "text", "words"), [
    ("max_retries", "11", "from 0 to 10"), ("max_retries", "two", "a whole number"),
    ("read_timeout", "0", "from 1 to 300"), ("export_abstracts", "maybe", "yes or no"),
    ("watch_first_days", "0", "at least 1"), ("connect_timeout", "nan", "a number"), ("read_timeout", "1e400", "a number"),
    ("read_timeout", "inf", "a number"), ("connect_timeout", "61", "from 1 to 60"),
    ("export_format", "docx", "the formats are: bibtex"),
    ("citation_style", "no-such-style", "spinelib styles --search"),
    ("watched_folder", "/no/such/folder", "there is no folder"),
    ("email", "me at hospital", "not an email address"),
    ("eutils_url", "eutils.example.org", "starts with https://"),
    ("library_proxy", "https://ezproxy.example.org/", "starting-point address"),
    ("link_resolver", "resolver", "web address"),
    ("recent_libraries", "x", "there is no setting"), ("colour", "red", "there is no setting"),
    # Pasted with what surrounded it in the mail: refused without repeating the secret.
    ("ncbi_api_key", '"0123456789abcdef"', r"letters and digits only; copy it whole from "
     r"your NCBI account's API Key Management, nothing around it$"),
    ("ncbi_api_key", "key: 0123456789abcdef", "letters and digits only"),
])
def test_a_value_that_cannot_work_is_refused_with_why(name: str, text: str, words: str) -> None:
    # Each a SpineLibError: the command line prints it as one line and exits 1.
    with pytest.raises(SpineLibError, match=words):
        with_value(settings.Settings(), name, text)


def test_the_settings_are_listed_set_and_kept(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    code, out, _ = run(capsys, "settings")
    assert code == 0
    assert [line.split(" = ")[0] for line in out.splitlines()] == setting_names()
    # The tests' environment sets SPINELIB_EMAIL: named, not taken for the stored value.
    assert "email =    (SPINELIB_EMAIL overrides it in this environment)" in out
    settings.save(settings.Settings(recent_libraries=[str(tmp_path / "a.sqlite")]),
                  paths.settings_path())
    code, out, _ = run(capsys, "settings", "library_proxy", EZPROXY)
    assert (code, out) == (0, f"library_proxy = {EZPROXY} (saved in "
                              f"{paths.settings_path()})\n")
    assert stored()["library_proxy"] == EZPROXY
    assert stored()["recent_libraries"] == [str(tmp_path / "a.sqlite")]  # others kept
    code, out, _ = run(capsys, "settings", "email", "me@hospital.org")
    assert "SPINELIB_EMAIL is set in the environment" in out
    code, out, _ = run(capsys, "settings", "ncbi_api_key", "SECRET42")
    assert "SECRET42" not in out and stored()["ncbi_api_key"] == "SECRET42"
    assert run(capsys, "settings", "ncbi_api_key")[1] == "ncbi_api_key = ***\n"
    assert shown(settings.Settings(export_abstracts=True), "export_abstracts") == "yes"


def test_a_refused_value_changes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    settings.save(settings.Settings(library_proxy=EZPROXY), paths.settings_path())
    before = paths.settings_path().read_bytes()
    code, _, err = run(capsys, "settings", "library_proxy", "ezproxy.example.org/login?url=")
    assert code == 1 and "must be a web address starting with https://" in err
    code, _, err = run(capsys, "settings", "colour")
    assert code == 1 and "there is no setting 'colour'" in err
    assert paths.settings_path().read_bytes() == before


@pytest.fixture
def libpath(tmp_path: Path) -> Path:
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_record(make_record(doi="10.1056/nejmoa0806893", pmid="16112299"))
        lib.articles.add_record(make_record(title="A report without a DOI", doi="", pmid="",
                                            authors=[]))
    return path


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    urls: list[str] = []

    def fake_open(url: str, *args: object, **kwargs: object) -> bool:
        urls.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", fake_open)
    return urls


def test_pdf_access_opens_the_doi_through_the_proxy(libpath: Path, opened: list[str],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    with Library.open(libpath) as lib:
        key = lib.articles.citekey(lib.articles.resolve_key("16112299"))
    code, _, err = run(capsys, "--library", str(libpath), "pdf", "access", key)
    assert code == 1 and opened == []
    assert err == ("spinelib: your library's proxy or link resolver is not set: ask your "
                   "library for its off-campus (EZproxy, OpenAthens) starting-point address "
                   "and set it in Preferences or with `spinelib settings library_proxy "
                   "ADDRESS`\n")
    run(capsys, "settings", "library_proxy", EZPROXY)
    code, out, _ = run(capsys, "--library", str(libpath), "pdf", "access", key)
    proxied = EZPROXY + "https://doi.org/10.1056/nejmoa0806893"
    assert code == 0 and opened == [proxied]
    assert out == (f"Through my library (proxy): {proxied}\n"
                   "opened in the browser: Through my library (proxy)\n")
    run(capsys, "settings", "link_resolver", "https://resolver.example.org/openurl")
    code, out, _ = run(capsys, "--library", str(libpath), "pdf", "access", key, "--print")
    assert code == 0 and opened == [proxied]  # --print opens nothing
    assert out.splitlines()[1].startswith("Find it in my library (link resolver): "
                                          "https://resolver.example.org/openurl?url_ver=")


def test_pdf_access_without_a_doi_or_a_browser_says_so(libpath: Path, opened: list[str],
                                                      capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    run(capsys, "settings", "library_proxy", EZPROXY)
    key = _key_of(libpath, "A report without a DOI")
    code, _, err = run(capsys, "--library", str(libpath), "pdf", "access", key)
    assert code == 1 and "needs a DOI or a publisher's address" in err
    run(capsys, "settings", "link_resolver", "https://resolver.example.org/openurl")
    monkeypatch.setattr(webbrowser, "open", lambda *a, **k: False)
    code, out, err = run(capsys, "--library", str(libpath), "pdf", "access", key)
    assert code == 1 and "rft.atitle=A%20report%20without%20a%20DOI" in out
    assert "no web browser could be started here" in err


def test_pdf_access_of_a_reading_list(tmp_path: Path, opened: list[str],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "club.sqlite"
    with Library.open(path) as lib:
        keys = [lib.articles.add_record(make_record(doi=f"10.1000/club.{n}", pmid="",
                                                    title=f"Journal club paper {n}")).citekey
                for n in range(12)]
        lib.articles.add_record(make_record(doi="", pmid="", title="A report without a DOI"))
        lib.lists.create("Journal club")
        lib.lists.add("Journal club", [lib.articles.resolve_key(k) for k in keys[:3]])
    run(capsys, "settings", "library_proxy", EZPROXY)
    code, out, err = run(capsys, "--library", str(path), "pdf", "access", "--list",
                         "Journal club")
    assert code == 0 and err == ""
    assert opened == [EZPROXY + f"https://doi.org/10.1000/club.{n}" for n in range(3)]
    assert out.splitlines() == [
        *(f"{keys[n]}: Through my library (proxy): {EZPROXY}https://doi.org/10.1000/club.{n}"
          for n in range(3)), "opened in the browser: 3 articles"]
    # Thirteen: twelve tabs would open, so nothing opens; --print lists them instead.
    code, _, err = run(capsys, "--library", str(path), "pdf", "access", "--all")
    assert code == 1 and "12 articles would open 12 browser tabs; add --print" in err
    assert len(opened) == 3
    code, out, err = run(capsys, "--library", str(path), "pdf", "access", "--all", "--print")
    assert code == 1 and len(out.splitlines()) == 12 and len(opened) == 3
    assert err.endswith("needs a DOI or a publisher's address and this article has neither; "
                        "a link resolver (Preferences, or `spinelib settings link_resolver "
                        "ADDRESS`) can find it by its citation\n")
    assert run(capsys, "--library", str(path), "pdf", "access")[2] == (
        "spinelib: name articles (KEY...) or use --all\n")


def test_a_hand_edited_proxy_is_refused_when_used(libpath: Path, opened: list[str],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    settings.save(settings.Settings(library_proxy="https://ezproxy.example.org/"),
                  paths.settings_path())
    code, _, err = run(capsys, "--library", str(libpath), "pdf", "access", "16112299")
    assert code == 1 and "the library proxy should be your library's starting-point" in err
    assert opened == []


def _key_of(libpath: Path, title: str) -> str:
    with Library.open(libpath) as lib:
        for article_id in lib.search.ids():
            if lib.articles.record(article_id).title == title:
                return lib.articles.citekey(article_id)
    raise AssertionError(title)
