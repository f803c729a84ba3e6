"""The groups and folders a .bib export puts its entries in, read in the shapes Mendeley
Desktop, JabRef (old and new) and Zotero's Better BibTeX write them
(:mod:`spinelib.formats.bibtex.groups`)."""

from __future__ import annotations

from spinelib.formats.bibtex.read import read_bibtex
from spinelib.formats.bibtex.stream import open_bib_stream

#: Mendeley Desktop's export: folders as paths, LaTeX-escaped; its tags twice (keywords too).
MENDELEY = r"""@article{Patchell2005,
author = {Patchell, Roy A and Tibbs, Phillip A},
doi = {10.1016/S0140-6736(05)66954-1},
journal = {Lancet},
keywords = {Spinal cord compression,to read},
mendeley-groups = {Spine oncology,Spine oncology/MESCC,M{\&}A, Thesis / Chapter 2 ,},
mendeley-tags = {to read,Thesis},
title = {{Direct decompressive surgical resection}},
year = {2005}
}
@article{Bilsky2010,
author = {Bilsky, Mark},
journal = {J Neurosurg Spine},
title = {{Reliability of the ESCC scale}},
year = {2010}
}
"""

#: JabRef 5: membership in each entry's ``groups``; the tree (at the end) nests the groups,
#: two of them named "Reviews" in different places; a keyword group is a query.
JABREF5 = r"""% Encoding: UTF-8

@Article{Fisher2010,
  author  = {Fisher, Charles G.},
  title   = {A novel classification system for spinal instability},
  year    = {2010},
  groups  = {SINS, Reviews},
}

@Article{Laufer2013,
  author  = {Laufer, Ilya},
  title   = {The NOMS framework},
  year    = {2013},
  groups  = {Unfiled},
}

@Comment{jabref-meta: databaseType:bibtex;}

@Comment{jabref-meta: grouping:
0 AllEntriesGroup:;
1 StaticGroup:Instability\;0\;1\;0x8a8a8aff\;\;\;;
2 StaticGroup:SINS\;0\;1\;0x8a8a8aff\;\;\;;
2 StaticGroup:Reviews\;0\;1\;0x8a8a8aff\;\;\;;
1 KeywordGroup:Augmentation\;0\;keywords\;kyphoplasty\;0\;0\;1\;0x8a8a8aff\;\;\;;
2 StaticGroup:Reviews\;0\;1\;0x8a8a8aff\;\;\;;
1 SearchGroup:Recent\;0\;year >= 2020\;0\;0\;1\;\;\;\;;
}
"""

#: Better BibTeX's JabRef 3 format: members by key in the tree, its lines wrapped at 70
#: characters wherever they fall (inside a key here); a ";" in a name escaped twice.
BBT3 = r"""@article{tomita2001,
  title = {Surgical strategy for spinal metastases}, author = {Tomita, K.}, year = {2001}
}
@article{tokuhashi2005,
  title = {A revised scoring system}, author = {Tokuhashi, Y.}, year = {2005}
}
@comment{jabref-meta: groupsversion:3;}
@comment{jabref-meta: groupstree:
0 AllEntriesGroup:;
1 ExplicitGroup:Scores\;0\;tomita2001\;tokuhashi20
05\;;
2 ExplicitGroup:Tomita\\\;1990s\;0\;tomita2001\;;
}
"""


def _groups(text: str) -> dict[str, list[str]]:
    return {r.citekey: r.groups for r in read_bibtex(text, "x.bib").records}


def test_mendeley_folders_and_tags() -> None:
    patchell, bilsky = read_bibtex(MENDELEY, "m.bib").records
    assert patchell.groups == ["Spine oncology", "Spine oncology/MESCC", "M&A",
                               "Thesis/Chapter 2"]
    assert patchell.user_tags == ["to read", "Thesis"]
    assert (bilsky.groups, bilsky.user_tags) == ([], [])


def test_jabref5_groups_are_read_as_their_paths_in_the_tree() -> None:
    result = read_bibtex(JABREF5, "j.bib")
    fisher, laufer = result.records
    # "Reviews" is in two places: JabRef shows the entry in both.
    assert fisher.groups == ["Instability/SINS", "Instability/Reviews", "Augmentation/Reviews"]
    assert laufer.groups == ["Unfiled"]  # a name the tree lacks is kept as written
    assert result.warnings == [
        "j.bib: JabRef groups made of a search or of keywords ('Augmentation', 'Recent') are "
        "not reading lists here: they hold no entries of their own (a saved search finds "
        "their articles)"]


def test_jabref3_tree_lists_members_by_key_across_wrapped_lines() -> None:
    assert _groups(BBT3) == {"tomita2001": ["Scores", "Scores/Tomita;1990s"],
                             "tokuhashi2005": ["Scores"]}


def test_jabref_reading_state_and_stars() -> None:
    text = ("@article{a, title={A}, year={2001}, readstatus={read}, ranking={rank4}}\n"
            "@article{b, title={B}, year={2001}, readstatus={skimmed}, priority={prio1}}\n"
            "@article{c, title={C}, year={2001}, ranking={rank9}, readstatus={maybe}}\n")
    assert [(r.read_status, r.rating) for r in read_bibtex(text, "r.bib").records] == [
        (2, 4), (1, 0), (0, 0)]


def test_a_broken_tree_places_what_it_can() -> None:
    """A tree cut off, a group without a name, a line that is no group: the rest is read."""
    text = ("@article{a, title={A}, year={2001}, groups={Kept}}\n"
            "@comment{jabref-meta: groupstree:\n0 AllEntriesGroup:;\n"
            "1 ExplicitGroup:\\;0\\;a\\;;\nnot a group;\n1 StaticGroup:Kept\\;0\\;1;\n"
            "2 ExplicitGroup:Cut\\;0\\;a")
    assert _groups(text) == {"a": ["Kept"]}  # "Cut" never closes: no tree at all
    assert _groups(text + "}\n") == {"a": ["Kept", "Kept/Cut"]}


def test_a_file_without_groups_gives_none() -> None:
    plain = "@article{a, title={T}, year={2001}}\n@comment{jabref-meta: databaseType:bibtex;}\n"
    result = read_bibtex(plain, "p.bib")
    assert [r.groups for r in result.records] == [[]] and not result.warnings


def test_a_streamed_file_is_placed_as_a_whole_read_places_it() -> None:
    """The tree comes last in the file; a stream reads the entries a chunk at a time."""
    for text in (JABREF5, BBT3, MENDELEY):
        whole = read_bibtex(text, "s.bib")
        stream = open_bib_stream(text, "s.bib", chunk_cuts=1)
        assert stream is not None
        records = list(stream.records())
        assert [r.groups for r in records] == [r.groups for r in whole.records]
        assert [r.user_tags for r in records] == [r.user_tags for r in whole.records]
        assert stream.warnings == whole.warnings
