"""The Faust application and everything that defines mediawatch's streams."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mediawatch")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
