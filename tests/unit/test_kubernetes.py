"""deploy/kubernetes/base holds together: every file it names exists, the settings are
the service's, the commands parse, the probes and mounts match what the code serves and
reads. (Rendered with `kubectl kustomize deploy/kubernetes/base`.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from analysis.rules import load_rules
from mediawatch.cli import build_parser
from producers.registry import load_feeds
from streams.settings import Settings

BASE = Path(__file__).resolve().parents[2] / "deploy" / "kubernetes" / "base"
KUSTOMIZATION = yaml.safe_load((BASE / "kustomization.yaml").read_text())


def settings_env() -> dict[str, str]:
    pairs = (line.split("=", 1) for line in (BASE / "settings.env").read_text().splitlines()
             if line and not line.startswith("#"))
    return {k: v for k, v in pairs}


def deployments() -> dict[str, dict[str, Any]]:
    found = {}
    for name in KUSTOMIZATION["resources"]:
        for doc in yaml.safe_load_all((BASE / name).read_text()):
            if doc["kind"] == "Deployment":
                found[doc["metadata"]["name"]] = doc
    return found


def test_every_file_named_exists_and_the_generated_files_are_valid() -> None:
    for name in KUSTOMIZATION["resources"]:
        assert (BASE / name).is_file(), name
    files = {f for g in KUSTOMIZATION["configMapGenerator"]
             for f in (*g.get("files", ()), *g.get("envs", ()))}
    assert files == {"settings.env", "rules.yaml", "feeds.yaml"}
    assert load_rules(BASE / "rules.yaml").rules
    assert load_feeds(BASE / "feeds.yaml")
    settings = Settings.from_env(settings_env())  # every variable known, every value valid
    assert settings.metrics_host == "0.0.0.0" and settings.metrics_port == 9300


def test_the_worker_and_the_producer_run_what_the_service_serves_and_reads() -> None:
    env = settings_env()
    found = deployments()
    assert set(found) == {"mediawatch-worker", "mediawatch-producer"}
    for deployment in found.values():
        pod = deployment["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        assert container["args"][0] == "mediawatch"
        build_parser().parse_args(container["args"][1:])  # a command the CLI knows
        assert container["envFrom"] == [{"configMapRef": {"name": "mediawatch-settings"}}]
        assert container["ports"] == [{"name": "metrics",
                                       "containerPort": int(env["MEDIAWATCH_METRICS_PORT"])}]
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert pod["securityContext"]["runAsNonRoot"] is True
        mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
        assert mounts["/var/lib/mediawatch"] == "data"  # the image's MEDIAWATCH_DATA_DIR
        volumes = {v["name"]: v for v in pod["volumes"]}
        assert set(mounts.values()) == set(volumes)
    worker = found["mediawatch-worker"]["spec"]["template"]["spec"]
    mounts = {m["mountPath"] for m in worker["containers"][0]["volumeMounts"]}
    assert str(Path(env["MEDIAWATCH_RULES_FILE"]).parent) in mounts
    assert str(Path(env["MEDIAWATCH_SLACK_WEBHOOK_URL_FILE"]).parent) in mounts
    assert {v["name"]: v for v in worker["volumes"]}["slack"]["secret"]["optional"] is True
    producer = found["mediawatch-producer"]["spec"]["template"]["spec"]["containers"][0]
    feeds = Path(producer["args"][producer["args"].index("--feeds") + 1])
    assert str(feeds.parent) in {m["mountPath"] for m in producer["volumeMounts"]}
    assert feeds.name == "feeds.yaml"
