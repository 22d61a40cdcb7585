"""`.github/`: workflows and issue forms validate against the schemas check-jsonschema vendors, offline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import ROOT

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")


def validate(schema: str, files: list[Path]) -> subprocess.CompletedProcess[str]:
    # --builtin-schema uses the copy inside the installed package: no download, so this runs offline.
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def load(path: Path) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); BaseLoader keeps every key and value as text.
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def test_the_expected_files_exist():
    assert [p.name for p in WORKFLOWS] == ["ci.yml", "deploy.yml", "links.yml"]
    assert [p.name for p in FORMS] == ["broken-link.yml", "content-error.yml", "suggest-content.yml"]
    assert (GITHUB / "ISSUE_TEMPLATE" / "config.yml").is_file()
    assert (GITHUB / "pull_request_template.md").is_file()


def test_workflows_match_the_github_workflow_schema():
    result = validate("vendor.github-workflows", WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_forms_match_the_issue_forms_schema():
    result = validate("vendor.github-issue-forms", FORMS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_citation_file_matches_the_citation_file_format(tmp_path):
    """GitHub offers "Cite this repository" only for a valid CITATION.cff; a broken one fails."""
    result = validate("vendor.citation-file-format", [ROOT / "CITATION.cff"])
    assert result.returncode == 0, result.stdout + result.stderr
    broken = tmp_path / "CITATION.cff"
    broken.write_text("cff-version: 1.2.0\ntitle: X\n", encoding="utf-8")  # no message, no authors
    assert validate("vendor.citation-file-format", [broken]).returncode == 1


def test_issue_template_config_matches_its_schema():
    result = validate("vendor.github-issue-config", [GITHUB / "ISSUE_TEMPLATE" / "config.yml"])
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_permissions(workflow):
    data = load(workflow)
    assert "permissions" in data, "every workflow sets top-level permissions"
    assert data["permissions"] == {"contents": "read"}, "top level grants only read access"
    for name, job in data["jobs"].items():
        granted = job.get("permissions", {})
        assert set(granted.values()) <= {"read", "write"}, name
        assert granted.get("contents", "read") == "read", f"{name} must not write to the repository"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_a_major_version(workflow):
    for job in load(workflow)["jobs"].values():
        for step in job.get("steps", []):
            if "uses" in step:
                _, _, ref = step["uses"].partition("@")
                assert ref.startswith("v") and ref[1:].isdigit(), (
                    f"{step['uses']}: pin to a major version like @v4"
                )


def test_workflows_do_what_the_contributing_guide_promises():
    ci, deploy, links = (load(p) for p in WORKFLOWS)
    assert set(ci["on"]) == {"pull_request", "push"}
    ci_runs = [s.get("run", "") for s in ci["jobs"]["test"]["steps"]]
    for command in ("make check", "make lint", "make test", "make build", "apt-get install"):
        assert any(command in run for run in ci_runs), command
    assert any(s.get("uses") == "actions/upload-artifact@v4" for s in ci["jobs"]["test"]["steps"])

    uses = {s.get("uses") for job in deploy["jobs"].values() for s in job["steps"]}
    assert {
        "actions/configure-pages@v5",
        "actions/upload-pages-artifact@v3",
        "actions/deploy-pages@v4",
    } <= uses
    assert deploy["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["on"]["push"]["branches"] == ["main"]

    assert set(links["on"]) == {"schedule", "workflow_dispatch"}
    job = links["jobs"]["links"]
    assert job["permissions"]["issues"] == "write"
    assert any(s.get("uses") == "lycheeverse/lychee-action@v2" for s in job["steps"])


def test_the_schemas_reject_a_broken_workflow_and_form(tmp_path):
    """The validation is real: a typo in a workflow or a form fails it."""
    workflow = tmp_path / "bad.yml"
    workflow.write_text("on: push\njobs:\n  a:\n    runs_on: ubuntu-24.04\n    steps: [{run: ls}]\n")
    assert validate("vendor.github-workflows", [workflow]).returncode == 1
    form = tmp_path / "form.yml"
    form.write_text("name: X\ndescription: Y\nbody:\n  - type: textbox\n    id: a\n")
    assert validate("vendor.github-issue-forms", [form]).returncode == 1
