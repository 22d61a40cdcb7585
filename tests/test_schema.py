"""roadmap/schemas/ holds one JSON Schema per kind of spec file, generated from the models, and
every spec file's first line points editors at its own schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from handbook import layout
from handbook.schema import schema_files
from helpers import FIXTURES, ROOT

SPEC = ROOT / layout.SPEC_DIR
SCHEMAS = SPEC / layout.SCHEMA_DIR
SPEC_FILES = sorted(p for p in SPEC.rglob("*.yml"))


def schema_for(path: Path) -> dict:
    kind = layout.spec_file(path.relative_to(SPEC).as_posix())
    assert kind is not None, path
    return json.loads((SCHEMAS / kind.schema).read_text(encoding="utf-8"))


def test_schemas_are_in_sync_with_the_models(handbook):
    result = handbook("schema", "--check", cwd=ROOT)
    assert result.code == 0, result.err
    assert sorted(p.name for p in SCHEMAS.glob("*.json")) == sorted(schema_files())


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.relative_to(SPEC).as_posix())
def test_every_spec_file_names_its_own_schema(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == layout.modeline(path.relative_to(SPEC).as_posix())


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.relative_to(SPEC).as_posix())
def test_every_spec_file_validates_against_its_schema(path):
    """What an editor would check with the published schema agrees with `handbook check`."""
    validator = jsonschema.Draft202012Validator(schema_for(path))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [e.message for e in validator.iter_errors(data)] == []


def check_jsonschema(tmp_path: Path, old: str, new: str) -> list[str]:
    """check-jsonschema, as an editor or pre-commit runs it, on the minimal phase file with `old`
    replaced by `new`: its error lines."""
    phase = tmp_path / "basics.yml"
    text = (FIXTURES / "minimal" / "phases" / "basics.yml").read_text(encoding="utf-8")
    assert old in text
    phase.write_text(text.replace(old, new), encoding="utf-8")
    result = subprocess.run(
        [Path(sys.executable).parent / "check-jsonschema", "--schemafile", SCHEMAS / "phase.json", phase],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    return [line.strip().removeprefix(f"{phase}::") for line in result.stdout.splitlines() if "::" in line]


def test_a_misspelled_field_is_reported_as_that_field_by_an_external_validator(tmp_path):
    """The typo is the one error: not also the required field it hides, and nothing about other
    kinds of file."""
    assert check_jsonschema(tmp_path, "title: Basics", "titel: Basics") == [
        "$: Additional properties are not allowed ('titel' was unexpected)"
    ]


def test_a_missing_field_is_still_reported_by_an_external_validator(tmp_path):
    assert check_jsonschema(tmp_path, "title: Basics\n", "") == ["$: 'title' is a required property"]


def test_schemas_carry_descriptions_for_hover_help():
    phase = json.loads((SCHEMAS / "phase.json").read_text(encoding="utf-8"))
    topic = phase["$defs"]["Topic"]["properties"]
    assert topic["prerequisites"]["description"]
    assert topic["questions"]["description"]
