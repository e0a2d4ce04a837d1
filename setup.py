"""The compiled parts of the package; everything else is declared in pyproject.toml.

Both need a C compiler and the Python headers, and both are optional: without them the
install goes on with the pure-Python modules, which give the same results, more slowly.

- analysis._minhash computes the MinHash values of analysis.dedup (NumPy otherwise).
- The analysis core's hottest modules (COMPILED_CORE) are compiled from their own
  sources by mypyc, a build requirement in pyproject.toml. The .py files stay the only
  source; a module whose build fails is imported from its .py file.
"""

from __future__ import annotations

import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

#: analysis modules compiled by mypyc (tests/unit/analysis/test_compiled_core.py reads
#: this list).
COMPILED_CORE = ["matcher", "events", "sanctions", "text", "normalization", "langid"]


def _compiled_core() -> list[Extension]:
    try:
        from mypyc.build import mypycify
    except ImportError:
        print("mediawatch: mypyc is not installed; the analysis core stays pure Python",
              file=sys.stderr)
        return []
    try:
        # the project's own mypy settings are for checking, not for building: the
        # build environment has none of the runtime packages, whose types are Any here
        extensions = mypycify(
            ["--config-file=", "--ignore-missing-imports",
             *(f"analysis/{name}.py" for name in COMPILED_CORE)],
            separate=True,
            opt_level="3",
        )
    except SystemExit as exc:  # mypyc exits on a type error
        print(f"mediawatch: mypyc failed ({exc}); the analysis core stays pure Python",
              file=sys.stderr)
        return []
    for ext in extensions:
        ext.optional = True
    return extensions


class BuildExt(build_ext):
    """Each compiled module is two extensions: its library (``name__mypyc``) and the
    module that loads it; the second is not built when the first failed, so that the
    module is imported from its .py file instead of failing to import."""

    def initialize_options(self) -> None:
        super().initialize_options()
        self.failed: set[str] = set()

    def build_extension(self, ext: Extension) -> None:
        if f"{ext.name}__mypyc" in self.failed:
            print(f"mediawatch: {ext.name} stays pure Python", file=sys.stderr)
            return
        try:
            super().build_extension(ext)
        except Exception:
            self.failed.add(ext.name)
            raise


setup(
    cmdclass={"build_ext": BuildExt},
    ext_modules=[
        Extension("analysis._minhash", sources=["analysis/_minhash.c"], optional=True,
                  extra_compile_args=["-O3"]),
        *_compiled_core(),
    ],
)
