"""A spine journal's article address that names no DOI or PII, but the article's place:
what a surgeon copies from the browser on the publishers whose addresses carry neither.

- **The Journal of Neurosurgery's** (``thejns.org/spine/view/journals/j-neurosurg-spine/13/3/
  article-p324.xml``): the journal, volume, issue and first page. The journal's part is its
  NLM abbreviation written with hyphens (``j-neurosurg-spine``: "J Neurosurg Spine";
  ``neurosurg-focus``, ``j-neurosurg-pediatr``), which PubMed files it under. (Its address
  of an article published online first spells the DOI instead: :func:`online_first_doi`.)
- **Oxford Academic's** (``academic.oup.com/neurosurgery/article/85/3/E426/5150375``: the
  journal's name run together, volume, issue, first page and the site's own number;
  *Neurosurgery* and *Neuro-Oncology* were published there): the name is matched against
  PubMed's full name of the journal.
- **Wolters Kluwer's** (``journals.lww.com/spinejournal/fulltext/2010/10150/
  a_novel_classification_system_for_spinal.17.aspx``): the journal's site name, the year,
  the issue's date and the first words of the title (the article's place in the issue
  last). *Spine*, *JBJS*, *Neurosurgery* and *Clinical Spine Surgery* are published there.
- **HighWire's** (``www.ajnr.org/content/41/1/123.long``): the volume, issue and first
  page (the BMJ's open journals number articles: ``bmjopen.bmj.com/content/10/1/e012345``),
  on the sites of the journals a spine-oncology reading meets there (:data:`HIGHWIRE_SITES`:
  *AJNR*, where much of vertebral augmentation is published, the BMJ's palliative-care and
  open journals, *Anticancer Research*, *J Nucl Med*…).
- **Cureus's** (``www.cureus.com/articles/45987-metastatic-spinal-cord-compression-a-review``):
  its number and the title's words, searched in the journal without a year (many spine
  case reports are published there).

Such an address is an import input (kind ``journalpage``, its value the address as
:func:`journal_page_input` writes it, so a queued one reads back the same), never a record
field: PubMed is searched for the article it names (:meth:`JournalPage.term`), and an answer
taken only when its summary agrees with every part the address gives
(:meth:`JournalPage.matches`); the article keeps its PMID and DOI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spinelib.citationtext import folded_words
from spinelib.text import split_page_range

if TYPE_CHECKING:
    from spinelib.sources.pubmed_summaries import PubMedSummary

_JNS_RE = re.compile(
    r"^\s*(?:https?://)?(?:www\.)?thejns\.org/(?P<section>[\w-]+/)?"
    r"(?P<view>view|downloadpdf)/journals/"
    r"(?P<journal>[a-z]+(?:-[a-z]+){0,4})/(?P<volume>\d{1,4})/(?P<issue>[\w-]{1,12})/"
    r"article-p(?P<page>[a-z]?\d{1,6})\.xml(?:[?#]\S*)?\s*$", re.I)
_LWW_RE = re.compile(
    r"^\s*(?:https?://)?journals\.lww\.com/(?P<site>[a-z][\w-]{1,40})/"
    r"(?:fulltext|abstract|citation)/(?P<year>(?:19|20)\d\d)/(?P<issue>\d{3,6})/"
    r"(?P<slug>[a-z0-9][a-z0-9_]*?)\.(?P<place>\d{1,4})\.aspx(?:[?#]\S*)?\s*$", re.I)
_OUP_RE = re.compile(
    r"^\s*(?:https?://)?academic\.oup\.com/(?P<site>[a-z][a-z-]{1,40})/"
    r"article(?:-abstract)?/(?P<volume>\d{1,4})/(?P<issue>[\w-]{1,12})/"
    r"(?P<page>[a-z]{0,3}\d{1,6})/(?P<id>\d{4,12})(?:[/?#]\S*)?\s*$", re.I)
#: Wolters Kluwer's site names of the spine journals, and the NLM abbreviation PubMed
#: files each under; another site's article is searched by its title and year alone.
LWW_JOURNALS = {
    "spinejournal": "Spine (Phila Pa 1976)",
    "jbjsjournal": "J Bone Joint Surg Am",
    "neurosurgery": "Neurosurgery",
    "jspinaldisorders": "Clin Spine Surg",
    "clinorthop": "Clin Orthop Relat Res",
    "amjclinicaloncology": "Am J Clin Oncol",
}
_HIGHWIRE_RE = re.compile(
    r"^\s*(?:https?://)?(?:www\.)?(?P<site>[a-z][a-z.]{4,40})/content/(?P<volume>\d{1,4})/"
    r"(?P<issue>[\w-]{1,12})/(?P<page>[a-z]{0,3}\d{1,7})"
    r"(?:\.(?:full|long|short|abstract|full\.pdf|full-text|figures-only))?(?:[/?#]\S*)?\s*$",
    re.I)
#: HighWire sites (without ``www.``) -> the NLM abbreviation PubMed files the journal under,
#: and the host its pages are written with.
HIGHWIRE_SITES = {
    "ajnr.org": ("AJNR Am J Neuroradiol", "www.ajnr.org"),
    "bmjopen.bmj.com": ("BMJ Open", "bmjopen.bmj.com"),
    "spcare.bmj.com": ("BMJ Support Palliat Care", "spcare.bmj.com"),
    "esmoopen.bmj.com": ("ESMO Open", "esmoopen.bmj.com"),
    "jitc.bmj.com": ("J Immunother Cancer", "jitc.bmj.com"),
    "jnnp.bmj.com": ("J Neurol Neurosurg Psychiatry", "jnnp.bmj.com"),
    "jnm.snmjournals.org": ("J Nucl Med", "jnm.snmjournals.org"),
    "ar.iiarjournals.org": ("Anticancer Res", "ar.iiarjournals.org"),
    "iv.iiarjournals.org": ("In Vivo", "iv.iiarjournals.org"),
}
#: Title words PubMed does not search (its stopwords among those a title starts with).
_STOPWORDS = frozenset({"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in",
                        "into", "is", "of", "on", "or", "the", "to", "with", "was", "were"})


@dataclass(frozen=True)
class JournalPage:
    """What an article's address says of it."""

    url: str
    #: The NLM abbreviation PubMed files the journal under ('' when not known).
    journal: str
    volume: str = ""
    issue: str = ""
    first_page: str = ""
    year: int | None = None
    #: The title's first words, as the address spells them (folded).
    title_start: tuple[str, ...] = ()
    #: The journal's name as the address spells it ("neuro-oncology"), where its NLM
    #: abbreviation is not known: matched against PubMed's full name of the journal.
    site_journal: str = ""

    @property
    def candidates(self) -> int:
        """PMIDs the search may give: many when the journal is not in the search (a volume
        and page recur across journals), a few otherwise."""
        return 5 if self.journal or not self.first_page else 100

    def describe(self) -> str:
        """"J Neurosurg Spine 13(3):324", or "Spine (Phila Pa 1976) 2010: “a novel
        classification system for spinal…”"."""
        if self.first_page:
            journal = self.journal or " ".join(
                w.capitalize() for w in self.site_journal.split("-"))
            return f"{journal} {self.volume}({self.issue}):{self.first_page}"
        where = " ".join(p for p in (self.journal, str(self.year or "")) if p)
        return f"{where}: “{' '.join(self.title_start)}…”"

    def term(self) -> str:
        """The PubMed search for the article: the journal, volume and first page; or the
        title's words, the year and (when known) the journal."""
        parts = [f'"{self.journal}"[ta]'] if self.journal else []
        if self.first_page:
            parts += [f"{self.volume}[vi]", f"{self.first_page}[pg]"]
        else:
            *whole, last = self.title_start
            words = [w for w in whole if w not in _STOPWORDS]
            # The last word may be cut short: searched as a word's start (PubMed truncates
            # from four letters).
            words += [f"{last}*"] if len(last) >= 4 else []
            # A whole title's words (Cureus spells it all) are more than a search needs;
            # every word is still held to by matches().
            parts += [f"{w}[ti]" for w in words[:_TITLE_WORDS_SEARCHED]]
            parts += [f"{self.year}[dp]"] if self.year else []
        return " AND ".join(parts)

    def matches(self, summary: PubMedSummary) -> bool:
        """Whether PubMed's summary is this article: the same journal (when the address
        names it), and the same volume and first page, or the same year and a title that
        starts with the address's words."""
        if self.journal and folded_words(summary.journal) != folded_words(self.journal):
            return False
        if not self.journal and self.site_journal and _letters(
                _PLACE_RE.sub("", summary.full_journal)) != _letters(self.site_journal):
            return False
        if self.first_page:
            first = split_page_range(summary.pages)[0]
            return (summary.volume == self.volume
                    and first.casefold() == self.first_page.casefold())
        title = folded_words(summary.title)
        start = list(self.title_start)
        # The address cuts the title at a length: its last word may be cut too.
        return ((self.year is None or summary.year == self.year) and len(title) >= len(start) > 0
                and title[:len(start) - 1] == start[:-1]
                and title[len(start) - 1].startswith(start[-1]))


#: The most title words a search names (the address's first, stopwords left out).
_TITLE_WORDS_SEARCHED = 8
#: Cureus's article addresses (``www.cureus.com/articles/45987-metastatic-spinal-cord-
#: compression-a-review``): its number and the title's words; no year.
_CUREUS_RE = re.compile(
    r"^\s*(?:https?://)?(?:www\.)?cureus\.com/articles/(?P<number>\d{1,7})-"
    r"(?P<slug>[a-z0-9][a-z0-9-]{0,400}?)(?:[/?#]\S*)?\s*$", re.I)

#: The place PubMed adds to a journal's full name ("Pain medicine (Malden, Mass.)").
_PLACE_RE = re.compile(r"\s*\([^)]*\)\s*$")


def _letters(name: str) -> str:
    """A journal's name as letters only, the way an address runs it together
    ("painmedicine", "neuro-oncology": "neurooncology")."""
    return "".join(folded_words(name))


def journal_page(text: str) -> JournalPage | None:
    """The article ``text`` addresses when it is such an address (see the module), else
    None."""
    jns = _JNS_RE.match(text)
    if jns:
        journal = " ".join(w.capitalize() for w in jns.group("journal").split("-"))
        return JournalPage(
            "https://thejns.org/{}{}/journals/{}/{}/{}/article-p{}.xml".format(
                *((jns.group(k) or "").lower()
                  for k in ("section", "view", "journal", "volume", "issue", "page"))),
            journal, jns.group("volume"), jns.group("issue"), jns.group("page").upper())
    oup = _OUP_RE.match(text)
    if oup:
        site = oup.group("site").lower()
        return JournalPage(
            f"https://academic.oup.com/{site}/article/{oup.group('volume')}/"
            f"{oup.group('issue').lower()}/{oup.group('page').lower()}/{oup.group('id')}",
            "", oup.group("volume"), oup.group("issue"), oup.group("page").upper(),
            site_journal=site)
    wire = _HIGHWIRE_RE.match(text)
    if wire and wire.group("site").lower() in HIGHWIRE_SITES:
        journal, host = HIGHWIRE_SITES[wire.group("site").lower()]
        volume, issue, page = (wire.group(k) for k in ("volume", "issue", "page"))
        return JournalPage(f"https://{host}/content/{volume}/{issue}/{page.lower()}", journal,
                           volume, issue, page.lower())
    cureus = _CUREUS_RE.match(text)
    if cureus:
        words = tuple(w for w in cureus.group("slug").lower().split("-") if w)
        return JournalPage(f"https://www.cureus.com/articles/{cureus.group('number')}-"
                           f"{'-'.join(words)}", "Cureus", title_start=words
                           ) if len(words) >= 2 else None
    lww = _LWW_RE.match(text)
    if lww:
        site, slug = lww.group("site").lower(), lww.group("slug").lower()
        words = tuple(w for w in slug.split("_") if w)
        if len(words) < 2:
            return None  # too little of a title to find it by
        return JournalPage(
            f"https://journals.lww.com/{site}/fulltext/{lww.group('year')}/"
            f"{lww.group('issue')}/{slug}.{lww.group('place')}.aspx",
            LWW_JOURNALS.get(site, ""), year=int(lww.group("year")), title_start=words)
    return None


#: The Journal of Neurosurgery's address of an article published online first, before it
#: has a volume and page: its DOI, the slash written as a hyphen
#: (``…/j-neurosurg-spine/aop/article-10.3171-2020.1.SPINE191234/article-10.3171-2020.1.
#: SPINE191234.xml``); the journal's DOIs have no hyphen of their own.
_JNS_ONLINE_FIRST_RE = re.compile(
    r"^\s*(?:https?://)?(?:www\.)?thejns\.org/(?:[\w-]+/)?(?:view|downloadpdf)/journals/"
    r"[a-z-]+/aop/article-10\.3171-(?P<suffix>[\w.]{4,60})/[\w.-]+\.xml(?:[?#]\S*)?\s*$",
    re.I)


def online_first_doi(text: str) -> str:
    """The DOI a Journal of Neurosurgery address of an article published online first
    spells ("10.3171/2020.1.spine191234"), '' for any other text."""
    found = _JNS_ONLINE_FIRST_RE.match(text)
    return f"10.3171/{found.group('suffix').lower()}" if found else ""


#: MDPI's article addresses (``www.mdpi.com/2072-6694/12/3/456``: the journal's ISSN, the
#: volume, issue and article number) spell its DOI: ``10.3390/`` + the journal's code, the
#: volume, the issue in two digits and the number in four or more ("cancers12030456").
_MDPI_RE = re.compile(
    r"^\s*(?:https?://)?(?:www\.)?mdpi\.com/(?P<issn>\d{4}-\d{3}[\dx])/(?P<volume>\d{1,3})/"
    r"(?P<issue>\d{1,2})/(?P<number>\d{1,6})(?:/(?:htm|pdf|notes|review_report|s1))?"
    r"(?:[?#]\S*)?\s*$", re.I)
#: MDPI journals a spine-oncology reading meets: ISSN -> the code their DOIs start with.
MDPI_JOURNALS = {
    "2072-6694": "cancers", "2077-0383": "jcm", "1718-7729": "curroncol",
    "2075-4418": "diagnostics", "1648-9144": "medicina", "1422-0067": "ijms",
    "2227-9059": "biomedicines", "2075-1729": "life", "2227-9032": "healthcare",
    "2306-5354": "bioengineering", "1660-4601": "ijerph",
}


def mdpi_doi(text: str) -> str:
    """The DOI an MDPI article address of a journal in :data:`MDPI_JOURNALS` spells
    ("10.3390/cancers12030456"), '' for any other text."""
    found = _MDPI_RE.match(text)
    code = MDPI_JOURNALS.get(found.group("issn").lower()) if found else None
    if found is None or code is None:
        return ""
    return (f"10.3390/{code}{int(found.group('volume'))}{int(found.group('issue')):02d}"
            f"{int(found.group('number')):04d}")


#: Impact Journals' article addresses (``www.oncotarget.com/article/27123/text/``) hold the
#: number its DOIs end in (``10.18632/oncotarget.27123``).
_ONCOTARGET_RE = re.compile(
    r"^\s*(?:https?://)?(?:www\.)?oncotarget\.com/article/(?P<number>\d{3,7})"
    r"(?:/(?:text|pdf|abstract))?/?(?:[?#]\S*)?\s*$", re.I)


def spelled_doi(text: str) -> str:
    """The DOI a journal's article address spells though it is not written as one: a
    Journal of Neurosurgery article published online first (:func:`online_first_doi`), an
    MDPI article (:func:`mdpi_doi`), an *Oncotarget* article; '' for any other text."""
    oncotarget = _ONCOTARGET_RE.match(text)
    if oncotarget:
        return f"10.18632/oncotarget.{oncotarget.group('number')}"
    return online_first_doi(text) or mdpi_doi(text)


def journal_page_input(text: str) -> str:
    """The address as an import input's value ('' for anything else): written the same
    whatever form it was pasted in, so it reads back as the same input when queued."""
    page = journal_page(text)
    return page.url if page is not None else ""
