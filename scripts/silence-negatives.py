#!/usr/bin/env python3
"""Writes tests/data/labels/silence-negatives.jsonl: every sentence of the
silence corpus (taxonomy/silence/*.yaml) as a record with no tag, in the gold
format with its text, so that the model is fit on text that is no incident too.
scripts/fit-model.sh runs it before each fit; the silence files stay the one
place the sentences are written."""
import glob
import json
import os
import re

os.chdir(os.path.join(os.path.dirname(__file__), ".."))
n = 0
with open("tests/data/labels/silence-negatives.jsonl", "w") as out:
    for path in sorted(glob.glob("taxonomy/silence/*.yaml")):
        for line in open(path, encoding="utf-8"):
            m = re.match(r"^  - (.*)$", line.rstrip("\n"))
            if not m:
                continue
            text = m.group(1)
            if text.startswith('"') and text.endswith('"'):
                text = json.loads(text)
            elif text.startswith("'") and text.endswith("'"):
                text = text[1:-1].replace("''", "'")
            n += 1
            name = os.path.basename(path)[: -len(".yaml")]
            out.write(json.dumps({"id": f"silence-{name}-{n}", "text": text, "tags": []}) + "\n")
