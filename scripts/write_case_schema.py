"""Regenerate schemas/case.schema.json from the case model (a test checks it is in sync)."""

import json

from counsel import paths
from counsel.core.case import case_json_schema

paths.CASE_SCHEMA_FILE.write_text(
    json.dumps(case_json_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
)
print(f"wrote {paths.CASE_SCHEMA_FILE.relative_to(paths.PROJECT_ROOT)}")
