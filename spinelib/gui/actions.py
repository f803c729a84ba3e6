"""The main window's actions: each menu, toolbar and shortcut entry, made once and connected to
what it does (the window's parts: commands, imports, library files, queries).

Every action is added to the window, so its shortcut works wherever the focus is (Delete
only in the table) and the Help menu's shortcut list finds it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence

from spinelib.gui.inboxdialog import open_inbox
from spinelib.gui.manuscriptgui import ask_and_format_manuscript
from spinelib.gui.newarticledialog import open_new_article
from spinelib.gui.retractioncheck import start_check
from spinelib.gui.sharedrefsdialog import (
    open_pubmed_search,
    open_shared_references,
    open_technique_search,
)

if TYPE_CHECKING:
    from spinelib.gui.mainwindow import MainWindow

Shortcut = str | QKeySequence | QKeySequence.StandardKey | None


def make_action(window: MainWindow, text: str, slot: Callable[[], Any],
                shortcut: Shortcut = None, tip: str = "", icon: str = "") -> QAction:
    """An action of ``window`` calling ``slot()``; its tooltip and status tip name the
    shortcut in the platform's notation."""
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if icon:
        action.setIcon(QIcon.fromTheme(icon))
    tip = tip or text.replace("…", "").replace("&", "")
    if shortcut is not None:
        tip += f" ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
    action.setToolTip(tip)
    action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)
    return action


class MainActions:
    """The window's actions by name. Slots are looked up when triggered, so the window's
    parts may be made after the actions."""

    def __init__(self, w: MainWindow) -> None:
        a = make_action
        sel = w.table.selected_ids
        self.new_library = a(w, "&New library…", lambda: w.files.new_library())
        self.open_library = a(w, "&Open library…", lambda: w.files.open_library(),
                              QKeySequence.StandardKey.Open)
        self.import_articles = a(w, "&Import…", lambda: w.imports.show_import(), "Ctrl+I",
                                 "Import articles by DOI, PMID, PMCID or from files",
                                 "document-import")
        self.new_article = a(w, "New &article…", lambda: open_new_article(w), "Ctrl+N",
                             "Type in an article no DOI or PMID fetches: a guideline, a "
                             "conference abstract, a thesis, a web page")
        self.search_pubmed = a(w, "Search &PubMed…", lambda: open_pubmed_search(w),
                               "Ctrl+Shift+M", "Search PubMed as on its web page, or paste a "
                               "results page's address; import the articles you choose")
        # A technique's entry in the sidebar searches PubMed for it the same way, and a
        # results page's address given to Import lists that search.
        w.sidebar.search_pubmed_requested.connect(lambda tag: open_technique_search(w, tag))
        w.imports.search_requested.connect(lambda address: open_pubmed_search(w, address))
        self.retry = a(w, "&Retry pending imports", lambda: w.imports.retry_pending(), None,
                       "Fetch the identifiers queued while offline, and make the searches "
                       "and look-ups the network stopped", "view-refresh")
        self.inbox = a(w, "In&box…", lambda: open_inbox(w), None,  # issue 17
                       "Papers your literature watches found, waiting for triage")
        self.check_retractions = a(w, "Check re&tractions", lambda: start_check(w), None,
                                   "Load the Retraction Watch data and re-check every "
                                   "article online")
        self.export = a(w, "&Export…", lambda: w.show_export(), "Ctrl+E",
                        "Export articles to BibTeX, RIS, CSL-JSON, Vancouver or AMA",
                        "document-export")
        self.backup = a(w, "&Back up now", lambda: w.files.backup_now(), None,
                        "Write a copy of the library to its backups folder")
        self.restore = a(w, "Restore from &backup…", lambda: w.files.restore_from_backup(),
                         None, "Replace this library with a backup (the current one is kept)")
        self.prefs = a(w, "&Preferences…", lambda: w.show_preferences(), "Ctrl+,")
        self.quit = a(w, "&Quit", w.close, QKeySequence.StandardKey.Quit)

        self.copy_citation = a(w, "Copy &citation",
                               lambda: w.commands.copy_citation(sel(), w.settings.citation_style),
                               "Ctrl+Shift+C", "Copy the selected articles' references in the "
                               "citation style chosen in the Preferences", "edit-copy")
        self.format_manuscript = a(w, "Format &manuscript…", lambda: ask_and_format_manuscript(w),
                                   None, "Replace the citation placeholders of a Word file by "
                                   "the chosen style's citations and bibliography (a new file)")
        self.copy_ama = a(w, "Copy citation (&AMA)",
                          lambda: w.commands.copy_citation(sel(), "ama"))
        self.copy_key = a(w, "Copy citation &key", lambda: w.commands.copy_citekey(sel()),
                          "Ctrl+Shift+K", "Copy the citation keys of the selected articles")
        self.copy_bibtex = a(w, "Copy as &BibTeX", lambda: w.commands.copy_bibtex(sel()), None,
                             "Copy the selected articles' BibTeX entries (for a .bib file)")
        self.paste = a(w, "&Paste references", lambda: w.imports.paste_clipboard(),
                       QKeySequence.StandardKey.Paste, "Import the DOIs, PMIDs, links or "
                       "BibTeX/RIS entries on the clipboard (shown in the import dialog "
                       "first)", "edit-paste")
        self.find = a(w, "&Find", w.focus_search, QKeySequence.StandardKey.Find)
        self.delete = a(w, "&Delete…", lambda: w.commands.delete(sel()),
                        QKeySequence.StandardKey.Delete, "Delete the selected articles",
                        "edit-delete")
        # Only while the table has focus: Delete and Paste in the search field or the notes
        # edit text.
        for act in (self.delete, self.paste):
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            w.removeAction(act)
            w.table.addAction(act)

        self.read = a(w, "Mark as &read", lambda: w.commands.set_read_status(sel(), 2),
                      "Ctrl+R", "Mark the selected articles as read")
        self.unread = a(w, "Mark as &unread", lambda: w.commands.set_read_status(sel(), 0),
                        "Ctrl+U", "Mark the selected articles as unread")
        self.tags = a(w, "&Tags…", lambda: w.edit_tags(sel()), "Ctrl+T",
                      "Add or remove tags on the selected articles")
        self.add_to_list = a(w, "Add to reading &list…", w.add_selection_to_list, "Ctrl+L")
        self.shared_refs = a(w, "References of the &selection…",
                             lambda: open_shared_references(w, sel()), None,
                             "The works the selected articles' reference lists cite, each "
                             "once, the most shared first; import the ones you want")
        self.citing_selection = a(w, "Articles &citing the selection…",
                                  lambda: open_shared_references(w, sel(), "citing"), None,
                                  "The articles Europe PMC lists as citing the selected ones, "
                                  "each once, the most shared first; import the ones you want")
        self.similar_selection = a(w, "Si&milar articles (PubMed)…",
                                   lambda: open_shared_references(w, sel(), "similar"), None,
                                   "The articles PubMed finds most like the selected ones, "
                                   "each once, the most shared first; import the ones you want")
        self.new_list = a(w, "&New reading list…", lambda: w.commands.new_list(sel()),
                          "Ctrl+Shift+N", "Create a reading list (with the selected "
                          "articles, if any)")
        self.remove_from_list = a(w, "Remove from this reading list", w.remove_from_list)
        self.refresh = a(w, "Re&fresh", lambda: w.queries.refresh_all(),
                         QKeySequence.StandardKey.Refresh)
        self.relevance = a(w, "Sort searches by &relevance", lambda: w.queries.apply_query(),
                           None, "Best matches first while searching (slower on big "
                           "libraries)")
        self.relevance.setCheckable(True)
        self.toggle_sidebar = a(w, "Show &sidebar", lambda: w.toggle_part(w.sidebar),
                                "Ctrl+Shift+B")
        self.toggle_detail = a(w, "Show &detail pane", lambda: w.toggle_part(w.detail),
                               "Ctrl+Shift+D")
        for act in (self.toggle_sidebar, self.toggle_detail):
            act.setCheckable(True)
            act.setChecked(True)
        #: Enabled only while articles are selected.
        self.on_selection = [self.copy_citation, self.copy_ama, self.copy_key, self.copy_bibtex,
                             self.delete,
                             self.read, self.unread, self.tags, self.add_to_list,
                             self.shared_refs, self.citing_selection,
                             self.similar_selection]


__all__ = ["MainActions", "make_action"]
