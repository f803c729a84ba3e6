"""The detail pane's warning banner: a retraction, an erratum, an expression of concern, and
"cites N retracted papers" (issue 17), coloured by how serious the notice is; with nothing
to warn of, a calmer line for a paper kept from a PDF that names no identifier, saying how
to identify it."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from spinelib.gui.jobs import DetailData
from spinelib.gui.tablemodel import RETRACTED_COLOUR

#: Amber: an erratum or an expression of concern (serious, but not a retraction).
ERRATUM_COLOUR = "#8a5a00"
#: Slate blue: something to do, not a warning (an unidentified PDF).
TO_DO_COLOUR = "#35577a"


#: The banner's link that identifies the article shown (:data:`NoticeBanner.identify`).
IDENTIFY_LINK = "spinelib:identify"


def unidentified_text(reason: str) -> str:
    """The line for a paper kept from a PDF without a DOI or PMID: why, and the three ways
    to identify it (the link does what *Full text ▸ Identify PDFs by their first page*
    does for this article: its first page matched against the library's papers, then
    Crossref's and PubMed's)."""
    why = f" ({reason})" if reason else ""
    return ("<b>Unidentified PDF</b>" + html.escape(why) + ": its record holds only what "
            f'the file gave. <a href="{IDENTIFY_LINK}" style="color:white">Identify it '
            "now</a> by its first page (in the library, then Crossref and PubMed), or give "
            "it its DOI or PMID with <i>Edit fields</i>, then <i>Article ▸ Update from "
            "PubMed</i>; one that has none (a guideline, a handout) is yours once "
            "<i>Edit fields</i> has its authors and year.")


def notice_text(data: DetailData) -> str:
    """The banner text for an article's notice and the flagged papers it cites ('' if none)."""
    parts: list[str] = []
    flag = data.flag
    if flag is not None:
        when = f" ({flag.date})" if flag.date else ""
        why = f": {'; '.join(flag.reasons[:3])}" if flag.reasons else ""
        if flag.nature.value in ("Retraction", "Withdrawal"):
            parts.append(f"⚠ <b>{flag.nature.value}{when}.</b> This article has been "
                         f"retracted; do not cite it as evidence{why}.")
        else:
            parts.append(f"⚠ <b>{flag.nature.value}{when}.</b> The journal has raised "
                         f"concerns about this article{why}.")
    cites = data.cites_flagged
    if cites:
        retracted = sum(1 for c in cites if c.nature.value != "Expression of concern")
        concern = len(cites) - retracted
        bits = []
        if retracted:
            bits.append(f"{retracted} retracted paper{'s' if retracted != 1 else ''}")
        if concern:
            bits.append(f"{concern} paper{'s' if concern != 1 else ''} under an expression "
                        "of concern")
        refs = ", ".join(str(c.position) for c in cites[:10])
        parts.append(f"⚠ <b>Cites {' and '.join(bits)}</b> (references {refs}).")
    return "<br>".join(parts)


class NoticeBanner(QLabel):
    """A wrapped, coloured line above the article; hidden when there is nothing to say."""

    #: "Identify it now" was clicked on an unidentified PDF's line.
    identify = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setMargin(8)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                     | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.linkActivated.connect(self._link)
        self.hide()

    def _link(self, href: str) -> None:
        if href == IDENTIFY_LINK:  # the only link the banner writes; no address is opened
            self.identify.emit()

    def show_for(self, data: DetailData) -> None:
        """The most serious thing known: a notice found by a check (its nature decides the
        colour; an expression of concern is amber, not a retraction) over the import-day
        retraction or erratum flag."""
        text = notice_text(data)
        if text:
            serious = data.flag is not None and data.flag.nature.value in (
                "Retraction", "Withdrawal")
            self._show(text, RETRACTED_COLOUR if serious else ERRATUM_COLOUR)
        elif data.record.retracted:
            self._show("⚠ <b>This article has been retracted.</b> Do not cite it as "
                       "evidence; check the retraction notice.", RETRACTED_COLOUR)
        elif data.record.has_erratum:
            self._show("⚠ <b>An erratum has been published for this article.</b> Check the "
                       "correction before citing it.", ERRATUM_COLOUR)
        elif data.unidentified is not None:
            self._show(unidentified_text(data.unidentified), TO_DO_COLOUR)
        else:
            self.hide()

    def _show(self, text: str, colour: str) -> None:
        self.setText(text)
        self.setStyleSheet(f"background-color:{colour};color:white;")
        self.show()
