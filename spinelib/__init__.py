"""SpineLib: an offline-first reference manager for spine-oncology literature."""

__version__ = "0.1.0"
