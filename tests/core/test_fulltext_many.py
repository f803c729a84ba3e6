"""Many articles' search-index rows rewritten at once (``Dialect.fulltext_replace_many``, used
by an undo, a restore and a bulk retag): scattered ids each end with exactly one index row,
the new text, and the articles around them keep theirs."""

from __future__ import annotations

from pathlib import Path

from spinelib.library import Library

from .helpers import make_record


def _index(lib: Library) -> list[tuple[int, str]]:
    with lib.store.reading() as conn:
        return [(int(r[0]), str(r[1])) for r in
                conn.all("SELECT rowid, title FROM article_fts ORDER BY rowid")]


def test_scattered_articles_are_reindexed_once_each(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.sqlite") as lib:
        lib.articles.add_records([make_record(pmid=str(500 + i), doi=f"10.5555/f{i}",
                                              title=f"Series {i} of kyphoplasty")
                                  for i in range(7)])
        ids = sorted(a for a, _t in _index(lib))
        changed = [ids[5], ids[1], ids[3]]
        with lib.store.writing() as conn:
            for a in changed:  # the stored title changes behind the index's back
                conn.execute("UPDATE article SET title = :t WHERE id = :a",
                             {"t": f"Separation surgery {a}", "a": a})
            lib.store.fulltext.reindex_many(conn, changed)
        index = _index(lib)
        assert [a for a, _t in index] == ids  # one row each: none doubled, none lost
        assert {a: t for a, t in index if a in changed} == {
            a: f"Separation surgery {a}" for a in changed}
        assert all(t.endswith("of kyphoplasty") for a, t in index if a not in changed)
        assert lib.search.matching("separation") != []


def test_a_stale_row_under_an_id_is_replaced_not_doubled(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.sqlite") as lib:
        lib.articles.add_records([make_record(pmid="700", title="Vertebroplasty trial")])
        (a, _title), = _index(lib)
        dialect = lib.store.fulltext.dialect
        with lib.store.writing() as conn:
            dialect.fulltext_replace_many(conn, [(a, {"title": "Percutaneous fixation"}),
                                                 (a + 1, {"title": "Left over"})])
        assert _index(lib) == [(a, "Percutaneous fixation"), (a + 1, "Left over")]
        with lib.store.writing() as conn:
            dialect.fulltext_replace_many(conn, [(a + 1, {"title": "Replaced"})])
        assert _index(lib) == [(a, "Percutaneous fixation"), (a + 1, "Replaced")]
        with lib.store.writing() as conn:  # an id given twice: the last text, as in turn
            dialect.fulltext_replace_many(conn, [(a, {"title": "First"}),
                                                 (a, {"title": "Second"})])
        assert _index(lib) == [(a, "Second"), (a + 1, "Replaced")]
