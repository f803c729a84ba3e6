"""Typed user settings, stored as versioned JSON beside the library data.

Environment variables (docs/ARCHITECTURE.md) override the stored values for one run, so a mirror, a
proxy or a test server can be used without touching the user's file. The NCBI API key is a
secret: :meth:`Settings.redacted` is what may be logged.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

#: Bump when a stored field changes meaning; :func:`load` upgrades older files.
SETTINGS_VERSION = 1

DEFAULT_EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
DEFAULT_IDCONV_URL = "https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles/"
DEFAULT_CROSSREF_URL = "https://api.crossref.org"
DEFAULT_EUROPEPMC_URL = "https://www.ebi.ac.uk/europepmc/webservices/rest"
#: The Retraction Watch data set as Crossref publishes it (CSV, ~60 MB).
DEFAULT_RETRACTIONWATCH_URL = "https://api.labs.crossref.org/data/retractionwatch"
DEFAULT_EUROPEPMC_SITE_URL = "https://europepmc.org"
DEFAULT_UNPAYWALL_URL = "https://api.unpaywall.org/v2"

#: Environment variable -> settings field.
ENV_OVERRIDES: dict[str, str] = {
    "SPINELIB_EMAIL": "email",
    "SPINELIB_NCBI_API_KEY": "ncbi_api_key",
    "SPINELIB_EUTILS_URL": "eutils_url",
    "SPINELIB_IDCONV_URL": "idconv_url",
    "SPINELIB_CROSSREF_URL": "crossref_url",
    "SPINELIB_EUROPEPMC_URL": "europepmc_url",
    "SPINELIB_RETRACTIONWATCH_URL": "retractionwatch_url",
    "SPINELIB_EUROPEPMC_SITE_URL": "europepmc_site_url",
    "SPINELIB_UNPAYWALL_URL": "unpaywall_url",
}


@dataclass
class Settings:
    """What the user may configure. Defaults work for a first run."""

    email: str = ""
    ncbi_api_key: str = ""
    eutils_url: str = DEFAULT_EUTILS_URL
    idconv_url: str = DEFAULT_IDCONV_URL
    crossref_url: str = DEFAULT_CROSSREF_URL
    europepmc_url: str = DEFAULT_EUROPEPMC_URL
    #: Seconds to wait for a connection, and for each read.
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_retries: int = 4
    export_format: str = "bibtex"
    export_abstracts: bool = False
    #: The CSL style id of Copy citation, formatted exports and manuscripts (issue 16).
    citation_style: str = "vancouver"
    recent_libraries: list[str] = field(default_factory=list)
    retractionwatch_url: str = DEFAULT_RETRACTIONWATCH_URL
    #: How far back a literature watch's first run looks, in days.
    watch_first_days: int = 30
    # ---- attachments and full text (issue 14)
    europepmc_site_url: str = DEFAULT_EUROPEPMC_SITE_URL
    unpaywall_url: str = DEFAULT_UNPAYWALL_URL
    #: Linked files are stored relative to this folder ("" = the home directory), so a moved
    #: folder can be re-pointed by changing it.
    files_base_folder: str = ""
    #: New PDFs dropped here are imported ("" = no watched folder).
    watched_folder: str = ""
    #: Text extraction caps per PDF: pages read, characters kept.
    pdf_max_pages: int = 100
    pdf_max_chars: int = 500_000
    #: Downloads larger than this many bytes are refused.
    pdf_max_bytes: int = 100_000_000
    # ---- the reader's institution (spinelib/libraryaccess.py): "" = not set
    #: A proxy's starting-point address, e.g. ``https://ezproxy.example.org/login?url=``.
    library_proxy: str = ""
    #: A link resolver's base address (OpenURL), e.g. ``https://resolver.example.org/openurl``.
    link_resolver: str = ""

    def with_env(self, env: Mapping[str, str] | None = None) -> Settings:
        """A copy with the ``SPINELIB_*`` environment overrides applied."""
        env = os.environ if env is None else env
        out = replace(self)
        for var, name in ENV_OVERRIDES.items():
            if env.get(var):
                setattr(out, name, env[var])
        return out

    def redacted(self) -> dict[str, Any]:
        """The settings as a dict safe to log: the API key is masked."""
        data = asdict(self)
        if data["ncbi_api_key"]:
            data["ncbi_api_key"] = "***"
        return data


def load(path: Path, env: Mapping[str, str] | None = None) -> Settings:
    """Read settings from ``path`` (missing or unreadable file: defaults), then apply env.

    Unknown keys are ignored and wrongly typed values fall back to the default, so a
    hand-edited or newer file never stops the app from starting.
    """
    settings = Settings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raw = {}
    if isinstance(raw, dict):
        values = raw.get("settings", raw)
        if isinstance(values, dict):
            defaults = Settings()
            for f in fields(Settings):
                if f.name in values and _fits(values[f.name], getattr(defaults, f.name)):
                    setattr(settings, f.name, values[f.name])
    return settings.with_env(env)


def _fits(value: object, default: object) -> bool:
    """Whether a stored ``value`` can stand for a setting whose default is ``default``: the
    same type, and for a number a finite one not below zero (a hand-edited ``1e400`` is
    read as infinity, which the socket's timeout refused with an internal error)."""
    if isinstance(default, bool) or not isinstance(default, (int, float)):
        return type(value) is type(default)
    return type(value) is type(default) and math.isfinite(value) and value >= 0


def save(settings: Settings, path: Path) -> None:
    """Write settings atomically (temp file + rename) with the schema version."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"version": SETTINGS_VERSION, "settings": asdict(settings)}
    fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, indent=2)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
