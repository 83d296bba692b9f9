#!/usr/bin/env python3
"""The hostile-input matrix of issue #12: runs every case against a built
aitag and prints a Markdown table (case, expectation, observed, result), with
the time and memory bounds each case checks. Run by scripts/reliability.sh;
docs/reliability.md holds its last output.

    python3 scripts/reliability.py [BINARY]      (default target/release/aitag)

Times are checked by ratio (one long record against four of a quarter of its
length), never against a clock, so that a slow machine does not fail them;
memory by peak RSS from the kernel (ru_maxrss of the child)."""

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/aitag"))
TMP = tempfile.mkdtemp(prefix="aitag-reliability-")
TEXT = "Hackers stole the model weights and leaked them online."
ROWS = []


GNU_TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None


def run(args, stdin=None, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600, shell=False):
    """(exit code, stdout, stderr, seconds, peak RSS MiB) of one run.

    The peak comes from GNU time (`/usr/bin/time -f %M`), which forks the
    command from its own small process: the kernel counts the memory a
    process held before exec in its peak, so a child forked straight from this
    script would report this script's size. Without GNU time the peak is None."""
    t = time.monotonic()
    data = None
    if isinstance(stdin, (bytes, str)):
        data = stdin.encode() if isinstance(stdin, str) else stdin
        stdin = subprocess.PIPE
    if shell:
        args = ["bash", "-c", args]
    peak_file = None
    if GNU_TIME:
        peak_file = os.path.join(TMP, "peak-rss")
        args = [GNU_TIME, "-f", "%M", "-o", peak_file, *args]
    p = subprocess.run(args, input=data, stdin=None if data is not None else (stdin or subprocess.DEVNULL),
                       stdout=stdout, stderr=stderr, timeout=timeout)
    took = time.monotonic() - t
    rss = None
    code = p.returncode
    if peak_file:
        lines = open(peak_file).read().split()
        rss = int(lines[-1]) / 1024
        # GNU time writes "Command exited with non-zero status N" (or
        # "terminated by signal N") before the figure and exits with the
        # command's status (128 + N for a signal).
    return code, p.stdout or b"", p.stderr or b"", took, rss


def row(case, expect, observed, ok):
    ROWS.append((case, expect, observed, "pass" if ok else "**FAIL**"))
    print(f"{'ok  ' if ok else 'FAIL'} {case}: {observed}", file=sys.stderr)


def path(name, data=None):
    p = os.path.join(TMP, name)
    if data is not None:
        with open(p, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
    return p


def rss_text(rss):
    return f"{rss:.0f} MiB" if rss is not None else "not measured (no GNU time)"


def jsonl(out):
    return [json.loads(l) for l in out.decode().splitlines()]


def best_of(n, f):
    return min(f() for _ in range(n))


def ratio_case(name, unit, whole_repeats, note=""):
    """One record of `unit * whole_repeats` against four of a quarter."""
    quarter = unit * (whole_repeats // 4)
    one = path(f"{name}-one.jsonl", json.dumps({"text": quarter * 4}) + "\n")
    four = path(f"{name}-four.jsonl", "".join(json.dumps({"text": quarter}) + "\n" for _ in range(4)))
    t_one = best_of(3, lambda: run([BIN, "batch", "--explain", "-j", "1", one])[3])
    t_four = best_of(3, lambda: run([BIN, "batch", "--explain", "-j", "1", four])[3])
    r = t_one / max(t_four, 1e-3)
    size = len(quarter * 4) / 1024
    row(f"time: one record of {size:.0f} KiB ({name}) against four of a quarter{note}",
        "ratio ≤ 3 (linear)", f"{t_one:.2f} s / {t_four:.2f} s = {r:.2f}", r <= 3.0)


def time_cases():
    ratio_case("incident sentences, many rules with hits",
               "Stole model weights, leaked, hacked. The reward model was gamed by the agent. ", 2 * 1024 * 1024 // 80)
    ratio_case("\"not \" × 128,000: negation triggers", "not ", 128_000,
               " (context scopes: helper concepts)")
    ratio_case("\"not. \" × 100,000: triggers across sentences", "not. ", 100_000,
               " (context scopes: helper concepts)")


def memory_cases():
    p = path("wide.csv")
    with open(p, "wb") as f:
        f.write(b"id,text\n1,")
        f.write(b"a" * (100 * 1024 * 1024))
        f.write(b"\n2," + TEXT.encode() + b"\n")
    code, out, _, took, rss = run([BIN, "batch", "-o", "jsonl", p])
    recs = jsonl(out)
    ok = code == 2 and len(recs) == 2 and "error" in recs[0] and (rss is None or rss < 120)
    row("memory: 100 MB single-line CSV", "error record for it, next row tagged, exit 2, RSS < 120 MiB",
        f"exit {code}, {len(recs)} records, RSS {rss_text(rss)}", ok)
    p = path("nul.txt")
    with open(p, "wb") as f:
        f.truncate(2 * 1024 ** 3)
    code, out, err, took, rss = run([BIN, "batch", "-i", "csv", "-o", "jsonl", p])
    recs = jsonl(out)
    # Its "header" is the first 16 MiB of NULs: no usable column, which is one
    # message for the file (no row can give a text), not one per row.
    ok = code == 2 and all("error" in r for r in recs) and 0 < len(err) < 1000
    row("memory: 2 GiB of NUL bytes as CSV (truncate -s 2G)",
        "one short message naming the file, exit 2, no abort, RSS < 120 MiB",
        f"exit {code}, {len(recs)} record(s), {len(err)} bytes on stderr, {took:.1f} s, RSS {rss_text(rss)}",
        ok and (rss is None or rss < 120))
    code, _, err, took, rss = run(f"head -c 100000000 /dev/zero | tr '\\0' a | {BIN} classify", shell=True)
    row("memory: classify with 100 MB on stdin", "exit 2 with a message, RSS < 120 MiB",
        f"exit {code}, {err.decode().strip()[:60]}…, RSS {rss_text(rss)}",
        code == 2 and (rss is None or rss < 120))


def taxonomy_cases():
    def load(p, name, expect, want):
        code, _, err, took, rss = run([BIN, "classify", "--taxonomy", p, "x"], timeout=120)
        msg = err.decode().strip().splitlines()[0] if err else ""
        ok = code == 2 and all(w in msg for w in want) and took < 30
        row(f"taxonomy: {name}", expect, f"exit {code} in {took:.2f} s: `{msg[:110]}`", ok)

    big = "x" * (1 << 20)
    bomb = f"big: &b \"{big}\"\nrules:\n" + "".join(f"  - {{id: r{i}, because: *b}}\n" for i in range(20_000))
    load(path("bomb.yaml", bomb), "alias bomb (1 MB string aliased 20,000 times)",
         "located error, exit 2", ["bomb.yaml:3:", "aliases"])
    p = path("huge.yaml")
    with open(p, "wb") as f:
        f.truncate(100 * 1024 * 1024)
    load(p, "100 MB rule file", "refused before reading, exit 2", ["larger than"])
    d = path("loops")
    os.makedirs(os.path.join(d, "a"))
    os.makedirs(os.path.join(d, "b"))
    os.symlink(os.path.join(d, "b"), os.path.join(d, "a", "to-b"))
    os.symlink(os.path.join(d, "a"), os.path.join(d, "b", "to-a"))
    with open(os.path.join(ROOT, "tests/data/eval/taxonomy.yaml")) as f:
        small = f.read()
    with open(os.path.join(d, "t.yaml"), "w") as f:
        f.write(small)
    code, _, err, took, _ = run([BIN, "classify", "--taxonomy", d, "x"], timeout=120)
    row("taxonomy: two symlink loops in the folder", "walk ends, taxonomy loads",
        f"exit {code} in {took:.2f} s", code in (0, 1) and took < 30)
    os.mkfifo(os.path.join(d, "pipe.yaml"))
    load(d, "a FIFO named pipe.yaml in the folder", "no hang: error naming it", ["pipe.yaml", "not a regular file"])
    bad = "tags:\n" + "".join(f"  - id: Bad_{i}\n    name: x\n    definition: x\n" for i in range(20_000))
    load(path("ids.yaml", bad), "20,000 bad tag ids", "all reported, in seconds", ["kebab-case"])
    load(path("dup.yaml", "lexicons:\n  words:\n    - a\n  words:\n    - b\n"), "a lexicon defined twice in one file",
         "error naming both lines", ["dup.yaml:4:3", "line 2 and on line 4"])
    load(path("u16.yaml", "tags: []\n".encode("utf-16")), "UTF-16 file", "error at 1:1", ["u16.yaml:1:1", "UTF-16"])
    load(path("latin1.yaml", b"tags: []\nrules:\n  - id: caf\xe9\n"), "Latin-1 byte", "error at line:column",
         ["latin1.yaml:3:", "UTF-8"])
    load(path("docs.yaml", "tags: []\n---\nrules: []\n"), "two YAML documents", "error at the second",
         ["docs.yaml:2:1", "document"])
    load(path("dash.yaml", small + "\nlexicons:\n  nothing:\n    - \"—\"\n"), "phrase `—` (folds to nothing)",
         "error: can never match", ["can never match"])


def output_cases():
    ex = os.path.join(ROOT, "examples/reports.jsonl")
    for cmd in (f"{BIN} batch {ex} >&-", f"{BIN} classify '{TEXT}' >&-"):
        code, _, err, _, _ = run(cmd, shell=True)
        row(f"output: `{cmd.replace(BIN, 'aitag').replace(ex, 'reports.jsonl')}`", "exit 2 with a message",
            f"exit {code}: `{err.decode().strip()}`", code == 2 and b"stdout is closed" in err)
    for cmd, want in ((f"{BIN} completions bash > /dev/full", 2), (f"{BIN} batch {ex} > /dev/full", 2),
                      (f"printf 'not json\\n' | {BIN} batch -i jsonl 2>/dev/full >/dev/null", 2),
                      (f"{BIN} batch {ex} | head -c 1 >/dev/null; exit ${{PIPESTATUS[0]}}", 0)):
        code, _, err, _, _ = run(["bash", "-c", cmd])
        shown = cmd.replace(BIN, "aitag").replace(ex, "reports.jsonl")
        row(f"output: `{shown}`", f"exit {want}, no panic",
            f"exit {code}", code == want and b"panicked" not in err)
    big = path("big.jsonl")
    with open(os.path.join(ROOT, "tests/data/aiid/incidents.jsonl"), "rb") as f:
        data = f.read()
    with open(big, "wb") as f:
        for _ in range(20):
            f.write(data)
    for fmt in ("jsonl", "csv", "json"):
        good = 0
        codes = set()
        for i in range(10):
            p = subprocess.Popen([BIN, "batch", "-o", fmt, big], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            time.sleep(0.15 + 0.05 * i)
            p.send_signal(signal.SIGTERM)
            out = p.stdout.read()
            codes.add(p.wait())
            try:
                if not out:
                    pass
                elif fmt == "jsonl":
                    jsonl(out)
                elif fmt == "json":
                    json.loads(out)
                # Nothing written yet is a valid prefix too.
                ok = out == b"" or out.endswith(b"\n")
                good += ok
            except ValueError:
                pass
        row(f"signal: SIGTERM during `batch -o {fmt}` into a pipe, 10 runs", "valid prefix, exit 143",
            f"{good}/10 valid, exit {sorted(codes)}", good == 10 and codes == {143})


def record_cases():
    csv = "id,text\n" + "".join(
        "5,\"an open quote and no end\n" if i == 5 else f"{i},{TEXT}\n" for i in range(1, 12))
    code, out, err, _, _ = run([BIN, "batch", "-o", "jsonl", path("q.csv", csv)])
    recs = jsonl(out)
    row("records: CSV with an unclosed quote, 11 records", "11 out, error at the quote's line, exit 2",
        f"{len(recs)} out, error at line {[r['source']['line'] for r in recs if 'error' in r]}, exit {code}",
        len(recs) == 11 and code == 2 and err)
    tsv = "id\ttext\n1\t\"Quoted\" words\n2\t\"open\n3\tthree\n"
    code, out, _, _, _ = run([BIN, "batch", "-o", "jsonl", path("q.tsv", tsv)])
    recs = jsonl(out)
    row("records: TSV texts starting with a quote", "3 out, read as written (TSV has no quoting)",
        f"{len(recs)} out, {sum('error' in r for r in recs)} errors", len(recs) == 3 and code == 0)
    crlf = "id,text\r\n,first\r\n,\"two\r\nlines\"\r\n,third\r\n"
    code, out, _, _, _ = run([BIN, "batch", "-o", "jsonl", path("crlf.csv", crlf)])
    lines = [r["source"]["line"] for r in jsonl(out)]
    row("records: CRLF CSV, line numbers", "2, 3, 5", f"{lines}", lines == [2, 3, 5])
    code, out, _, _, _ = run([BIN, "batch", "-o", "jsonl", path("cr.csv", "id,text\r,a\r,b\r,c\r")])
    ids = [r["id"] for r in jsonl(out)]
    row("records: CR-only CSV, ids", "distinct FILE:LINE ids", f"{ids}", len(set(ids)) == 3)
    code, out, _, _, _ = run([BIN, "batch", "-o", "jsonl", path("blank.csv", "id,text\n" + "\n" * 1999)])
    row("records: a CSV of 1,999 blank lines", "no records, exit 0", f"{len(jsonl(out))} records, exit {code}",
        code == 0 and not out)
    code, out, _, _, _ = run([BIN, "batch", "-i", "lines", "-o", "jsonl"], stdin=f"{TEXT}\n\u3000\u2003\n")
    row("records: a `lines` line of Unicode white space", "skipped, as in every format",
        f"{len(jsonl(out))} record(s)", len(jsonl(out)) == 1)
    padded = "   " + TEXT + "   "
    code, out, _, _, _ = run([BIN, "batch", "--explain", "-i", "jsonl", "-o", "jsonl"],
                             stdin=json.dumps({"text": padded}) + "\n")
    rec = jsonl(out)[0]
    spans = [e for t in rec["tags"] for r in t["reasons"] for e in r["evidence"]]
    ok = all(padded.encode()[e["start"]:e["end"]].decode() == e["text"] == e["text"].strip() for e in spans)
    row("records: evidence offsets into an untrimmed JSON field", "field[start:end] == text, no white space",
        f"{len(spans)} spans, all match: {ok}", ok and spans)
    code, out, _, _, _ = run([BIN, "classify", "-o", "json"], stdin="Attackers stole the model weights\n")
    ok = b'"model weights"' in out and b"weights\\n" not in out
    row("records: evidence at the end of stdin text", "`model weights`, no newline", f"ok: {ok}", ok)


def fuzz_rows():
    """The last fuzz run's table, if scripts/fuzz.sh left one."""
    p = os.path.join(ROOT, "fuzz/last-run.txt")
    return open(p).read().strip() if os.path.exists(p) else None


def main():
    if not os.path.exists(BIN):
        sys.exit(f"no binary at {BIN}: cargo build --release first")
    for f in (record_cases, output_cases, taxonomy_cases, memory_cases, time_cases):
        f()
    print("| case | expectation | observed | result |")
    print("|---|---|---|---|")
    for r in ROWS:
        print("| " + " | ".join(str(x).replace("|", "\\|") for x in r) + " |")
    failed = sum(r[3] != "pass" for r in ROWS)
    print(f"\n{len(ROWS) - failed} of {len(ROWS)} cases pass.")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
