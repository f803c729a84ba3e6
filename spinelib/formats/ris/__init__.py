"""RIS, both ways, as EndNote, Zotero and Mendeley write and read it.

* :mod:`~spinelib.formats.ris.write`: :func:`write_ris` (the tags written are listed
  there) and :func:`export_problems`.
* :mod:`~spinelib.formats.ris.read`: :func:`read_ris`, which accepts what those programs
  and the bibliographic databases write.
"""

from spinelib.formats.ris.read import KNOWN_TAGS, TYPE_IN, read_ris
from spinelib.formats.ris.write import export_problems, write_ris

__all__ = ["KNOWN_TAGS", "TYPE_IN", "export_problems", "read_ris", "write_ris"]
