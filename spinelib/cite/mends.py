"""Where citeproc-py prints what the CSL specification (and pandoc's and Zotero's processors)
would not, mended the same way for every style.

Each mend answers one difference found by comparing SpineLib's entries with pandoc's
(``tests/manuscript/test_golden_pandoc.py`` holds them to it):

* **Localized date delimiters** (:func:`localized_date_delimiters`): citeproc-py joins a
  localized date's parts with the *calling* ``<date>``'s delimiter (none) instead of the
  locale's own, so NLM/Vancouver printed "2005Aug20" for "2005 Aug 20".
* **Substituted variables** (:func:`install`): a ``<substitute>`` that renders a macro (AMA:
  no author → the title) must leave the variables it printed empty for the rest of the
  entry; citeproc-py only remembers a variable named on the substitute's child itself, so
  an AMA entry without authors printed its title twice. Nor does citeproc-py's ``<names>``
  look at what a substitute printed at all, so an edited book (no author: its editors
  stand in its place) printed its editors twice in Vancouver ("Benzel EC, editor. Benzel's
  Spine Surgery. 4th ed. Benzel EC, editor. Philadelphia…"), AMA and APA; a ``<names>``
  all of whose variables a substitute printed (itself, or through a macro, as Chicago's
  does) now prints nothing.
* **A label's title case** (:func:`install`): citeproc-py cases a ``<label>`` (a locale
  term: "ed.", "eds.") as text of no language, and title case applies to English only, so
  APA's ``<label form="short" text-case="title"/>`` printed "(eds.)" for APA's "(Eds.)". A
  label is the style's own term: it is cased in the style's language.
* **Given names kept whole** (:func:`install`): a ``<name initialize="false">`` prints
  given names as they are, adding the ``initialize-with`` mark only after the initials
  they hold ("Charles G." for "Charles G"); citeproc-py initialised them all, so Chicago's
  author-date style and the American Sociological Association's (311 styles use it)
  printed "Barzilai, O., and S. Boriani" for pandoc's "Barzilai, Ori, and Stefano
  Boriani".
* **Title case after a hyphen** (:func:`install`): each part of a hyphenated word is a
  word to title case ("An Evidence-Based Approach", "Short-Course", "Meta-Analysis", a
  stop word left low: "Out-of-Pocket"), as pandoc and citeproc-js print it; citeproc-py
  capitalised only the first part ("Evidence-based").
* **Name particles** (:func:`particles_apart`): a family name that starts with lower-case
  words ("van den Brande", "de la Cruz") holds its particle; pandoc and citeproc-js read it
  apart, citeproc-py does not, so Chicago sorted "van den Brande" under V and printed it
  there, where its entry is "Brande, Ruben van den" under B. The item citeproc-py is given
  carries the particle apart (the CSL-JSON export keeps the name as stored), and a
  style's ``demote-non-dropping-particle="sort-only"`` (Cite Them Right, ASA) sorts by
  "Brande" while it prints "van den Brande" (citeproc-py sorted by the printed name;
  :mod:`spinelib.cite.sortkeys` mends the sort keys).
* **A label without its variable** (:func:`_label_process`): a ``<label variable="…">``
  prints only when the item has that variable (CSL 1.0.2, "Label"); citeproc-py printed
  the term regardless, so Oxford's science and medicine journals printed "Lancet
  2005;366(9486):Edition:643–8" and MHRA "Scientific Reports, 12, Edition, p. 14532" for
  every article without an edition.
* **A term the style defines in its long form** (:func:`_long_term`): a style's own
  ``<term name="anonymous" form="long">No authors listed</term>`` (161 styles write
  ``form="long"``) is the term, as one without ``form`` is; citeproc-py looked for the long
  form without the attribute only, fell back to the locale file's term and printed
  "anonymous" where the style says "No authors listed".
* **Numeric content as CSL reads it** (:data:`NUMERIC_RE`): ``is-numeric`` is true of
  numbers with prefixes or suffixes joined by commas, hyphens or ampersands ("643-648",
  "E1221-E1229", "2, 3"; CSL 1.0.2, "Choose"); citeproc-py took a single number only, so
  the University of South Africa's Harvard cited every article with a page range "in
  press" (its test for an article number).
* **A list of types is one test** (:func:`_of_any_type`): ``<if type="article-journal
  article-magazine">`` is true of an item of any type listed, whatever the ``match``
  (pandoc's citeproc and citeproc-js read it so); citeproc-py tested each type apart, and
  under ``match="all"``, the default, such a test never held: 186 styles write one, and
  took the branch meant for other types (the Czech Alkoholizmus a drogové závislosti
  printed "Spine. 44" for its "Spine (Phila Pa 1976), 44"; Surgical Neurology
  International left out a web page's address and date of access).
* **Punctuation inside quotes** (:func:`punctuation_into_quotes`): where the style's locale
  says ``punctuation-in-quote="true"`` (American English), a period or comma after a
  closing quotation mark goes inside it (Chicago's “Separation Surgery Outcomes.”, not
  “…Outcomes”.); citeproc-py reads the option and leaves the punctuation outside.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from spinelib.styles.catalogue import CSL_NS

#: Per thread, a stack of the (tag, variable) pairs rendered inside each open substitute.
_recording = threading.local()

#: Numeric content (CSL 1.0.2, "Choose", is-numeric): numbers, each with an optional
#: prefix or suffix of letters ("D2", "2b", "E1221"), joined by ",", "-", "–" or "&".
NUMERIC_RE = re.compile(r"^([A-Z]*\d+[A-Z]*)(\s*[,&\-–]\s*[A-Z]*\d+[A-Z]*)*$", re.I)


#: A period or comma after a quotation that ends in ? or ! ("Better?”,"), or a period after
#: one that ends in a period: the quotation's own mark stands for it. Then a period or
#: comma after a closing quotation mark, to be moved inside.
_STOP_AFTER_QUOTE_RE = re.compile(r"([?!])”[.,]|(?<=\.)()”\.")
_AFTER_QUOTE_RE = re.compile(r"”([.,])")


def quotes_take_punctuation(style: Any) -> bool:
    """Whether the style's locale puts a period or comma inside closing quotation marks."""
    text = next(style.root.iter(f"{{{CSL_NS}}}text"), None)
    return text is not None and str(
        text.get_locale_option("punctuation-in-quote")).lower() == "true"


def punctuation_into_quotes(entry: str) -> str:
    """The entry with a period or comma that follows a closing quotation mark moved inside
    it ("Cohort”." → "Cohort.”"), and dropped where the quotation ends in its own mark."""
    return _AFTER_QUOTE_RE.sub(r"\1”", _STOP_AFTER_QUOTE_RE.sub(r"\1\2”", entry))


def particles_apart(item: dict[str, Any]) -> None:
    """Give each author's and editor's leading lower-case words ("van den" of "van den
    Brande") to CSL's ``non-dropping-particle``, as pandoc and citeproc-js parse them."""
    for role in ("author", "editor"):
        for name in item.get(role, ()):
            words = str(name.get("family", "")).split()
            lead = next((at for at, word in enumerate(words) if not word.islower()), 0)
            if lead > 0 and words[lead][:1].isupper():
                name["non-dropping-particle"] = " ".join(words[:lead])
                name["family"] = " ".join(words[lead:])


def localized_date_delimiters(style: Any) -> None:
    """Give each ``<date form="…">`` that calls a localized date format the delimiter that
    format declares, when it has none of its own (a calling ``<date>`` may not carry a
    delimiter of its own in CSL 1.0, so this changes nothing else)."""
    for date in style.root.iter(f"{{{CSL_NS}}}date"):
        form = date.get("form")
        if form is None or date.get("delimiter") is not None or date.is_locale_date():
            continue
        try:
            localized = date.get_date(form)
        except (IndexError, AttributeError):  # no such localized format: citeproc-py's call
            continue
        delimiter = localized.get("delimiter")
        if delimiter is not None:
            date.set("delimiter", delimiter)


def _of_any_type(self: Any, item: Any) -> list[bool]:
    """citeproc-py's ``If._type``: one test, true when the item is of any type listed."""
    return [item.reference.type in self.get("type").lower().split()]


def _label_markup(self: Any, text: Any) -> Any:
    """citeproc-py's ``Label.markup``, cased in the language its terms are in: the style's."""
    if not text:
        return None
    language = self.get_root().get("default-locale", "en")[:2]
    return self.wrap(self.format(self.case(self.strip_periods(text), language)))


def _label_process(process: Any) -> Any:
    """citeproc-py's ``Label.process``, silent for a variable the item lacks (the module
    docstring); a label inside ``<names>`` (given its role) and a locator's are as before."""

    def wrapped(self: Any, item: Any, variable: Any = None, plural: Any = None,
                context: Any = None, **kwargs: Any) -> Any:
        named = self.get("variable") if variable is None else None
        if named and named != "locator":
            from citeproc.source import VariableError

            try:
                value = item.reference[named.replace("-", "_")]
            except VariableError:
                return None
            if value is None or value == "":
                return None
        return process(self, item, variable, plural, context, **kwargs)

    return wrapped


def _long_term(get_term: Any) -> Any:
    """citeproc-py's ``Locale.get_term``: the long form (``form`` None) is also found where
    the locale writes ``form="long"`` (the module docstring)."""

    def wrapped(self: Any, name: str, form: Any = None, zero_padded: bool = False) -> Any:
        try:
            return get_term(self, name, form, zero_padded=zero_padded)
        except IndexError:
            if form is not None:
                raise
            return get_term(self, name, "long", zero_padded=zero_padded)

    return wrapped


def _names_process(names_process: Any) -> Any:
    """citeproc-py's ``Names.process``, silent when a substitute printed its variables: each
    of them was printed there or is not in the item (APA's later ``<names variable="editor
    translator">`` of a book whose editors stood for its author, and no translator)."""

    def process(self: Any, item: Any, names_context: Any = None, context: Any = None,
                **kwargs: Any) -> Any:
        layout = (context if context is not None else self).get_layout()
        printed = {v for vs in layout.repressed.get(self.tag, ()) for v in (vs or "").split()}
        variables = self.get("variable", "").split()
        if printed & set(variables) and all(v in printed or v not in item.reference
                                            for v in variables):
            return None
        text = names_process(self, item, names_context=names_context, context=context,
                             **kwargs)
        stack = getattr(_recording, "stack", None)
        if stack and text:  # printed inside a substitute's macro (Chicago's "editor")
            stack[-1].extend((self.tag, v) for v in variables)
        return text

    return process


def _initialize(initialize: Any) -> Any:
    """citeproc-py's ``Name.initialize``, leaving given names whole under
    ``initialize="false"`` (on the name, else the citation or bibliography, else the
    style)."""

    def wrapped(self: Any, given: str, mark: str, context: Any) -> Any:
        if _initialize_option(self) != "false":
            return initialize(self, given, mark, context)
        # Only the initials the name holds take the mark: "Charles G" → "Charles G.".
        stop = mark.rstrip()
        return " ".join(f"{word}{stop}" if len(word) == 1 and word.isupper() else word
                        for word in given.split())

    return wrapped


def _initialize_option(name: Any) -> str:
    """The ``initialize`` option in force on a ``<name>`` element ("true" unless set)."""
    element = name
    while element is not None:
        found = element.get("initialize")
        if found is not None:
            return str(found)
        element = element.getparent()
    return "true"


#: A lower-case part of a hyphenated word (its first part is title cased as a word), after a
#: letter or a digit ("30-Day", "T1-Weighted", "COVID-19-Related", as pandoc cases them).
_AFTER_HYPHEN_RE = re.compile(r"(?<=[^\W_])-([a-z]+)\b")


def _casing(case: Any, stop_words: Any) -> Any:
    """citeproc-py's ``TextCased.case``, title casing each part of a hyphenated word, and
    casing a plain ``str`` as its own strings (a names list ending in "et al." reaches it
    as one, and "capitalize-first" failed on it: Griffith College's Harvard citations)."""
    from citeproc.string import String

    def wrapped(self: Any, text: Any, language: Any = None) -> Any:
        if not text or not self.get("text-case"):
            return text  # nothing to case (an empty name part failed "capitalize-first")
        if type(text) is str:
            text = String(text)
        out = case(self, text, language)
        if self.get("text-case") != "title" or out is text or type(out) is not str:
            return out  # not title cased here (another language, markup inside)

        def part(m: re.Match[str]) -> str:
            word = m.group(1)
            return f"-{word if word in stop_words else word[0].upper() + word[1:]}"

        return _AFTER_HYPHEN_RE.sub(part, out)

    return wrapped


def install() -> None:
    """Make citeproc-py's ``<substitute>`` suppress every variable it printed, case a label
    in its style's language, and keep given names whole where a style says so (once, by
    :func:`spinelib.cite.patched.install`)."""
    from citeproc import model

    variable_of = model.Text._variable

    def _variable(self: Any, item: Any, context: Any) -> Any:
        text = variable_of(self, item, context)
        stack = getattr(_recording, "stack", None)
        if stack and text is not None:
            stack[-1].append((self.tag, self.get("variable")))
        return text

    def render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        # citeproc-py's Substitute.render, plus the variables its children printed
        stack = _recording.__dict__.setdefault("stack", [])
        text = None
        for child in self.getchildren():
            stack.append([])
            try:
                if isinstance(child, model.Names) and child.name is None:
                    names = self.xpath_search("./parent::cs:names[1]")[0]
                    text = child.render(item, names_context=names, context=context,
                                        **kwargs)
                else:
                    text = child.render(item, context=context, **kwargs)
            except model.VariableError:
                continue
            finally:
                printed = stack.pop()
            if text:
                self.add_to_repressed_list(child, context)
                repressed = context.get_layout().repressed
                for tag, variable in printed:
                    repressed.setdefault(tag, []).append(variable)
                break
        return text

    model.Text._variable = _variable
    model.Substitute.render = render
    model.Names.process = _names_process(model.Names.process)
    model.Label.markup = _label_markup
    model.Name.initialize = _initialize(model.Name.initialize)
    model.Label.process = _label_process(model.Label.process)
    model.Locale.get_term = _long_term(model.Locale.get_term)
    model.If.re_numeric = NUMERIC_RE
    model.If._type = _of_any_type
    model.TextCased.case = _casing(model.TextCased.case,
                                   frozenset(model.TextCased._stop_words))
