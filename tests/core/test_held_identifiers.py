"""``Library.articles.holding``: which identifiers about to be imported the library already
holds, and where (the import dialog's preview says so before anything is fetched)."""

from __future__ import annotations

from pathlib import Path

from spinelib.identifiers import Identifier
from spinelib.import_results import HeldArticle
from spinelib.library import Library
from tests.core.helpers import make_record


def test_live_merged_away_and_trashed_identifiers_name_their_article(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.sqlite") as lib:
        kept = lib.articles.add_record(make_record(doi="10.1000/kept", pmid="1001"))
        twin = lib.articles.add_record(make_record(title="The same trial, indexed twice",
                                                   doi="10.1000/twin", pmid="1002"))
        gone = lib.articles.add_record(make_record(title="Deleted since", doi="10.1000/gone",
                                                   pmid="1003", pmcid="PMC77"))
        lib.duplicates.merge(kept.article_id, [twin.article_id])
        lib.trash.delete([gone.article_id])

        asked = [Identifier("doi", "10.1000/kept"), Identifier("pmid", "1001"),
                 Identifier("doi", "10.1000/twin"), Identifier("pmcid", "PMC77"),
                 Identifier("pmid", "1003"), Identifier("doi", "10.1000/never"),
                 Identifier("pmid", "9999")]
        held = lib.articles.holding(asked)

    live = HeldArticle(kept.article_id, kept.citekey, trashed=False)
    assert held == {
        Identifier("doi", "10.1000/kept"): live,
        Identifier("pmid", "1001"): live,
        # merged away: importing it again refreshes the article it went into
        Identifier("doi", "10.1000/twin"): live,
        Identifier("pmcid", "PMC77"): HeldArticle(gone.article_id, gone.citekey, trashed=True),
        Identifier("pmid", "1003"): HeldArticle(gone.article_id, gone.citekey, trashed=True),
    }


def test_nothing_asked_or_nothing_held(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.sqlite") as lib:
        assert lib.articles.holding([]) == {}
        assert lib.articles.holding([Identifier("doi", "10.1000/x")]) == {}


def test_an_import_of_a_trashed_identifier_restores_what_the_preview_named(
        tmp_path: Path) -> None:
    """What the preview promises ("in the Trash: KEY (restored)") is what the import does."""
    with Library.open(tmp_path / "lib.sqlite") as lib:
        old = lib.articles.add_record(make_record(doi="", pmid="1001"))
        lib.trash.delete([old.article_id])
        assert lib.articles.holding([Identifier("pmid", "1001")]) == {
            Identifier("pmid", "1001"): HeldArticle(old.article_id, old.citekey, trashed=True)}
        again = lib.articles.add_record(make_record(doi="", pmid="1001"))
        assert (again.article_id, again.citekey) == (old.article_id, old.citekey)
        assert lib.articles.holding([Identifier("pmid", "1001")]) == {
            Identifier("pmid", "1001"): HeldArticle(old.article_id, old.citekey, trashed=False)}
