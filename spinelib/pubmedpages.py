"""Web addresses as people paste them, read before an identifier or a search is looked for in
them: PubMed's and PMC's hosts, an address without its ``https://`` (copied from a
citation, an e-mail or a slide: "pubmed.ncbi.nlm.nih.gov/38856741/"), and PubMed's pages
that list many articles (a search; its *Similar articles*, *Cited by* and *References*
lists of one article), which are not one article, and which SpineLib lists with commands
of its own.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs

#: PubMed's hosts (``pubmed.gov`` is NLM's own short name for it, and leads there).
PUBMED_HOSTS = ("pubmed.ncbi.nlm.nih.gov", "www.ncbi.nlm.nih.gov", "ncbi.nlm.nih.gov",
                "pubmed.gov", "www.pubmed.gov")
PMC_HOSTS = ("pmc.ncbi.nlm.nih.gov", "www.ncbi.nlm.nih.gov", "ncbi.nlm.nih.gov",
             "europepmc.org", "www.europepmc.org")

#: A web address without its scheme: a host name whose last label is letters (so a DOI's
#: "10.1177/..." never reads as one), then a path. One pass, no backtracking over the text.
_BARE_ADDRESS_RE = re.compile(
    r"(?:www\.)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
    r"\.[a-z]{2,24}(?::\d{1,5})?/\S*", re.I)


#: A PMID in the path of an address on PubMed's or Europe PMC's hosts: PubMed's pages, the
#: legacy site's (/pubmed/16112300, /sites/entrez/16112300), Europe PMC's, and PMC's
#: look-up of an article by its PMID (/pmc/articles/pmid/16112300/).
_PMID_PATH_RE = re.compile(r"/(?:pubmed/|article/MED/|abstract/MED/|sites/entrez/|"
                           r"pmc/articles/pmid/)?(\d{1,8})/?[.,;]?")
#: The legacy Entrez pages' parameters naming the article shown (lower-cased), as old
#: reference lists and bookmarks link them: ``entrez/query.fcgi?cmd=Retrieve&db=PubMed&
#: list_uids=16112300`` and ``sites/entrez?Db=pubmed&TermToSearch=16112300``.
_ENTREZ_UID_KEYS = ("list_uids", "termtosearch", "uid", "id")


def _on_pubmed(host: str, path: str) -> bool:
    return host.startswith("pubmed") or "/pubmed" in path or "/entrez" in path


def pubmed_pmid(host: str, path: str, query: str) -> str | None:
    """The PMID an address on PubMed's (or Europe PMC's) hosts names: in its path, as its
    one-number search (``?term=16112300``), or as a legacy Entrez page's article
    (``db=pubmed`` with ``list_uids=`` or ``TermToSearch=``); None when it names none."""
    if found := _PMID_PATH_RE.fullmatch(path):
        return found.group(1)
    if not _on_pubmed(host, path):
        return None
    params = {key.lower(): " ".join(v).strip() for key, v in parse_qs(query).items()}
    keys = ("term", *_ENTREZ_UID_KEYS) if params.get("db", "").lower() == "pubmed" else ("term",)
    return next((params[k] for k in keys if re.fullmatch(r"\d{1,8}", params.get(k, ""))), None)


def with_scheme(text: str) -> str | None:
    """``https://`` + ``text`` when ``text`` is a web address written without its scheme
    (a host and a path: "www.ncbi.nlm.nih.gov/pmc/articles/PMC11571351/"), else None."""
    return f"https://{text}" if _BARE_ADDRESS_RE.fullmatch(text) else None


#: PubMed's lists of the articles linked to one (``?linkname=…&from_uid=PMID``): what each
#: is, and how SpineLib lists it ({pmid} is the article's).
_LINKED_LISTS = {
    "pubmed_pubmed": ("PubMed's Similar articles of PMID {pmid}: import that article "
                      "(spinelib import {pmid}), then list them with spinelib similar {pmid} "
                      "(in the app: Article ▸ Similar articles (PubMed)…)"),
    "pubmed_pubmed_citedin": ("PubMed's list of the articles citing PMID {pmid}: import that "
                              "article (spinelib import {pmid}), then list them with "
                              "spinelib citing {pmid} (in the app: Article ▸ Articles "
                              "citing the selection…)"),
    "pubmed_pubmed_refs": ("PubMed's list of the references of PMID {pmid}: import that "
                           "article (spinelib import {pmid}) and its reference list comes "
                           "with it (spinelib refs {pmid}, or its Refs tab)"),
}


def linked_list(query: str) -> str | None:
    """What a PubMed address's ``query`` (the part after ``?``) lists when it is one of
    PubMed's lists of the articles linked to one article, said as the end of a sentence
    naming the SpineLib command that lists them; None for any other page."""
    params = parse_qs(query)
    uid = " ".join(params.get("from_uid", [])).strip()
    name = " ".join(params.get("linkname", [])).strip().lower()
    if not (name and re.fullmatch(r"\d{1,8}", uid)):
        return None
    said = _LINKED_LISTS.get(name, "PubMed's list of articles linked to PMID {pmid}: import "
                                   "that article itself with spinelib import {pmid}")
    return said.format(pmid=uid)


def pubmed_listing(text: str, host: str, path: str, query: str) -> str | None:
    """What import says of a PubMed page (typed as ``text``; its ``query`` the part after
    ``?``) that lists many articles: a linked list (:func:`linked_list`) or a search, and
    the command that lists it; None for any other page."""
    if not _on_pubmed(host, path):
        return None
    if listed := linked_list(query):
        return f"{text!r} is {listed}"
    if re.search(r"(?:^|&)(?:term|filter)=", query):
        return (f"{text!r} is a PubMed search, not one article: list its results with "
                "spinelib pubmed ADDRESS (or File ▸ Search PubMed…) and import from them")
    return None
