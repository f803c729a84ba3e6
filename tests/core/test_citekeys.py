"""Citation keys made for new articles: author, year, first significant title word."""

from __future__ import annotations

import pytest

from spinelib.citekeys import base_key
from spinelib.records import Author

from .helpers import make_record


@pytest.mark.parametrize(("family", "key"), [
    ("Patchell", "patchell2005direct"),
    ("de la Cruz", "cruz2005direct"),        # BibTeX's "von" part: left out, as JabRef does
    ("van der Berg", "berg2005direct"),
    ("da Silva", "silva2005direct"),
    ("Van Dyke", "van2005direct"),           # a capitalised particle is part of the name
    ("García Márquez", "garcia2005direct"),  # two surnames: the first
    ("d'Ambrosio", "dambrosio2005direct"),
    ("van", "van2005direct"),                # a lone lower-case word is the name itself
])
def test_the_key_takes_the_family_name_without_its_particles(family: str, key: str) -> None:
    """A Dutch or Spanish name keyed "van2020…", "de2020…": dozens of papers on one stem."""
    assert base_key(make_record(authors=[Author(family, "M", "M")])) == key


def test_a_group_author_keys_by_its_first_word() -> None:
    rec = make_record(authors=[Author(collective="Spine Oncology Study Group")])
    assert base_key(rec) == "spine2005direct"
