"""The compiled part of the package; everything else is declared in pyproject.toml.

analysis._minhash computes the MinHash values of analysis.dedup (it needs a C compiler
and the Python headers). It is optional: without them the install goes on and
analysis.dedup computes the same values with NumPy, more slowly.
"""

from setuptools import Extension, setup

setup(ext_modules=[
    Extension("analysis._minhash", sources=["analysis/_minhash.c"], optional=True,
              extra_compile_args=["-O3"]),
])
