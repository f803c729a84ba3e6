"""Technique tag suggestions for a record, each with the evidence quoted for a human.

Leaves come from specific MeSH UIs, terms, guarded abbreviations and dose schedules; a broad
MeSH UI only suggests the group. Every textual match is read in its sentence
(:mod:`.context`: negated, prior, hypothetical, outcome, exclusion) and weighed by the
sentence's section (:mod:`.evidence`: title and methods count most, a lone background or
outcome mention does not). Groups are suggested only when none of their leaves is (a leaf
implies its group through :meth:`~.taxonomy.Taxonomy.descendants`) and nothing in their
``explained_by`` list is. Tags whose definition is oncologic require tumour context, so cardiac
or facet-joint radiofrequency ablation is not tagged; tags with ``unless_context`` are vetoed
by the words of their collision ("radiofrequency denervation", a dosimetry "phantom").

:func:`explain` returns the suggestions and, for the tags that were mentioned but not
suggested, why not ("not suggested: negated in methods: 'vertebroplasty'"); only the
suggestions are stored on import (:func:`suggest`).
"""

from __future__ import annotations

from collections.abc import Mapping

from spinelib.records import ArticleRecord
from spinelib.vocabulary.abbreviations import mostly_capitals
from spinelib.vocabulary.clauses import compares
from spinelib.vocabulary.decider import RULES, Decider
from spinelib.vocabulary.document import Doc
from spinelib.vocabulary.dose import dose_cues
from spinelib.vocabulary.evidence import Ledger
from spinelib.vocabulary.folding import BARRIER
from spinelib.vocabulary.imaging_title import KIND as IMAGING_KIND
from spinelib.vocabulary.imaging_title import imaging_title
from spinelib.vocabulary.model import Explanation, Suggestion
from spinelib.vocabulary.phrases import Hit
from spinelib.vocabulary.sentences import Role
from spinelib.vocabulary.taxonomy import Taxonomy


def suggest(record: ArticleRecord, taxonomy: Taxonomy) -> list[Suggestion]:
    """Technique tags for ``record``: one :class:`Suggestion` per tag, in vocabulary order.

    Deterministic: the same record always gives the same list.
    """
    return explain(record, taxonomy).suggested


def explain(record: ArticleRecord, taxonomy: Taxonomy, doc: Doc | None = None,
            decider: Decider | None = None) -> Explanation:
    """The suggestions for ``record`` and, for techniques it mentions without suggesting them,
    the reason each was left out; both lists in vocabulary order. ``doc``: the record's
    :class:`Doc` when the caller already folded it (:mod:`.batch`); ``decider``: what turns
    each tag's evidence into a decision (default: the hand rules, :data:`.decider.RULES`)."""
    doc = doc if doc is not None else Doc(record)
    return decide(doc, read_evidence(doc, taxonomy), taxonomy,
                  decider if decider is not None else RULES)


def read_evidence(doc: Doc, taxonomy: Taxonomy) -> Ledger:
    """Every mention of every technique in ``doc``, weighed (:class:`.evidence.Ledger`)."""
    kind = taxonomy._study_kind(doc) or (IMAGING_KIND if imaging_title(doc, taxonomy) else "")
    ledger = Ledger(taxonomy._aim_only, every_tag=kind)
    _mesh_evidence(doc, taxonomy, ledger)
    _text_evidence(doc, taxonomy, ledger)
    return ledger


def decide(doc: Doc, ledger: Ledger, taxonomy: Taxonomy, decider: Decider) -> Explanation:
    """The suggestions from a record's evidence: ``decider`` decides each tag on its own,
    then the vocabulary's tag-level rules (vetoes, implications, routes, groups) apply."""
    found, held = decider.decide(doc, ledger, taxonomy)
    refused: dict[str, str] = {}
    for tag_id in list(found):
        veto = taxonomy._veto(tag_id, doc)
        if veto:
            refused[tag_id] = veto
            del found[tag_id]
    _apply_implies(found, doc, taxonomy)
    _yield_to_specific(found, ledger, taxonomy, refused)
    chosen = _resolve_groups(found, taxonomy)
    for group in [t for t in chosen if taxonomy._by_id[t].kind == "group"]:
        if ledger.only_in_results(group):  # "eight underwent cement augmentation for pain"
            chosen.discard(group)
            refused[group] = f"not suggested: a group named only in {found[group]}"
    _drop_mesh_group_of_prior(chosen, found, refused, held, taxonomy)
    order = taxonomy._order.__getitem__
    for tag_id, why in held.items():
        if tag_id not in chosen and not (taxonomy.descendants(tag_id) & chosen):
            refused.setdefault(tag_id, why)
    return Explanation(
        [Suggestion(t, found[t]) for t in sorted(chosen, key=order)],
        [Suggestion(t, refused[t]) for t in sorted(refused, key=order) if t not in chosen])


def _mesh_evidence(doc: Doc, tax: Taxonomy, ledger: Ledger) -> None:
    for ui, heading in doc.mesh.items():
        for tag_id, kind in tax._mesh_index.get(ui, ()):
            ledger.mesh(tag_id, doc.mesh_reason(ui, ui), major=heading.major,
                        broad=kind != "specific")


def _text_evidence(doc: Doc, tax: Taxonomy, ledger: Ledger) -> None:
    labels = tax._labels
    for field in doc.fields:
        hits = [h for h in tax._terms.scan(field.folded) if h.term.target]  # no stop phrases
        abbrevs = [] if field.name == "title" and mostly_capitals(field.raw) else [
            (ab, start, end) for ab, start, end in tax._abbrevs.scan(field)
            if tax._guard_ok(ab, doc, field.raw, end)]
        doses = [] if field.name == "keyword" else list(dose_cues(field.raw, tax._dose_rules))
        if not (hits or abbrevs or doses):
            continue  # most fields of most records: no need to read their sentences
        ctx = tax._sentence_context.read(field.name, field.raw, field.folded)
        owners = tax._dose_rules.owned_by
        yields = tax._yields
        owned = {ctx.place(h.first, h.last).sentence for h in hits if h.term.target in owners}
        for hit in hits:
            target = hit.term.target
            place = ctx.place(hit.first, hit.last)
            quote = field.folded.quote(field.raw, _lead_in(field.folded.tokens, hit.first),
                                       hit.last)
            rule = yields.get(target)
            ledger.text(target, place, quote, neutral=rule is not None
                        and not _names_route(rule.words, field.folded.tokens, hit),
                        compared=place.role is Role.RESULTS and compares(field.raw,
                                                                         place.sentence))
            for other in hit.term.also:
                ledger.text(other, place, quote, cotag_of=labels[target])
        for ab, start, end in abbrevs:
            ledger.text(ab.target, ctx.place_of_char(start, end), field.raw[start:end])
        for tag_id, start, end in doses:
            place = ctx.place_of_char(start, end)
            if place.sentence not in owned:  # an IORT or proton schedule is theirs
                ledger.text(tag_id, place, " ".join(field.raw[start:end].split()))


def _names_route(words: frozenset[str], tokens: tuple[str, ...], hit: Hit) -> bool:
    """Whether a match, or the few words before it in its clause, names a route in
    ``words``: "open posterior instrumentation", "open decompression and posterior
    instrumentation" (one arm's route shared by its two procedures)."""
    if words.intersection(hit.term.tokens):
        return True
    for tok in reversed(tokens[max(0, hit.first - _ROUTE_REACH):hit.first]):
        if tok == BARRIER:
            return False
        if tok in words:
            return True
    return False


#: How many words before a match may name its route.
_ROUTE_REACH = 4
#: Words quoted with the technique they lead into: "methods: 'underwent balloon kyphoplasty'".
_LEAD_VERBS = frozenset({"underwent", "undergoing", "undergo", "received", "receiving"})


def _lead_in(tokens: tuple[str, ...], first: int) -> int:
    """Where a quote starts: at the match, or at the verb that says it was done to patients."""
    if first >= 1 and tokens[first - 1] in _LEAD_VERBS:
        return first - 1
    if first >= 2 and tokens[first - 2:first] == ("treated", "with"):
        return first - 2
    return first


def _apply_implies(kept: dict[str, str], doc: Doc, tax: Taxonomy) -> None:
    """Tag-level co-suggestions (MISt -> percutaneous screws, hybrid -> SBRT; separation
    surgery and SBRT together -> hybrid therapy), to a fixpoint."""
    changed = True
    while changed:
        changed = False
        for tag_id, needs in tax._implied_by_all.items():
            if (tag_id not in kept and all(n in kept for n in needs)
                    and not tax._veto(tag_id, doc)):
                kept[tag_id] = " and ".join(kept[n] for n in needs)
                changed = True
        for tag_id in sorted(kept, key=tax._order.__getitem__):
            for implied in tax._implies.get(tag_id, ()):
                if implied not in kept and not tax._veto(implied, doc):
                    label = tax._by_id[tag_id].label
                    kept[implied] = f"{kept[tag_id]} (with {label})"
                    changed = True


def _yield_to_specific(kept: dict[str, str], ledger: Ledger, tax: Taxonomy,
                       refused: dict[str, str]) -> None:
    """Drop a tag whose mentions all leave its route unsaid ("supplemental posterior
    fixation") when a sibling that names one is suggested ("percutaneous pedicle screw
    fixation"): the unspecified phrase is the specific one said shortly (``yields_to``)."""
    for tag_id, rule in tax._yields.items():
        if tag_id not in kept or not ledger.only_neutral(tag_id):
            continue
        sibling = next((t for t in rule.tags if t in kept), None)
        if sibling is not None:
            refused[tag_id] = (f"not suggested: {kept.pop(tag_id)} names no route, and "
                               f"the record names {tax._by_id[sibling].label}")


def _resolve_groups(kept: Mapping[str, str], tax: Taxonomy) -> set[str]:
    leaves = {t for t in kept if tax._by_id[t].kind == "leaf"}
    groups = {t for t in kept if tax._by_id[t].kind == "group"
              and not (tax.descendants(t) & leaves)}

    def explained(group: str) -> bool:
        refs = set().union(*(tax.descendants(r) for r in tax._explained_by.get(group, ())))
        return bool(refs & (leaves | (groups - {group})))

    return leaves | {g for g in groups if not explained(g)}


def _drop_mesh_group_of_prior(chosen: set[str], found: Mapping[str, str],
                              refused: dict[str, str], held: Mapping[str, str],
                              tax: Taxonomy) -> None:
    """Drop a group suggested only from a broad MeSH heading when the text names its
    techniques only as a prior treatment ("survivors who had received radiotherapy"): the
    heading indexes that same exposure, which the text has already said is not the study's."""
    for group in [t for t in chosen if tax._by_id[t].kind == "group"]:
        if not found[group].startswith("MeSH "):
            continue
        prior = [t for t in tax.descendants(group) if "prior treatment" in held.get(t, "")]
        if prior:
            chosen.discard(group)
            refused[group] = (f"not suggested: {found[group]} indexes a prior treatment "
                              f"({held[prior[0]].removeprefix('not suggested: ')})")
