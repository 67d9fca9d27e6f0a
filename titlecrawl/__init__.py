"""titlecrawl: community wiki title pages to clean, typed records."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("titlecrawl")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
