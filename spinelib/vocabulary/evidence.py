"""Evidence weighting: how much a mention of a technique says that the study used it.

Each mention found by :mod:`.suggestions` is weighed by where it sits (:class:`.sentences.Role`)
and what its sentence says of it (:class:`.context.Status`):

* the title, the keywords, an objective, methods, results or conclusions sentence and a MeSH
  *major* topic count :data:`STRONG` (enough alone), as does an abstract sentence whose role
  cannot be told (weighing labelled results and conclusions down was measured and lost as
  much recall as it gained precision on the labelled sets);
* a minor MeSH heading and a broad MeSH heading count :data:`WEAK` (a second mention is
  needed), and so does a mention in a hedged findings, conclusions or unlabelled sentence
  ("laser ablation may be considered in future": :mod:`.hedges`), which alone was wrong every
  time it was measured, while a studied technique is also named in its title or methods;
* a background sentence counts nothing, and a mention that is negated, prior treatment,
  hypothetical, an outcome event, an exclusion criterion or a diagnostic study's reference
  standard counts nothing either: it is kept only to explain why the tag was not suggested;
* an ``aim_only`` tag (bare "radiotherapy") counts from text only in the title, keywords or
  objective, or in a methods sentence that assigns arms ("randomised to surgery plus
  radiotherapy or radiotherapy alone"); so does every tag in a study of a kind named by the
  vocabulary's ``aim_only_contexts`` (a survey: its results are what respondents use or
  prefer, not what the study did or measured) or whose title makes it a study of images and
  names no technique (:mod:`.imaging_title`); a background mention there still reads
  "only in background".

The title says what a study is about: when it names a technique as negated, prior treatment,
an outcome event or an exclusion ("... blood loss, complications and time to radiotherapy",
"Kyphoplasty for fractures after spine radiosurgery"), the abstract's mentions of that
technique are read as the same thing and do not count either (MeSH still does: indexers tag
what a study is about). A hypothetical title ("Does embolisation reduce blood loss?") asks
about what the study tests, so it does not silence the abstract.

A tag is suggested when its mentions add up to :data:`THRESHOLD`. The reason kept is the best
ranked counted mention ("methods: 'underwent balloon kyphoplasty'"); a tag with mentions that
did not add up keeps one "not suggested: negated in results: '...'" line instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spinelib.vocabulary.context import Place, Status
from spinelib.vocabulary.sentences import Role

STRONG = 2
WEAK = 1
THRESHOLD = 2

#: Weight of an affirmed mention by the role of its sentence.
ROLE_WEIGHT = {
    Role.TITLE: STRONG, Role.KEYWORD: STRONG, Role.OBJECTIVE: STRONG, Role.METHODS: STRONG,
    Role.ABSTRACT: STRONG, Role.RESULTS: STRONG, Role.CONCLUSIONS: STRONG, Role.BACKGROUND: 0,
}
#: Reason ranks: lower is better; the best counted mention becomes the suggestion's reason.
RANK_MESH = 0
ROLE_RANK = {Role.TITLE: 1, Role.KEYWORD: 2, Role.OBJECTIVE: 3, Role.METHODS: 3,
             Role.ABSTRACT: 3, Role.RESULTS: 4, Role.CONCLUSIONS: 4, Role.BACKGROUND: 6}
RANK_COTAG = 5
RANK_MESH_BROAD = 5
#: Where an ``aim_only`` tag's text mentions count.
AIM_ROLES = frozenset({Role.TITLE, Role.KEYWORD, Role.OBJECTIVE})
#: What a title may say of a technique that also silences the abstract's mentions of it.
TITLE_VETOES = frozenset({Status.NEGATED, Status.HISTORICAL, Status.OUTCOME, Status.EXCLUSION})


@dataclass
class TagEvidence:
    """Everything found for one tag in one record: its score and the reasons to show."""

    score: int = 0
    best: tuple[int, str] | None = None
    dismissed: list[tuple[int, str]] = field(default_factory=list)
    mesh_score: int = 0  # the part of ``score`` that came from MeSH headings
    mesh_best: tuple[int, str] | None = None
    title_veto: str = ""  # the title names the tag only as negated/prior/outcome/excluded
    title_affirmed: bool = False  # the title also names it plainly: no veto
    explicit: bool = False  # a counted mention named the tag's route (see Ledger.text)
    beyond_results: bool = False  # counted somewhere other than a labelled results sentence
    #: What each mention was, in words a learned decider (``benchmarks/evidence_model.py``) reads as
    #: features: "mesh_major", "role_methods", "status_negated", "background", "hedged", ...
    kinds: list[str] = field(default_factory=list)

    @property
    def vetoed(self) -> bool:
        """True when the title silences the text mentions (see the module docstring)."""
        return bool(self.title_veto) and not self.title_affirmed

    @property
    def suggested(self) -> bool:
        """The hand rules' decision: the counted weights add up to :data:`THRESHOLD`."""
        return (self.mesh_score if self.vetoed else self.score) >= THRESHOLD

    @property
    def has_reason(self) -> bool:
        """Whether a counted mention can be quoted (MeSH only when the title silenced the
        text): nothing without one is ever suggested, by the rules or by the model."""
        return (self.mesh_best if self.vetoed else self.best) is not None

    @property
    def reason(self) -> str:
        """The best counted mention: a MeSH heading when the title silenced the text."""
        best = self.mesh_best if self.vetoed else self.best
        assert best is not None
        return best[1]

    def count(self, weight: int, rank: int, reason: str, *, mesh: bool = False) -> None:
        """A mention that counts ``weight`` towards the tag."""
        self.score += weight
        if weight and (self.best is None or rank < self.best[0]):
            self.best = (rank, reason)
        if mesh:
            self.mesh_score += weight
            if weight and (self.mesh_best is None or rank < self.mesh_best[0]):
                self.mesh_best = (rank, reason)
        if not weight:
            self.dismissed.append((rank, f"not suggested: only in {reason}"))

    def dismiss(self, rank: int, reason: str) -> None:
        """A mention that does not count, with why."""
        self.dismissed.append((rank, reason))

    def why_not(self) -> str:
        """The reason the tag was not suggested: its best-placed dismissed mention."""
        if self.vetoed:
            return self.title_veto
        if self.dismissed:
            return min(self.dismissed)[1]
        assert self.best is not None
        return f"not suggested: not enough evidence ({self.best[1]})"


class Ledger:
    """Evidence per tag for one record, filled by the matchers in any order.

    ``aim_only`` tags (the vocabulary's ``aim_only``: the bare word "radiotherapy", which
    nearly every patient also receives) count from text only in the title, the keywords or
    the objective; elsewhere their mention is a co-treatment, a prior course or an endpoint.
    """

    def __init__(self, aim_only: frozenset[str] = frozenset(), *, every_tag: str = "") -> None:
        """``every_tag``: the kind of study (from the vocabulary's ``aim_only_contexts``, e.g.
        "survey") in which every tag counts only where the study states its aim; '' if not."""
        self.tags: dict[str, TagEvidence] = {}
        self.aim_only = aim_only
        self.every_tag = every_tag

    def _get(self, tag_id: str) -> TagEvidence:
        ev = self.tags.get(tag_id)
        if ev is None:
            ev = self.tags[tag_id] = TagEvidence()
        return ev

    def mesh(self, tag_id: str, reason: str, *, major: bool, broad: bool) -> None:
        """A MeSH heading: major topics count strong, others weak; broad ones point at groups."""
        weight = STRONG if major and not broad else WEAK
        ev = self._get(tag_id)
        ev.explicit = ev.beyond_results = True
        ev.kinds.append("mesh_broad" if broad else "mesh_major" if major else "mesh_minor")
        ev.count(weight, RANK_MESH_BROAD if broad else RANK_MESH, reason, mesh=True)

    def text(self, tag_id: str, place: Place, quote: str, *, cotag_of: str = "",
             neutral: bool = False, compared: bool = False) -> None:
        """A mention in text, weighed by its sentence's role and context. ``neutral``: the
        phrase does not name the route that tells the tag from a sibling ("posterior
        fixation", not "open posterior fixation"; see the vocabulary's ``yields_to``);
        ``compared``: its sentence compares arms (a comparator named in results is studied)."""
        role = place.role
        where = f"{role.value}: '{quote}'" + (f" (with {cotag_of})" if cotag_of else "")
        rank = RANK_COTAG if cotag_of else ROLE_RANK[role]
        ev = self._get(tag_id)
        ev.kinds.extend(_mention_kinds(place, cotag_of, neutral, compared))
        if place.statuses:
            status = sorted(s.value for s in place.statuses)[0]
            reason = f"not suggested: {status} in {where}"
            ev.kinds.extend(f"status_{s.name.lower()}" for s in place.statuses)
            ev.dismiss(rank, reason)
            if role is Role.TITLE and place.statuses & TITLE_VETOES and not ev.title_veto:
                ev.title_veto = reason
            return
        if ((self.every_tag or tag_id in self.aim_only) and role not in AIM_ROLES
                and not (self.every_tag and role is Role.BACKGROUND)  # nothing: say so
                and not (place.arm and role is Role.METHODS)):  # an arm is what is studied
            what = (f"in a {self.every_tag} a technique" if self.every_tag
                    else "a co-treatment word")
            ev.kinds.append("aim_only")
            ev.dismiss(rank, f"not suggested: only in {where} ({what} counts "
                             "in the title, keywords or objective)")
            return
        weight = ROLE_WEIGHT[role]
        if not place.sentence.labelled and role in (Role.RESULTS, Role.CONCLUSIONS):
            weight = STRONG  # an inferred role is a guess: only background is discounted
        ev.kinds.append(f"role_{role.name.lower()}" if weight else "background")
        if place.hedged and weight > WEAK:  # "may be considered": a second mention is needed
            weight = WEAK
            ev.kinds.append("hedged")
            ev.dismiss(rank, f"not suggested: only hedged in {where}")
        ev.title_affirmed = ev.title_affirmed or role is Role.TITLE
        ev.explicit = ev.explicit or (bool(weight) and not neutral)
        ev.beyond_results = ev.beyond_results or (bool(weight) and (compared or not (
            role is Role.RESULTS and place.sentence.labelled)))
        ev.count(weight, rank, where)

    def suggested(self) -> dict[str, str]:
        """Tag id -> reason, for the tags whose evidence adds up (the hand rules)."""
        return {t: ev.reason for t, ev in self.tags.items() if ev.suggested}

    def only_neutral(self, tag_id: str) -> bool:
        """True when every counted mention of ``tag_id`` was route-neutral."""
        ev = self.tags.get(tag_id)
        return ev is not None and not ev.explicit

    def only_in_results(self, tag_id: str) -> bool:
        """True when ``tag_id`` counted only from labelled results sentences (no MeSH, no
        title, objective, methods or conclusions): what the patients went on to have."""
        ev = self.tags.get(tag_id)
        return ev is not None and not ev.beyond_results

    def not_suggested(self) -> dict[str, str]:
        """Tag id -> why not, for tags mentioned whose evidence did not add up."""
        return {t: ev.why_not() for t, ev in self.tags.items() if not ev.suggested}


def _mention_kinds(place: Place, cotag_of: str, neutral: bool, compared: bool) -> list[str]:
    """The words for what surrounds a text mention, whatever it then counts."""
    out = ["mention"]
    if not place.sentence.labelled:
        out.append("inferred_role")
    if cotag_of:
        out.append("cotag")
    if neutral:
        out.append("neutral")
    if compared or place.arm:
        out.append("compared")
    return out
