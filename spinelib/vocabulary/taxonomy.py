"""The compiled vocabulary: :class:`Taxonomy`, built once from the vocabulary file's data.

It answers questions about the technique tree (:meth:`Taxonomy.get`,
:meth:`Taxonomy.children`, :meth:`Taxonomy.descendants`) and resolves what a user typed
(:meth:`Taxonomy.find`, :meth:`Taxonomy.close_matches`). Every regex and phrase index the
matchers need is built here, once; :func:`~spinelib.vocabulary.suggest` and
:func:`~spinelib.vocabulary.facets` read them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from spinelib.vocabulary.abbreviations import Abbrev, AbbrevIndex
from spinelib.vocabulary.context import ContextRules
from spinelib.vocabulary.design import DesignRules
from spinelib.vocabulary.document import Doc
from spinelib.vocabulary.dose import dose_rules
from spinelib.vocabulary.facet_registry import FACETS
from spinelib.vocabulary.facet_spec import build_facet
from spinelib.vocabulary.folding import fold_phrase
from spinelib.vocabulary.levels import LevelRules
from spinelib.vocabulary.model import TagDef
from spinelib.vocabulary.phrases import PhraseIndex, build_contexts, share_positions
from spinelib.vocabulary.schema import SchemaError, as_list, check_version, str_list
from spinelib.vocabulary.spelledout import spelled_out_table
from spinelib.vocabulary.techniques import (
    build_tags,
    lookup_tables,
    technique_matchers,
    technique_mesh_index,
)


class Taxonomy:
    """The compiled vocabulary: tag definitions, facet values and every matcher, built once.

    ``tags`` lists groups first, then leaves, each in vocabulary order. ``facet_values`` maps
    each facet name to its ``(value id, label)`` pairs in vocabulary order. Attributes whose
    names start with an underscore are the compiled matchers: only the modules of
    :mod:`spinelib.vocabulary` read them.

    Raises :class:`~spinelib.vocabulary.schema.SchemaError` (or, for data of an unexpected
    shape, KeyError / TypeError / ValueError / ...) when ``data`` is not a valid vocabulary.
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        check_version(data)
        self.version: int = data["version"]
        self._contexts, context_facets = build_contexts(data.get("contexts", {}))
        self._context_reasons = {str(k): str(v.get("reason", "")) for k, v in
                                 data.get("contexts", {}).items()}
        self._sentence_context = ContextRules(data.get("sentence_context", {}))
        nodes = as_list(data.get("techniques"), "'techniques'")
        self.tags: list[TagDef] = build_tags(nodes, self._contexts)
        self._by_id = {t.id: t for t in self.tags}
        self._children: dict[str, list[TagDef]] = {}
        for tag in self.tags:
            if tag.parent:
                self._children.setdefault(tag.parent, []).append(tag)
        self._order = {t.id: i for i, t in enumerate(self.tags)}
        self._explained_by = {str(n["id"]): tuple(n.get("explained_by", ())) for n in nodes}
        self._implies = {str(n["id"]): tuple(n.get("implies", ())) for n in nodes}
        #: Tags suggested when every tag of their ``implied_by_all`` is (hybrid therapy when
        #: separation surgery and stereotactic radiotherapy both are).
        self._implied_by_all = {str(n["id"]): tuple(n["implied_by_all"]) for n in nodes
                                if n.get("implied_by_all")}
        self._yields = _yields(nodes)
        self._aim_only = _aim_only(nodes)
        self._aim_only_contexts = _aim_only_contexts(data, self._contexts)
        self._aim_only_anchors = _anchors(data, self._aim_only_contexts)
        self._check_references()
        terms, abbrevs = technique_matchers(nodes, data.get("stop_phrases", ()), self._by_id)
        self._terms = PhraseIndex(terms)
        self._abbrevs = AbbrevIndex(abbrevs)
        self._mesh_index = technique_mesh_index(self.tags)
        self._dose_rules = dose_rules(data.get("dose_rules", {}))
        facet_data = data.get("facets", {})
        if not isinstance(facet_data, Mapping):
            raise SchemaError("'facets' must be an object")
        self._facets = {name: build_facet(name, facet_data.get(name, {})) for name in FACETS}
        self._design = DesignRules(facet_data.get("design", {}))
        self._levels = LevelRules(facet_data.get("region", {}).get("levels", {}))
        self.facet_values: dict[str, list[tuple[str, str]]] = {
            name: list(spec.values) for name, spec in self._facets.items()}
        self._facet_labels = {(n, v): lab for n, spec in self._facets.items()
                              for v, lab in spec.values}
        for name, facet_names in context_facets.items():
            for facet in facet_names:
                if facet not in self._facets:
                    raise SchemaError(f"context {name!r} includes unknown facet {facet!r}")
                ctx = self._contexts[name]
                ctx.mesh = ctx.mesh | frozenset(self._facets[facet].mesh)
        self._check_guard_contexts(abbrevs, *(s.abbrevs.all for s in self._facets.values()))
        for spec in self._facets.values():
            if spec.counted_context and spec.counted_context not in self._contexts:
                raise SchemaError(f"facet {spec.name!r} counts in unknown context "
                                  f"{spec.counted_context!r}")
        self._labels = {t.id: t.label for t in self.tags}
        self._lookup = lookup_tables(self.tags)
        self._spelled = spelled_out_table(self.tags, facet_data)
        share_positions([self._terms, self._sentence_context.index, self._design.cues,
                         *(spec.terms for spec in self._facets.values())])

    # -- hierarchy --------------------------------------------------------------------------

    def get(self, tag_id: str) -> TagDef | None:
        """The tag with this exact id, or None."""
        return self._by_id.get(tag_id)

    def children(self, tag_id: str) -> list[TagDef]:
        """Direct children of a group, in vocabulary order (empty for leaves and unknown ids)."""
        return list(self._children.get(tag_id, ()))

    def descendants(self, tag_id: str) -> set[str]:
        """``tag_id`` and every tag below it. An id outside the vocabulary (a user's own tag)
        is its own only descendant, so filtering treats vocabulary and user tags alike."""
        out = {tag_id}
        stack = [tag_id]
        while stack:
            for child in self._children.get(stack.pop(), ()):
                if child.id not in out:
                    out.add(child.id)
                    stack.append(child.id)
        return out

    # -- resolving what a user typed --------------------------------------------------------

    def find(self, text: str) -> TagDef | None:
        """Resolve a typed id, label, synonym or abbreviation to a tag, or None.

        Ids, labels and synonyms are compared folded (case, hyphens, spelling, plurals).
        Abbreviations are case-sensitive ("MISt", "cEBRT"); a different case is accepted only
        when exactly one tag has that abbreviation in any case.
        """
        typed = text.strip()
        if not typed:
            return None
        if typed in self._by_id:
            return self._by_id[typed]
        exact_abbr = self._lookup.abbr_exact.get(typed)
        if exact_abbr:
            return self._by_id[exact_abbr]
        key = fold_phrase(typed.replace("_", " "))
        hit = self._lookup.folded.get(key)
        if hit:
            return self._by_id[hit]
        loose = self._lookup.abbr_casefold.get(typed.casefold(), set())
        return self._by_id[next(iter(loose))] if len(loose) == 1 else None

    def spelled_out(self, abbreviation: str) -> tuple[str, ...]:
        """The phrases a technique's or facet value's abbreviation stands for, as written
        ("SINS" → "spinal instability neoplastic", …); () for any other word
        (:mod:`~spinelib.vocabulary.spelledout`)."""
        return self._spelled.get(abbreviation, ())

    def close_matches(self, text: str, n: int = 5) -> list[str]:
        """Tag ids whose id, label, synonym or abbreviation looks like ``text`` (best first)."""
        typed = text.strip().casefold()
        if not typed or n <= 0:
            return []
        names = self._lookup.names
        # 0.7: at 0.6 a user's own tag name met a stranger ("to read" -> "tumor removal").
        scored = difflib.get_close_matches(typed, list(names), n=max(4 * n, 20), cutoff=0.7)
        out: list[str] = []
        for name in scored:
            tag_id = names[name]
            if tag_id not in out:
                out.append(tag_id)
            if len(out) == n:
                break
        return out

    # -- context and guard checks used by the matchers -------------------------------------

    def _veto(self, tag_id: str, doc: Doc) -> str:
        """Why the tag cannot be suggested for ``doc`` whatever its evidence, or ''.

        A tag (or its group) may require a context the record must mention (tumour ablation
        needs a tumour; a leaf set to ``"requires_context": false`` does not inherit its
        group's, because its own words say it: "separation surgery" is spinal); a tag may be
        vetoed by a context it must not meet (``unless_context``: radiofrequency
        *denervation*, screws as test objects in a dosimetry *phantom*).
        """
        tag = self._by_id[tag_id]
        parent = self._by_id[tag.parent] if tag.parent else None
        need = (tag.requires_context if tag.requires_context is not None
                else parent.requires_context if parent else None)
        if need and not self._has_context(need, doc):
            why = self._context_reasons.get(need) or f"the record has no {need} context"
            return f"not suggested: {why}"
        veto = tag.unless_context  # not inherited: a group's leaves may differ (carbon fibre)
        if veto and self._has_context(veto, doc):
            why = self._context_reasons.get(veto) or f"the record has {veto} context"
            return f"not suggested: {why}"
        return ""

    def _study_kind(self, doc: Doc) -> str:
        """The first of the ``aim_only_contexts`` that ``doc`` has (a survey), or ''.

        Most records hold none of their words, so they are spared the phrase search."""
        if self._aim_only_anchors is not None and not self._aim_only_anchors & doc.token_set:
            return ""
        return next((c for c in self._aim_only_contexts if self._has_context(c, doc)), "")

    def _has_context(self, name: str, doc: Doc) -> bool:
        """Whether ``doc`` mentions context ``name``, worked out once per record."""
        if name not in doc.contexts:
            doc.contexts[name] = self._contexts[name].found_in(doc)
        return doc.contexts[name]

    def _guard_ok(self, ab: Abbrev, doc: Doc, raw: str, end: int) -> bool:
        """Whether abbreviation ``ab``, ending at ``end`` of ``raw``, passes its guard."""
        if ab.not_followed_by and ab.not_followed_by.match(raw, end):
            return False
        if ab.reject and ab.reject.found_in(doc):
            return False
        if ab.require is None:
            return True
        if ab.support_mesh & doc.mesh_uis or ab.require.found_in(doc):
            return True
        return any(self._has_context(ctx, doc) for ctx in ab.require.contexts)

    def _check_guard_contexts(self, *groups: Iterable[Abbrev]) -> None:
        for group in groups:
            for ab in group:
                for ctx in ab.require.contexts if ab.require else ():
                    if ctx not in self._contexts:
                        raise SchemaError(f"abbreviation {ab.text!r} requires unknown context "
                                          f"'@{ctx}'")

    def _check_references(self) -> None:
        yields = {t: y.tags for t, y in self._yields.items()}
        for source, table in (("explained_by", self._explained_by), ("implies", self._implies),
                              ("implied_by_all", self._implied_by_all), ("yields_to", yields)):
            for tag_id, refs in table.items():
                for ref in refs:
                    if ref not in self._by_id:
                        raise SchemaError(f"tag {tag_id!r} {source} unknown tag {ref!r}")


class Yield(NamedTuple):
    """A leaf's ``yields_to``: its mentions that name none of ``words`` (its route: "open")
    say nothing the sibling ``tags`` would not ("posterior fixation" beside "percutaneous
    pedicle screw fixation"), so they count for it only when none of ``tags`` is suggested."""

    tags: tuple[str, ...]
    words: frozenset[str]


def _yields(nodes: list[Any]) -> dict[str, Yield]:
    """Each tag's ``yields_to`` block ({"tags": [...], "unless_words": [...]}), checked."""
    out: dict[str, Yield] = {}
    for node in nodes:
        spec = node.get("yields_to")
        if spec is None:
            continue
        where = f"tag {node.get('id')!r} 'yields_to'"
        if not isinstance(spec, Mapping):
            raise SchemaError(f"{where} must be an object")
        tags = tuple(str(t) for t in str_list(spec, "tags", where))
        words = frozenset(w for p in str_list(spec, "unless_words", where)
                          for w in fold_phrase(str(p)))
        if not tags or not words:
            raise SchemaError(f"{where} needs 'tags' and 'unless_words'")
        out[str(node["id"])] = Yield(tags, words)
    return out


def _aim_only(nodes: list[Any]) -> frozenset[str]:
    """Tags whose words name what nearly every patient also receives ('radiotherapy'): their
    text mentions count only in the title, the keywords or the objective (``aim_only``)."""
    out = set()
    for node in nodes:
        flag = node.get("aim_only", False)
        if not isinstance(flag, bool):
            raise SchemaError(f"tag {node.get('id')!r}: 'aim_only' must be true or false")
        if flag:
            out.add(str(node["id"]))
    return frozenset(out)


def _aim_only_contexts(data: Mapping[str, Any], contexts: Mapping[str, Any]) -> tuple[str, ...]:
    """The contexts that make a record a study in which every tag is aim-only (a survey: what
    its results name is what respondents use), checked against the named contexts."""
    names = tuple(str_list(data, "aim_only_contexts", "the vocabulary"))
    for name in names:
        if not isinstance(name, str) or name not in contexts:
            raise SchemaError(f"'aim_only_contexts' names unknown context {name!r}")
    return names


def _anchors(data: Mapping[str, Any], names: Iterable[str]) -> frozenset[str] | None:
    """One folded word of every term of the contexts ``names`` (its longest, the least
    common as a rule): a record with none of them cannot have those contexts. None when a
    term cannot be anchored so (a one-word prefix such as 'survey*', or MeSH UIs, which
    count as the context too)."""
    out: set[str] = set()
    for name in names:
        spec = data["contexts"][name]
        if spec.get("mesh"):
            return None
        for term in spec.get("terms", ()):
            words = fold_phrase(str(term).rstrip("*"))
            if not words or (str(term).endswith("*") and len(words) == 1):
                return None
            out.add(max(words, key=len))
    return frozenset(out)
