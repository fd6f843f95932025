"""Version strings written into every document header."""

from importlib import metadata

try:
    __version__ = metadata.version("newsarchive")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

try:
    TRAFILATURA_VERSION = metadata.version("trafilatura")
except metadata.PackageNotFoundError:  # pragma: no cover - trafilatura is a hard dependency
    TRAFILATURA_VERSION = "unknown"

EXTRACTOR = f"newsarchive {__version__} (trafilatura {TRAFILATURA_VERSION})"
