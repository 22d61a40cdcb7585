"""roadmap/schema.json is generated from the models and every spec file points editors at it."""

from __future__ import annotations

import json

import jsonschema
import yaml

from handbook.schema import schema_text
from helpers import ROOT

SPEC = ROOT / "roadmap"


def test_schema_file_is_in_sync_with_the_models():
    assert (SPEC / "schema.json").read_text(encoding="utf-8") == schema_text(), "run `handbook schema`"


def test_every_spec_file_has_the_schema_modeline():
    for path in sorted(SPEC.rglob("*.yml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        rel = "../schema.json" if path.parent.name == "phases" else "./schema.json"
        assert first == f"# yaml-language-server: $schema={rel}", path


def test_every_spec_file_validates_against_the_schema():
    """What an editor would check with the published schema agrees with `handbook check`."""
    schema = json.loads((SPEC / "schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted(SPEC.rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], f"{path}: {errors[:3]}"


def test_schema_rejects_a_misspelled_field():
    schema = json.loads((SPEC / "schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load((SPEC / "handbook.yml").read_text(encoding="utf-8"))
    data["titel"] = data.pop("title")
    assert not jsonschema.Draft202012Validator(schema).is_valid(data)


def test_schema_carries_descriptions_for_hover_help():
    schema = json.loads((SPEC / "schema.json").read_text(encoding="utf-8"))
    topic = schema["$defs"]["Topic"]["properties"]
    assert "prerequisites" in topic and topic["prerequisites"]["description"]
