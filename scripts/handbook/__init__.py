"""The AI Research Engineer Handbook's generator: YAML spec -> validated models -> Markdown pages.

Stages, one module each: `load` (YAML to values with line marks), `validate` (models, then
cross-references), `render` (Jinja templates to page text), `write` (only what changed, only in
the generator's own folders), tied together by `generate`. `cli` is the `handbook` command.
"""
