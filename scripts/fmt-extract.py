#!/usr/bin/env python3
"""Writes every module of the conformance suite's YAML files under SUITE_DIR into OUT_DIR as
<yaml-relative-path>/<case-index>-<module-index>.rego, for scripts/fmt-compare."""
import os
import sys

import yaml

suite, out = sys.argv[1], sys.argv[2]
count = 0
for root, _, files in os.walk(suite):
    for name in sorted(files):
        if not name.endswith((".yaml", ".yml")):
            continue
        path = os.path.join(root, name)
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f) or {}
        rel = os.path.relpath(path, suite)
        for ci, case in enumerate(doc.get("cases") or []):
            for mi, module in enumerate(case.get("modules") or []):
                dest = os.path.join(out, rel, "%04d-%d.rego" % (ci, mi))
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                with open(dest, "w", encoding="utf-8") as m:
                    m.write(module)
                count += 1
print(count)
