"""deploy/kubernetes/base holds together: every resource is valid against the Kubernetes
API schemas (kubernetes-validate ships them, strict: no unknown field), every file it
names exists, the settings are the service's, the commands parse, the probes and mounts
match what the code serves and reads, and each Deployment has a PodDisruptionBudget.
(Rendered with `kubectl kustomize deploy/kubernetes/base`.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from analysis.rules import DEFAULT_RULES_FILE, load_rules
from mediawatch.cli import build_parser
from producers.registry import load_feeds
from streams.settings import Settings

BASE = Path(__file__).resolve().parents[2] / "deploy" / "kubernetes" / "base"
KUSTOMIZATION = yaml.safe_load((BASE / "kustomization.yaml").read_text())


def settings_env() -> dict[str, str]:
    pairs = (line.split("=", 1) for line in (BASE / "settings.env").read_text().splitlines()
             if line and not line.startswith("#"))
    return {k: v for k, v in pairs}


#: The oldest Kubernetes minor the manifests are checked against (and every newer one
#: kubernetes-validate knows).
OLDEST_KUBERNETES = "1.29.0"


def resources() -> list[dict[str, Any]]:
    return [doc for name in KUSTOMIZATION["resources"]
            for doc in yaml.safe_load_all((BASE / name).read_text()) if doc]


@pytest.mark.parametrize("version", [
    OLDEST_KUBERNETES, kubernetes_validate.latest_version()])
def test_every_resource_is_valid_against_the_api_schema(version: str) -> None:
    docs = resources()
    assert {d["kind"] for d in docs} == {"Deployment", "PodDisruptionBudget"}
    for doc in docs:
        kubernetes_validate.validate(doc, version, strict=True)  # raises on any error


def test_a_schema_error_is_caught() -> None:
    (worker,) = [d for d in resources() if d["metadata"]["name"] == "mediawatch-worker"
                 and d["kind"] == "Deployment"]
    worker["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(worker, OLDEST_KUBERNETES, strict=True)


def test_each_deployment_has_a_disruption_budget_selecting_its_pods() -> None:
    docs = resources()
    budgets = [d for d in docs if d["kind"] == "PodDisruptionBudget"]
    for deployment in deployments().values():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert any(set(b["spec"]["selector"]["matchLabels"].items()) <= set(labels.items())
                   for b in budgets), deployment["metadata"]["name"]


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
    # the rules a deployment starts with are the shipped defaults
    assert load_rules(BASE / "rules.yaml") == load_rules(DEFAULT_RULES_FILE)
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
