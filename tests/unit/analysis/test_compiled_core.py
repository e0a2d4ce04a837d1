"""The compiled analysis core is the pure-Python core, compiled.

setup.py compiles the hottest modules of the analysis core (its COMPILED_CORE) from
their own sources with mypyc. The .py files stay the only source; these tests say the
install compiled them, that a changed source is not hidden by an old build, and that the
compiled core gives the pure-Python core's output on every document the project has:
the case tables, the development set and generated articles.
"""

from __future__ import annotations

import ast
import importlib
import importlib.machinery
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from project_scripts import ROOT, load_script

from analysis import analyze, document_from_json

bench_analysis = load_script("benchmarks/bench_analysis.py", "bench_analysis")


def compiled_core() -> list[str]:
    """setup.py's COMPILED_CORE."""
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "COMPILED_CORE" for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            assert isinstance(value, list)
            return value
    raise AssertionError("setup.py has no COMPILED_CORE")


def is_extension(path: str | None) -> bool:
    return path is not None and path.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))


@pytest.mark.parametrize("name", compiled_core())
def test_the_install_compiled_the_module(name: str) -> None:
    """`make install` compiles them (setup.py); an install without a C compiler keeps the
    pure-Python modules, and this test says so."""
    module = importlib.import_module(f"analysis.{name}")
    assert is_extension(module.__file__), f"analysis.{name} is {module.__file__}"


@pytest.mark.parametrize("name", compiled_core())
def test_no_source_changed_after_its_module_was_compiled(name: str) -> None:
    """A compiled module is imported before its .py file: a source edited after the
    install would not be the code under test (`make install` compiles it again)."""
    source = ROOT / "analysis" / f"{name}.py"
    built = [
        p for suffix in importlib.machinery.EXTENSION_SUFFIXES
        for p in source.parent.glob(f"{name}{suffix}")
    ]
    for path in built:
        assert path.stat().st_mtime >= source.stat().st_mtime, (
            f"{source.name} changed after {path.name} was built: run `make install`"
        )


def documents() -> list[dict[str, object]]:
    """Every case table's items, the development set and 120 generated articles."""
    files = [
        *sorted((ROOT / "tests" / "unit" / "analysis" / "cases").glob("*.jsonl")),
        *sorted((ROOT / "benchmarks" / "devset").glob("*.jsonl")),
    ]
    docs: list[dict[str, object]] = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                docs.append(json.loads(line))
    for d in bench_analysis.build_articles(120, seed=11):
        docs.append({"id": d.id, "title": d.title, "text": d.text})
    return docs


PURE_RUN = """
import json, sys
import analysis.events
assert analysis.events.__file__.startswith(sys.argv[1]), analysis.events.__file__
from analysis import analyze, document_from_json
for line in sys.stdin:
    print(json.dumps(analyze(document_from_json(json.loads(line))).to_dict(), sort_keys=True))
"""


def test_the_compiled_core_gives_the_pure_python_output(tmp_path: Path) -> None:
    """The analysis package's .py files alone, in another process, analyse every document
    as the installed (compiled) core does here."""
    package = bench_analysis.pure_copy(tmp_path)
    docs = documents()
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-c", PURE_RUN, str(package)],
        input="".join(json.dumps(d) + "\n" for d in docs),
        capture_output=True, text=True, env=env, cwd=tmp_path, check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    pure = run.stdout.splitlines()
    assert len(pure) == len(docs)
    compiled = [
        json.dumps(analyze(document_from_json(d)).to_dict(), sort_keys=True) for d in docs
    ]
    differ = [str(d.get("id")) for d, a, b in zip(docs, pure, compiled, strict=True) if a != b]
    assert not differ, f"{len(differ)} of {len(docs)} documents differ: {differ[:10]}"


def test_an_analysis_leaves_no_reference_cycles() -> None:
    """Everything an analysis builds is freed when its result is: nothing waits for the
    cycle collector. (Compiled, closures that call one another form a cycle with their
    environment; one in the meeting scan held every document's sentences and matches
    until the collector ran, about 4 % of the core's time.)"""
    import gc

    docs = documents()[:300]
    for d in docs:  # lexicons, automata and caches are built before the count
        analyze(document_from_json(d))
    gc.collect()
    gc.disable()
    try:
        for d in docs:
            analyze(document_from_json(d)).to_dict()
        found = gc.collect()
    finally:
        gc.enable()
    assert found == 0, f"{found} objects were freed only by the cycle collector"
