"""A paywalled paper through the reader's library, in the window: the Preferences' proxy and
link resolver (refused when they cannot work), the links beside the DOI, and Full text ▸
Open through my library."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from spinelib import paths
from spinelib import settings as settings_mod
from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.pdfjobs import FulltextData, fulltext_html
from spinelib.gui.prefsdialog import PreferencesDialog
from spinelib.library import Library
from spinelib.records import ArticleRecord
from tests.gui.conftest import article_id, wait_loaded

EZPROXY = "https://ezproxy.example.org/login?url="
RESOLVER = "https://resolver.example.org/openurl"
KYPHOPLASTY_DOI_URL = "https://doi.org/10.1016/s1470-2045(11)70008-0"


def links_in_details(win: MainWindow) -> dict[str, str]:
    """The detail pane's links, label -> address, as written in its HTML."""
    html = win.detail.browser.toHtml()
    out: dict[str, str] = {}
    for href, inner in re.findall(r'<a href="([^"]*)">(.*?)</a>', html):
        label = re.sub(r"<[^>]+>", "", inner).replace("&nbsp;", " ").replace("\xa0", " ")
        out[label] = href.replace("&amp;", "&")
    return out


def save_preferences(win: MainWindow, qtbot: QtBot, proxy: str,
                     resolver: str = "") -> PreferencesDialog:
    dialog = win.show_preferences()
    assert isinstance(dialog, PreferencesDialog)
    dialog.proxy.setText(proxy)
    dialog.resolver.setText(resolver)
    dialog.save()
    return dialog


def test_preferences_refuse_a_proxy_that_cannot_work_and_keep_a_good_one(
        window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    wait_loaded(qtbot, window, article_id(lib, "21333599"))
    assert "Through my library" not in links_in_details(window)
    dialog = save_preferences(window, qtbot, "ezproxy.example.org/login?url=")
    assert dialog.isVisible() and not dialog.problem.isHidden()
    assert dialog.problem.text().startswith("Not saved: the library proxy must be a web "
                                            "address starting with https://")
    assert not paths.settings_path().exists() or settings_mod.load(
        paths.settings_path(), env={}).library_proxy == ""
    dialog.proxy.setText(EZPROXY)
    dialog.resolver.setText("resolver.example.org")
    dialog.save()
    assert dialog.isVisible() and "link resolver" in dialog.problem.text()
    dialog.resolver.setText(RESOLVER)
    # An API key pasted with a quote around it is refused the same way, first.
    dialog.api_key.setText('"0123456789abcdef"')
    dialog.save()
    assert dialog.isVisible() and "NCBI API key is letters and digits" in dialog.problem.text()
    assert "0123456789abcdef" not in dialog.problem.text()
    dialog.api_key.setText("0123456789abcdef")
    with qtbot.waitSignal(dialog.saved):
        dialog.save()
    stored = settings_mod.load(paths.settings_path(), env={})
    assert stored.ncbi_api_key == "0123456789abcdef"
    assert (stored.library_proxy, stored.link_resolver) == (EZPROXY, RESOLVER)
    assert (window.settings.library_proxy, window.settings.link_resolver) == (EZPROXY, RESOLVER)
    # The detail pane shows the ways in beside the DOI at once.
    qtbot.waitUntil(lambda: "Through my library" in links_in_details(window))
    links = links_in_details(window)
    assert links["Through my library"] == EZPROXY + KYPHOPLASTY_DOI_URL
    assert links["Find in my library"].startswith(RESOLVER + "?url_ver=Z39.88-2004&")
    # Both open when clicked, the resolver's "%20"s included (compared as written).
    opened: list[str] = []
    window.detail.open_url = lambda url: opened.append(url.toString(
        QUrl.ComponentFormattingOption.FullyEncoded))
    for label in ("Through my library", "Find in my library"):
        window.detail._link_clicked(QUrl(links[label]))
    assert opened == [links["Through my library"], links["Find in my library"]]
    query = dict(parse_qsl(urlsplit(opened[1]).query))
    assert query["rft.atitle"].startswith("Balloon kyphoplasty versus non-surgical care")
    # A link that is not the article's is still never opened.
    window.detail._link_clicked(QUrl("https://ezproxy.example.org/login?url=https://evil.example"))
    assert len(opened) == 2


def test_open_through_my_library_asks_for_the_setting_first(
        window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    flow = window.pdfs.library_access
    opened: list[str] = []
    flow.open_url = lambda url: opened.append(url.toString(
        QUrl.ComponentFormattingOption.FullyEncoded))
    menu_actions = [a for a in window.menuBar().actions() if a.text() == "F&ull text"]
    assert flow.action in menu_actions[0].menu().actions()
    window.detail.show_article(None)  # nothing shown (the window may have shown one)
    flow.action.trigger()
    assert window.statusBar().currentMessage() == ("Select an article to open it through "
                                                   "your library.")
    wait_loaded(qtbot, window, article_id(lib, "21333599"))
    flow.action.trigger()
    box = flow.question
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "proxy is not set yet" in box.text() and "login?url=" in box.informativeText()
    go = next(b for b in box.buttons() if b.text() == "Open Preferences…")
    go.click()
    qtbot.waitUntil(lambda: isinstance(window.dialog, PreferencesDialog)
                    and window.dialog.isVisible())
    assert opened == [] and flow.question is None
    dialog = window.dialog
    assert isinstance(dialog, PreferencesDialog)
    dialog.proxy.setText(EZPROXY)
    with qtbot.waitSignal(dialog.saved):
        dialog.save()
    flow.action.trigger()
    assert opened == [EZPROXY + KYPHOPLASTY_DOI_URL]
    assert window.statusBar().currentMessage() == (
        "Opened in your browser: through my library (proxy). To attach it, drop the PDF on "
        "the article.")
    window.settings.watched_folder = "/home/surgeon/Downloads"
    flow.action.trigger()
    assert window.statusBar().currentMessage().endswith(
        "To attach it, save the PDF into /home/surgeon/Downloads (the watched folder) or drop "
        "it on the article.")


def test_what_the_settings_cannot_reach_is_said(lib: Library, qtbot: QtBot,
                                               make_window: Callable[..., MainWindow]) -> None:
    no_doi = lib.articles.add_record(ArticleRecord(title="Separation surgery: a report",
                                                   year=2020, journal="Spine")).article_id
    window = make_window(lib)
    flow = window.pdfs.library_access
    opened: list[str] = []
    flow.open_url = lambda url: opened.append(url.toString())
    window.settings.library_proxy = EZPROXY
    wait_loaded(qtbot, window, no_doi)
    flow.action.trigger()
    assert "needs a DOI or a publisher's address" in window.statusBar().currentMessage()
    window.settings.library_proxy = "https://ezproxy.example.org/"  # a hand-edited file
    flow.action.trigger()
    assert window.statusBar().currentMessage().startswith(
        "Not opened: the library proxy should be your library's starting-point address")
    assert opened == []


def test_the_text_tab_names_the_way_through_the_library(window: MainWindow, lib: Library,
                                                        qtbot: QtBot) -> None:
    text = fulltext_html(FulltextData(article_id=1, parts=[], attachments=[]))
    assert "“Find available PDFs” for an open copy" in text
    assert '<a href="#through-my-library">Open through my library</a> (Full text menu)' in text
    # The link does what the menu does, for the article shown.
    flow, tab = window.pdfs.library_access, window.pdfs.tab
    opened: list[str] = []
    flow.open_url = lambda url: opened.append(url.toString())
    window.settings.library_proxy = EZPROXY
    aid = article_id(lib, "21333599")
    wait_loaded(qtbot, window, aid)
    qtbot.waitUntil(lambda: tab.data is not None and tab.data.article_id == aid)
    assert "Open through my library" in tab.text.toPlainText()
    tab.text.anchorClicked.emit(QUrl("#through-my-library"))
    assert opened == [EZPROXY + KYPHOPLASTY_DOI_URL]
    tab.text.anchorClicked.emit(QUrl("https://evil.example/#through-my-library"))
    assert len(opened) == 1
