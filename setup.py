"""The compiled parts of the package; everything else is declared in pyproject.toml.

Both need a C compiler and the Python headers, and both are optional: without them the
install goes on with the pure-Python modules, which give the same results, more slowly.

- analysis._minhash computes the MinHash values of analysis.dedup (NumPy otherwise).
- The analysis core's hottest modules (COMPILED_CORE) are compiled from their own
  sources by mypyc, a build requirement in pyproject.toml. The .py files stay the only
  source; if one module fails to build, the whole core is imported from its .py files.
"""

from __future__ import annotations

import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

#: analysis modules compiled by mypyc (tests/unit/analysis/test_compiled_core.py reads
#: this list).
COMPILED_CORE = ["matcher", "events", "sanctions", "text", "normalization", "langid", "analyzer", "gazetteer"]
MINHASH = "analysis._minhash"


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
            group_name="analysis._core",
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
    """Adds the compiled core when extensions are built (not for metadata). The core is
    one library (``analysis._core__mypyc``), in which its modules call each other
    directly, and a small extension per module that loads it: after a failure, no
    further part of the core is built and those built are removed, so that the whole
    core is imported from its .py files instead of failing to import."""

    def initialize_options(self) -> None:
        super().initialize_options()
        self.failed = False

    def finalize_options(self) -> None:
        dist = self.distribution
        if not getattr(dist, "compiled_core_added", False):
            dist.ext_modules = [*(dist.ext_modules or []), *_compiled_core()]
            dist.compiled_core_added = True
        super().finalize_options()

    def build_extension(self, ext: Extension) -> None:
        core = ext.name != MINHASH
        if core and self.failed:
            return
        try:
            super().build_extension(ext)
        except Exception:
            self.failed = self.failed or core
            raise

    def run(self) -> None:
        super().run()
        if not self.failed:
            return
        print("mediawatch: a module of the core failed to build; the analysis core stays "
              "pure Python", file=sys.stderr)
        for ext in self.extensions:
            path = Path(self.get_ext_fullpath(ext.name))
            if ext.name != MINHASH and path.exists():
                path.unlink()


setup(
    cmdclass={"build_ext": BuildExt},
    ext_modules=[
        Extension(MINHASH, sources=["analysis/_minhash.c"], optional=True,
                  extra_compile_args=["-O3"]),
    ],
)
