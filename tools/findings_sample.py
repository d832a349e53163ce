#!/usr/bin/env python3
"""Draw a sample of `archsketch check` findings on template collections, to be read against the
templates and judged true or false of the stack as deployed (README, "Findings read against
their templates").

Runs `archsketch check --format json` on every .yaml/.yml/.json/.template file under the given
folders, drops the findings already in earlier samples (`--exclude tools/judged/*.jsonl`), and
writes `--size` of the rest, drawn with `random.seed(SEED)`, as JSON lines (i, rule, severity,
message, elements, template, line). `--score FILE.jsonl` instead prints how many of a judged
sample are true, and how many of those the current binary still reports.

Run:  python3 tools/findings_sample.py --seed 79 --size 120 -o sample.jsonl ROOT...
      python3 tools/findings_sample.py --score tools/judged/seed79.jsonl ROOT...
"""
import argparse, json, random, subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = HERE.parent / "target" / "release" / "archsketch"


def findings(roots, base):
    files = [p for r in roots for p in sorted(Path(r).rglob("*"))
             if p.is_file() and p.suffix in (".yaml", ".yml", ".json", ".template")
             and ".github" not in p.parts]

    def run(p):
        out = subprocess.run([str(BIN), "check", "--format", "json", str(p)],
                             capture_output=True, text=True, timeout=30).stdout
        try:
            return p, json.loads(out or "[]")
        except json.JSONDecodeError:
            return p, []

    rows = []
    with ThreadPoolExecutor(2) as ex:
        for p, items in ex.map(run, files):
            for f in items:
                if f.get("rule"):
                    f["template"] = str(p.relative_to(base)) if base else str(p)
                    rows.append(f)
    return rows


def key(f):
    return (f["rule"], f["template"], f["message"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("roots", nargs="+")
    ap.add_argument("--base", default="/tmp", help="template paths are written relative to it")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--size", type=int, default=120)
    ap.add_argument("--exclude", nargs="*", default=[])
    ap.add_argument("--score")
    ap.add_argument("-o", "--output")
    a = ap.parse_args()
    rows = findings(a.roots, a.base)
    if a.score:
        now = {key(f) for f in rows}
        judged = [json.loads(l) for l in open(a.score)]
        true = [j for j in judged if j["verdict"] == "true"]
        still = [j for j in judged if key(j) in now]
        print(f"judged {len(judged)}, true {len(true)} ({len(true) / len(judged):.1%}); "
              f"still reported {len(still)}, true "
              f"{sum(j['verdict'] == 'true' for j in still)}")
        return
    seen = {key(json.loads(l)) for e in a.exclude for l in open(e)}
    rest = [f for f in rows if key(f) not in seen]
    random.seed(a.seed)
    sample = random.sample(rest, min(a.size, len(rest)))
    with open(a.output, "w") as out:
        for i, f in enumerate(sample):
            out.write(json.dumps({"i": i, "rule": f["rule"], "severity": f.get("severity"),
                                  "message": f["message"], "elements": f.get("elements", []),
                                  "template": f["template"], "line": f.get("line")}) + "\n")
    print(f"{len(rows)} findings, {len(rest)} not sampled before, {len(sample)} written")


if __name__ == "__main__":
    main()
