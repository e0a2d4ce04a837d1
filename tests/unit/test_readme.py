"""The README stays true: it documents every setting and the two commands."""

from pathlib import Path

from streams.settings import describe, markdown_table

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_readme_lists_every_setting() -> None:
    missing = [name for name, _default, _doc in describe() if f"`{name}`" not in README]
    assert not missing, f"README.md lacks {missing}: run python -m streams.settings"


def test_the_readme_settings_table_is_the_generated_one() -> None:
    table = README.split("<!-- settings:begin -->\n", 1)[1].split("\n<!-- settings:end -->")[0]
    assert table == markdown_table(), "README.md's settings table is stale: run " \
                                      "python -m streams.settings"


def test_readme_has_the_two_commands() -> None:
    assert "make run" in README and "make test" in README


def test_the_kubernetes_reload_uses_the_shell_kill_of_the_image() -> None:
    """python:3.11-slim has no kill binary (procps); its sh has the builtin."""
    dockerfile = (Path(__file__).resolve().parents[2] / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in dockerfile and "procps" not in dockerfile
    assert "kubectl exec POD -- sh -c 'kill -HUP 1'" in README
    assert "-- kill -HUP" not in README


def test_a_rules_change_on_kubernetes_is_a_rollout() -> None:
    """The base generates the rules ConfigMap with a content hash in its name: a pod's
    mounted file never changes, so the README must not promise a reload by signal."""
    kustomization = (Path(__file__).resolve().parents[2] / "deploy" / "kubernetes" / "base"
                     / "kustomization.yaml").read_text()
    assert "mediawatch-rules" in kustomization
    assert "disableNameSuffixHash" not in kustomization
    assert "rolls the workers out" in README
