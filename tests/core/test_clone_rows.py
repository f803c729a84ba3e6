"""The first copy's row maker (``store/clone.py``) gives exactly what the one mapping gives:
its fast title key equals :func:`title_key`, its shared values equal ``row_values`` (every
empty and missing field included), and it keeps citation keys unique over a whole copy.
The end-to-end equality of a clone with the library it copies is
``tests/team/test_team_clone.py``."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from spinelib.store import Store
from spinelib.store.clone import Clone, RowMaker, fast_title_key, shared_values
from spinelib.store.connection import Connection
from spinelib.store.mapping import title_key
from spinelib.store.outbox import SHARED_COLUMNS, row_values
from spinelib.store.refhelper import reference_rows

TITLES = ["Spinal metastases: SBRT vs. cEBRT (n=120)", "", "  ", "Ñandú—über Ǆ ﬁber",
          "Wirbelsäulenmetastasen", "ΣΠΙΝ", "ß", "İstanbul", "a\u0301b", "x\t1\n2",
          "Denosumab for giant-cell tumour of the sacrum: 10-year results",
          "½ dose & ② levels", "résumé", "Ｆｕｌｌｗｉｄｔｈ"]


def test_fast_title_key_equals_title_key() -> None:
    rng = random.Random(13)
    alphabet = "abcXYZ019 -:;,.()[]'\"/\\\t\n_+&%$#@!~`^*{}|<>?=" + "éßİǄﬁ½②Ｆ\u0301ΣπÅ"
    titles = TITLES + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
                       for _ in range(3000)]
    for title in titles:
        assert fast_title_key(title) == title_key(title), repr(title)


def test_shared_values_equal_row_values() -> None:
    full = {c: f"v-{c}" for c in SHARED_COLUMNS}
    full.update(year=2020, month=None, author_count=3, retracted=True, has_erratum=False)
    docs = [full, {}, {c: None for c in SHARED_COLUMNS},
            {"title": "Ünïcode", "citekey": "k1", "retracted": None, "author_count": None,
             "doi": None, "pmid": "123", "tags": ["x"]}]
    for doc in docs:
        expected = row_values(doc)
        got = dict(zip(SHARED_COLUMNS, shared_values(doc), strict=True))
        assert got == {c: expected[c] for c in SHARED_COLUMNS}
        assert [type(v) for v in got.values()] == [type(expected[c]) for c in SHARED_COLUMNS]


def _doc(citekey: str | None, title: str = "T", lists: list[str] | None = None,
         positions: dict[str, int] | None = None) -> dict[str, object]:
    return {"citekey": citekey, "title": title, "authors": [["Doe", "J", "J", "", ""]],
            "tags": [json.dumps(["t1", "Tag one", "user", "user", ""])],
            "facets": [json.dumps(["design", "rct", "why"])], "lists": lists or [],
            "list_positions": positions or {}}


def test_row_maker_keeps_keys_unique_and_positions_in_order_over_batches() -> None:
    maker = RowMaker({"u2": {"read_status": 2, "rating": 4, "notes": "mine"}})
    first = maker.batch([("u1", 1, _doc("Doe2020", lists=["A"]), "[]"),
                         ("u2", 3, _doc("Doe2020", "Ärger", ["A", "B"], {"B": 7}), "[]")])
    second = maker.batch([("u3", 1, _doc("Doe2020", lists=["A"]), "[]"),
                          ("u4", 1, _doc(None), '[[0, "c", null, null, null]]')])
    rows = first.articles + second.articles
    at = {c: i for i, c in enumerate(SHARED_COLUMNS)}
    keys = [r[at["citekey"]] for r in rows]
    assert keys == ["Doe2020", "Doe2020a", "Doe2020b", "u4"[:8]]
    assert [r[-5] for r in rows] == [1, 2, 3, 4]  # local ids, in order of arrival
    assert rows[1][-3:] == (2, 4, "mine") and rows[0][-3:] == (0, 0, "")
    assert rows[1][len(SHARED_COLUMNS) + 1] == title_key("Ärger")
    # A list entry without a shared position takes its place in the order of arrival.
    assert first.items + second.items == [("A", 1, 0), ("A", 2, 1), ("B", 2, 7),
                                          ("A", 3, 3)]
    assert [d[0] for d in first.tag_defs + second.tag_defs] == ["t1"]  # defined once
    shadow = json.loads(second.sync_rows[1][3])
    # The reference list is in the rows only (schema step 15: the shadow's base until the
    # rows change), not in the shadow a second time.
    assert "references" not in shadow
    assert second.ref_lists[1] == (4, '[[0, "c", null, null, null]]')  # as the server sent it
    assert reference_rows(second.ref_lists) == [(4, 0, "c", None, None, None)]
    assert shadow["citekey"] == "u4" and shadow["retracted"] is False
    assert json.loads(first.sync_rows[1][4]) == {"read_status": 2, "rating": 4,
                                                 "notes": "mine"}
    assert first.fulltext[1][1]["notes"] == "mine"
    assert first.fulltext[0][1]["authors"] == "Doe J"


def test_one_parse_of_tags_and_facets_equals_one_parse_each() -> None:
    tags = [json.dumps(["t1", "Tag, one [x]", "user", "user", None]),
            json.dumps(["t2", "Ü \"q\"", "auto", "auto", "why"])]
    facets = [json.dumps(["design", "rct", "a,b"])]
    refs = '[[0, "c, [1]", "10.1/x", null, null], [1, "d"]]'
    maker = RowMaker({})
    b = maker.batch([("u1", 1, {"title": "T", "tags": tags, "facets": facets}, refs),
                     ("u2", 1, {"title": "T"}, "[]")])
    assert b.ref_lists == [(1, refs), (2, "[]")]  # left to the writer (and its helper)
    assert reference_rows(b.ref_lists) == [(1, 0, "c, [1]", "10.1/x", None, None),
                                           (1, 1, "d", None, None, None)]
    assert b.tags == [(1, json.loads(t)[0], *json.loads(t)[3:]) for t in tags]
    assert b.tag_defs == [tuple(json.loads(t)[:3]) for t in tags]
    assert b.facets == [(1, *json.loads(f)) for f in facets]
    # A tag text holding two values would shift the rest: refused, not misread.
    with pytest.raises(ValueError, match="malformed tag or facet"):
        RowMaker({}).batch([("u3", 1, {"title": "T", "tags": tags[:1] + ['1, 2']}, "[]")])


def test_the_fts_budget_is_set_and_put_back_and_skipped_where_fts5_lacks_it(
        tmp_path: Path) -> None:
    """The copy's larger FTS5 ``hashsize`` is set for the copy and leaves no trace; an SQLite
    whose FTS5 refuses the option (a failed statement changes nothing) copies with the
    default instead of failing."""
    store = Store.open(tmp_path / "lib.sqlite")
    try:
        with store.writing() as conn:
            clone = Clone(conn, store.fulltext, store.tagcounts)
            clone._fts_config(64 << 20)
            assert conn.scalar("SELECT v FROM article_fts_config WHERE k = 'hashsize'") == (
                64 << 20)
            clone._fts_config(None)
            assert conn.scalar("SELECT count(*) FROM article_fts_config "
                               "WHERE k = 'hashsize'") == 0

        class Refusing(Connection):
            def execute(self, sql: str, params: Any = ()) -> Any:
                if "'hashsize'" in sql:
                    raise sqlite3.OperationalError("SQL logic error")
                return super().execute(sql, params)

        with store.writing() as conn:
            refusing = Refusing(conn.raw)
            clone = Clone(refusing, store.fulltext, store.tagcounts)
            clone._fts_config(64 << 20)  # refused: no error, nothing set
            clone._fts_config(None)  # nothing to put back: not even tried
            assert conn.scalar("SELECT count(*) FROM article_fts_config "
                               "WHERE k = 'hashsize'") == 0
    finally:
        store.close()
