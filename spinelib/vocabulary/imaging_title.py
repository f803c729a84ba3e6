"""Whether a record's title makes it a study of images or of a reading's agreement.

A study titled "Interobserver agreement of MRI signs that distinguish osteoporotic from
malignant fractures" or "Reliability of the ESCC scale on CT myelography" studies images, or how
readers read them; the treatments its methods and results name are why patients were imaged,
referred or assessed ("many were being assessed for kyphoplasty"), or what the scale is meant to
guide, not what the study did. Such a record is read like a survey (the vocabulary's
``aim_only_contexts``): a technique counts from text only in its title, keywords or objective.

The rule holds only when the title names no technique at all: "MRI-guided laser interstitial
thermal therapy", "CT-guided biopsy" or "navigated screws using intraoperative cone-beam CT"
study the technique, and so does "Sacral insufficiency fractures after pelvic radiotherapy:
incidence on routine MRI". An imaging word followed by "guided", "based" or a navigation word
names how a procedure was guided, not what was studied.

Measured before it was kept (issue 22, round 8): on the five blind held-out sets' first runs,
with the code of their time, the suggestions it removes were wrong 5 times in 5, and on every
split with round 7's code 1 in 1; no right suggestion of any split rests on such a record.
"""

from __future__ import annotations

from spinelib.vocabulary.document import Doc, Field
from spinelib.vocabulary.dose import dose_cues
from spinelib.vocabulary.taxonomy import Taxonomy

#: The study kind passed to the evidence ledger (shown as "in a <kind> a technique counts...").
KIND = "study of images"
#: Folded title words that make images, or readers' agreement on them, a study's subject.
IMAGING_WORDS = frozenset({
    "mri", "ct", "tomography", "resonance", "imaging", "radiomic", "radiomics", "texture",
    "interobserver", "intraobserver", "reliability", "agreement", "myelography",
    "scintigraphy", "radiograph", "radiographic", "radiography", "pet", "diffusion"})
#: Words after an imaging word that make it the guidance of a procedure ("CT-guided").
GUIDANCE_WORDS = frozenset({"guided", "guidance", "based", "navigation", "navigated", "assisted"})


def imaging_title(doc: Doc, taxonomy: Taxonomy) -> bool:
    """True when ``doc``'s title makes it a study of images and names no technique."""
    title = next((f for f in doc.fields if f.name == "title"), None)
    if title is None or not _names_imaging(title.folded.tokens):
        return False  # most records: their title names no imaging word at all
    return not _names_technique(title, taxonomy)


def _names_imaging(tokens: tuple[str, ...]) -> bool:
    if IMAGING_WORDS.isdisjoint(tokens):
        return False  # the common case, answered by one set operation
    last = len(tokens) - 1
    return any(tok in IMAGING_WORDS and (i == last or tokens[i + 1] not in GUIDANCE_WORDS)
               for i, tok in enumerate(tokens))


def _names_technique(title: Field, taxonomy: Taxonomy) -> bool:
    """Any technique word in the title, counted or not (a bare "radiotherapy" too)."""
    if any(h.term.target for h in taxonomy._terms.scan(title.folded)):
        return True
    if any(True for _ in taxonomy._abbrevs.scan(title)):
        return True
    return any(True for _ in dose_cues(title.raw, taxonomy._dose_rules))
