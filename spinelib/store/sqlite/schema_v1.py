"""Schema 1 as released (commit 5eb7aa1), frozen: these statements never change.

The exact text of the schema of ``tests/data/library-v1.sqlite``, the real library that
version wrote (SQLite keeps statements as written, so a library made by the ladder compares
equal to a real old one). A later change is a new step in
:mod:`spinelib.store.sqlite.migrations`, never an edit here.
"""

from __future__ import annotations

V1_DDL: tuple[str, ...] = (
    (
        'CREATE TABLE article (\n'
        '\tid INTEGER NOT NULL, \n'
        '\tcitekey VARCHAR NOT NULL, \n'
        '\tdoi VARCHAR, \n'
        '\tpmid VARCHAR, \n'
        '\tpmcid VARCHAR, \n'
        '\ttitle VARCHAR NOT NULL, \n'
        '\ttitle_sort VARCHAR NOT NULL, \n'
        '\ttitle_key VARCHAR NOT NULL, \n'
        '\tabstract VARCHAR NOT NULL, \n'
        '\tjournal VARCHAR NOT NULL, \n'
        '\tjournal_abbrev VARCHAR NOT NULL, \n'
        '\tissn VARCHAR NOT NULL, \n'
        '\tyear INTEGER, \n'
        '\tmonth INTEGER, \n'
        '\tday INTEGER, \n'
        '\tvolume VARCHAR NOT NULL, \n'
        '\tissue VARCHAR NOT NULL, \n'
        '\tpages VARCHAR NOT NULL, \n'
        '\ttype VARCHAR NOT NULL, \n'
        '\tlanguage VARCHAR NOT NULL, \n'
        '\tpublisher VARCHAR NOT NULL, \n'
        '\tbook_title VARCHAR NOT NULL, \n'
        '\turl VARCHAR NOT NULL, \n'
        '\tpublication_types VARCHAR NOT NULL, \n'
        '\tmesh VARCHAR NOT NULL, \n'
        '\tkeywords VARCHAR NOT NULL, \n'
        '\tfirst_author VARCHAR NOT NULL, \n'
        '\tauthor_count INTEGER NOT NULL, \n'
        '\tsource VARCHAR NOT NULL, \n'
        '\tadded_at VARCHAR NOT NULL, \n'
        '\tupdated_at VARCHAR NOT NULL, \n'
        '\tread_status INTEGER NOT NULL, \n'
        '\trating INTEGER NOT NULL, \n'
        '\tnotes VARCHAR NOT NULL, \n'
        '\tretracted BOOLEAN NOT NULL, \n'
        '\thas_erratum BOOLEAN NOT NULL, \n'
        '\tPRIMARY KEY (id), \n'
        '\tUNIQUE (citekey), \n'
        '\tUNIQUE (doi), \n'
        '\tUNIQUE (pmid), \n'
        '\tUNIQUE (pmcid)\n'
        ')'
    ),
    'CREATE INDEX ix_article_year ON article (year)',
    'CREATE INDEX ix_article_first_author ON article (first_author)',
    'CREATE INDEX ix_article_title_year ON article (title_key, year)',
    'CREATE INDEX ix_article_journal ON article (journal)',
    'CREATE INDEX ix_article_added ON article (added_at)',
    'CREATE INDEX ix_article_title_sort ON article (title_sort)',
    (
        'CREATE TABLE pending_import (\n'
        '\tid INTEGER NOT NULL, \n'
        '\tidentifier VARCHAR NOT NULL, \n'
        '\treason VARCHAR NOT NULL, \n'
        '\tqueued_at VARCHAR NOT NULL, \n'
        '\tattempts INTEGER NOT NULL, \n'
        '\ttags VARCHAR NOT NULL, \n'
        '\twith_references BOOLEAN NOT NULL, \n'
        '\tPRIMARY KEY (id), \n'
        '\tUNIQUE (identifier)\n'
        ')'
    ),
    (
        'CREATE TABLE reading_list (\n'
        '\tid INTEGER NOT NULL, \n'
        '\tname VARCHAR NOT NULL, \n'
        '\tcreated_at VARCHAR NOT NULL, \n'
        '\tPRIMARY KEY (id), \n'
        '\tUNIQUE (name)\n'
        ')'
    ),
    (
        'CREATE TABLE tag (\n'
        '\tid VARCHAR NOT NULL, \n'
        '\tlabel VARCHAR NOT NULL, \n'
        '\tparent VARCHAR, \n'
        '\torigin VARCHAR NOT NULL, \n'
        '\tPRIMARY KEY (id), \n'
        '\tFOREIGN KEY(parent) REFERENCES tag (id) ON DELETE SET NULL\n'
        ')'
    ),
    (
        'CREATE TABLE article_facet (\n'
        '\tarticle_id INTEGER NOT NULL, \n'
        '\tfacet VARCHAR NOT NULL, \n'
        '\tvalue VARCHAR NOT NULL, \n'
        '\treason VARCHAR NOT NULL, \n'
        '\tPRIMARY KEY (article_id, facet, value), \n'
        '\tFOREIGN KEY(article_id) REFERENCES article (id) ON DELETE CASCADE\n'
        ')'
    ),
    'CREATE INDEX ix_article_facet_value ON article_facet (facet, value)',
    (
        'CREATE TABLE article_tag (\n'
        '\tarticle_id INTEGER NOT NULL, \n'
        '\ttag_id VARCHAR NOT NULL, \n'
        '\torigin VARCHAR NOT NULL, \n'
        '\treason VARCHAR NOT NULL, \n'
        '\tPRIMARY KEY (article_id, tag_id), \n'
        '\tFOREIGN KEY(article_id) REFERENCES article (id) ON DELETE CASCADE, \n'
        '\tFOREIGN KEY(tag_id) REFERENCES tag (id) ON DELETE CASCADE ON UPDATE CASCADE\n'
        ')'
    ),
    'CREATE INDEX ix_article_tag_tag ON article_tag (tag_id, origin)',
    (
        'CREATE TABLE author (\n'
        '\tid INTEGER NOT NULL, \n'
        '\tarticle_id INTEGER NOT NULL, \n'
        '\tposition INTEGER NOT NULL, \n'
        '\tfamily VARCHAR NOT NULL, \n'
        '\tgiven VARCHAR NOT NULL, \n'
        '\tinitials VARCHAR NOT NULL, \n'
        '\tcollective VARCHAR NOT NULL, \n'
        '\torcid VARCHAR NOT NULL, \n'
        '\tPRIMARY KEY (id), \n'
        '\tFOREIGN KEY(article_id) REFERENCES article (id) ON DELETE CASCADE\n'
        ')'
    ),
    'CREATE INDEX ix_author_article ON author (article_id, position)',
    (
        'CREATE TABLE reading_list_item (\n'
        '\tid INTEGER NOT NULL, \n'
        '\tlist_id INTEGER NOT NULL, \n'
        '\tarticle_id INTEGER NOT NULL, \n'
        '\tposition INTEGER NOT NULL, \n'
        '\tPRIMARY KEY (id), \n'
        '\tUNIQUE (list_id, article_id), \n'
        '\tFOREIGN KEY(list_id) REFERENCES reading_list (id) ON DELETE CASCADE, \n'
        '\tFOREIGN KEY(article_id) REFERENCES article (id) ON DELETE CASCADE\n'
        ')'
    ),
    (
        'CREATE TABLE reference (\n'
        '\tid INTEGER NOT NULL, \n'
        '\tarticle_id INTEGER NOT NULL, \n'
        '\tposition INTEGER NOT NULL, \n'
        '\tcitation VARCHAR NOT NULL, \n'
        '\tdoi VARCHAR, \n'
        '\tpmid VARCHAR, \n'
        '\tpmcid VARCHAR, \n'
        '\tPRIMARY KEY (id), \n'
        '\tFOREIGN KEY(article_id) REFERENCES article (id) ON DELETE CASCADE\n'
        ')'
    ),
    'CREATE INDEX ix_reference_doi ON reference (doi)',
    'CREATE INDEX ix_reference_pmid ON reference (pmid)',
    'CREATE INDEX ix_reference_article ON reference (article_id, position)',
    (
        'CREATE VIRTUAL TABLE article_fts USING fts5(title, abstract, authors, journal, k'
        "eywords, mesh, notes, tags, tokenize = 'unicode61 remove_diacritics 2')"
    ),
)
