#!/usr/bin/env python3
"""Per-kind figures for a labelled set of the project's own descriptions
(tests/data/labels/kinds-*.jsonl: records with `text`, `tags` and `kind`), the
shape of the concept-rule issue's targets: for each kind, how often its main
tag was found (recall), the share of records with no tag at all, and each
tag's precision over the whole set. Aggregates only, so a held-out set can be
measured without reading its misses.

    scripts/kinds-report.py FILE.jsonl [AITAG] [-- extra aitag batch args]
"""
import collections
import json
import subprocess
import sys

MAIN = {
    "outer": "outer-alignment", "inner": "inner-alignment", "sec-ml": "security",
    "sec-llm": "security", "moral": "moral-philosophy", "alignment": "alignment",
    "competence": "competence", "governance": "governance", "resilience": "resilience",
    "security": "security",
}

args = sys.argv[1:]
extra = []
if "--" in args:
    extra = args[args.index("--") + 1:]
    args = args[: args.index("--")]
path = args[0]
aitag = args[1] if len(args) > 1 else "target/release/aitag"
gold = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
out = subprocess.run([aitag, "batch", "-o", "jsonl", *extra, path],
                     capture_output=True, text=True, check=False).stdout
got = {}
for line in out.splitlines():
    r = json.loads(line)
    got[str(r.get("id"))] = {t["tag"] for t in r.get("tags", [])}

by_kind = collections.defaultdict(lambda: [0, 0, 0])  # records, main tag found, no tag
tp, fp, fn = collections.Counter(), collections.Counter(), collections.Counter()
for g in gold:
    tags = got.get(str(g["id"]), set())
    want = set(g["tags"])
    k = by_kind[g["kind"]]
    k[0] += 1
    main = MAIN.get(g["kind"])
    if main is None:  # headlines and mixed kinds: any gold tag found counts
        k[1] += bool(tags & want)
    else:
        k[1] += main in tags
    k[2] += not tags
    for t in tags | want:
        if t in tags and t in want:
            tp[t] += 1
        elif t in tags:
            fp[t] += 1
        else:
            fn[t] += 1

print(f"{path}: {len(gold)} records")
print(f"{'kind':<12}{'n':>4}  {'found':>6}  {'no tag':>6}")
for kind, (n, found, none) in sorted(by_kind.items()):
    print(f"{kind:<12}{n:>4}  {found / n:>6.2f}  {none / n:>6.2f}")
print(f"\n{'tag':<18}{'P':>6}{'R':>6}{'F1':>6}")
for t in sorted(set(tp) | set(fp) | set(fn)):
    p = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else float("nan")
    r = tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else float("nan")
    f = 2 * tp[t] / (2 * tp[t] + fp[t] + fn[t])
    print(f"{t:<18}{p:>6.2f}{r:>6.2f}{f:>6.2f}")
