#!/usr/bin/env python3
"""Measure how faithfully `archsketch import` draws a SAM template, against the CloudFormation
that SAM itself deploys.

For each SAM template the template is translated offline with samtranslator (the PyPI package
aws-sam-translator; managed policies stubbed out, fixed pseudo parameters). Templates the
translator refuses are counted and skipped. Then `archsketch import` is run on the translation
(design A: SAM as deployed) and on the original template (design B), 20 s timeout each, and
the two designs are compared, IAM roles and policies left out on both sides:
  services              the set of (node id, service)
  connections           the set of unordered {from, to} pairs of edges
  ordered connections   the set of (from, to, kind) of edges (kind omitted in RON = Data)
recall = |A & B| / |A|, precision = |A & B| / |B|. Printed: one compact line per template where
something differs, totals (`TOTAL services recall ...`), and the 15 most common differences,
grouped by service type (services) or by pair of service types (connections).

Run:  python3 tools/sam_compare.py [TEMPLATE ...] [--list FILE] [--bin PATH] [--json OUT]
      (default: every template.yaml / template.yml under /tmp/sp, aws-samples/serverless-patterns)
"""
import argparse, json, logging, os, re, subprocess, sys, tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DEFAULT_BIN = HERE.parent / "target" / "release" / "archsketch"
DEFAULT_CORPUS = Path("/tmp/sp")
TIMEOUT, CAP = 20, 4
IAM = {"iam_role", "iam_policy"}
PARAMS = {"AWS::Region": "us-east-1", "AWS::AccountId": "123456789012", "AWS::Partition": "aws",
          "AWS::StackName": "stack",
          "AWS::StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/stack/"
                          "00000000-0000-0000-0000-000000000000",
          "AWS::URLSuffix": "amazonaws.com", "AWS::NotificationARNs": []}
S = r'"((?:[^"\\]|\\.)*)"'  # a RON string
NODE_RE = re.compile(r'^\s*Node\(id: ' + S + r', service: ' + S)
EDGE_RE = re.compile(r'^\s*Edge\(from: ' + S + r', to: ' + S + r'(?:, kind: (\w+))?')


class CfnLoader(yaml.SafeLoader):
    """SafeLoader that reads CloudFormation short tags and leaves dates as strings."""


CfnLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()}


def _tag(loader, suffix, node):
    name = "Ref" if suffix == "Ref" else "Condition" if suffix == "Condition" else "Fn::" + suffix
    if isinstance(node, yaml.ScalarNode):
        val = loader.construct_scalar(node)
        if suffix == "GetAtt":
            val = val.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        val = loader.construct_sequence(node, deep=True)
    else:
        val = loader.construct_mapping(node, deep=True)
    return {name: val}


CfnLoader.add_multi_constructor("!", _tag)


class PolicyLoader:
    """ManagedPolicyLoader stub: no managed policies known (offline)."""

    def load(self):
        return {}


S3 = "s3://bucket/key.zip"
PACKAGED = {  # what `sam package` uploads and rewrites: type -> (property, packaged value)
    "AWS::Serverless::Function": ("CodeUri", S3), "AWS::Serverless::LayerVersion": ("ContentUri", S3),
    "AWS::Serverless::Api": ("DefinitionUri", S3), "AWS::Serverless::HttpApi": ("DefinitionUri", S3),
    "AWS::Serverless::StateMachine": ("DefinitionUri", S3),
    "AWS::Serverless::Application": ("Location", "https://s3.amazonaws.com/bucket/app.yaml")}
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/repo:latest"


def package(tpl):
    """Rewrite local paths as `sam build` + `sam package` would (S3 / ECR locations)."""
    glob = (tpl.get("Globals") or {}).get("Function") or {}
    if isinstance(glob.get("CodeUri"), str) and not glob["CodeUri"].startswith("s3://"):
        glob["CodeUri"] = S3
    for res in tpl["Resources"].values():
        if not isinstance(res, dict) or not isinstance(res.get("Properties", {}), dict):
            continue
        props = res.setdefault("Properties", {})
        if res.get("Type") not in PACKAGED:
            continue
        key, val = PACKAGED[res["Type"]]
        if res["Type"] == "AWS::Serverless::Function":
            if (props.get("PackageType") or glob.get("PackageType")) == "Image":
                props.setdefault("ImageUri", IMAGE)
                continue
            if "InlineCode" in props or "CodeUri" not in props and "CodeUri" in glob:
                continue
            props.setdefault("CodeUri", ".")  # sam build's default
        cur = props.get(key)
        if isinstance(cur, str) and not re.match(r"(s3|https?)://", cur):
            props[key] = val
    return tpl


def translate(path):
    """The translated template (dict), or a short reason string why it is refused."""
    from samtranslator.translator.arn_generator import ArnGenerator
    from samtranslator.translator.transform import transform
    ArnGenerator.BOTO_SESSION_REGION_NAME = PARAMS["AWS::Region"]
    os.environ["AWS_DEFAULT_REGION"] = PARAMS["AWS::Region"]  # boto3 session asked for region
    logging.getLogger("samtranslator").setLevel(logging.ERROR)  # "unpublished metrics"
    try:
        with open(path, encoding="utf-8") as f:
            tpl = yaml.load(f, Loader=CfnLoader)
    except Exception as e:  # noqa: BLE001
        return "yaml: " + str(e).splitlines()[0][:90]
    if not isinstance(tpl, dict) or not isinstance(tpl.get("Resources"), dict):
        return "no Resources"
    try:
        return transform(package(tpl), dict(PARAMS), PolicyLoader())
    except Exception as e:  # noqa: BLE001
        causes = getattr(e, "causes", None) or [e]
        msg = " ".join(str(getattr(causes[0], "message", causes[0])).split())
        msg = re.sub(r"\[[^\]]*\]|'[^']*'", "[..]", msg)  # leave ids out, to group reasons
        return type(causes[0]).__name__ + ": " + msg[:100]


def unron(s):
    try:
        return json.loads('"' + s + '"')
    except ValueError:
        return s


def run_import(binary, src, out):
    """The design as (nodes {id: service}, edges [(from, to, kind)]), or a reason string."""
    try:
        p = subprocess.run([str(binary), "import", str(src), "-o", str(out)],
                           capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return "timeout"
    if p.returncode != 0 or not os.path.exists(out):
        return f"exit {p.returncode}: " + " ".join(p.stderr.split())[:100]
    nodes, edges = {}, []
    for line in Path(out).read_text(encoding="utf-8").splitlines():
        if m := NODE_RE.match(line):
            nodes[unron(m[1])] = unron(m[2])
        elif m := EDGE_RE.match(line):
            edges.append((unron(m[1]), unron(m[2]), m[3] or "Data"))
    return nodes, edges


def sets(design):
    nodes, edges = design
    keep = {i: s for i, s in nodes.items() if s not in IAM}
    svc = set(keep.items())
    edges = [e for e in edges if e[0] in keep and e[1] in keep]
    conn = {frozenset((f, t)) for f, t, _ in edges}
    ordered = set(edges)
    return keep, svc, conn, ordered


def compare(binary, path):
    """One template's result: dict with 'status' and, when compared, the sets."""
    res = {"path": str(path)}
    tr = translate(path)
    if isinstance(tr, str):
        return {**res, "status": "translator", "why": tr}
    with tempfile.TemporaryDirectory(prefix="samcmp") as tmp:
        tj = Path(tmp) / "translated.json"
        tj.write_text(json.dumps(tr, indent=1, default=str), encoding="utf-8")
        a = run_import(binary, tj, Path(tmp) / "A.ron")
        b = run_import(binary, path, Path(tmp) / "B.ron")
    if isinstance(a, str) or isinstance(b, str):
        why = "; ".join(f"{side}: {d}" for side, d in (("A", a), ("B", b)) if isinstance(d, str))
        return {**res, "status": "archsketch", "why": why}
    return {**res, "status": "ok", "A": sets(a), "B": sets(b)}


def pair_name(pair, *nodes):
    def svc(i):
        return next((n[i] for n in nodes if i in n), "?")
    ends = sorted(pair)
    return "-".join(sorted(svc(i) for i in ends)) if len(ends) == 2 else svc(ends[0]) + " (self)"


def fmt(items, render):
    items = sorted(render(x) for x in items)
    more = f" +{len(items) - CAP}" if len(items) > CAP else ""
    return ", ".join(items[:CAP]) + more


def pct(n, d):
    return f"{n}/{d} ({100.0 * n / d:.1f}%)" if d else f"{n}/{d} (-)"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("templates", nargs="*", type=Path)
    ap.add_argument("--list", type=Path, help="file with one template path per line")
    ap.add_argument("--bin", type=Path, default=DEFAULT_BIN)
    ap.add_argument("--json", type=Path, help="write the totals as JSON here")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 4)
    args = ap.parse_args()
    paths = list(args.templates)
    if args.list:
        paths += [Path(l.strip()) for l in args.list.read_text().splitlines() if l.strip()]
    if not paths:
        paths = sorted(p for p in DEFAULT_CORPUS.rglob("template.y*ml")
                       if p.name in ("template.yaml", "template.yml"))
    if not args.bin.exists():
        sys.exit(f"no archsketch binary at {args.bin}")

    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda p: compare(args.bin, p), paths))

    tot = Counter()
    kinds, refused, broken = Counter(), Counter(), []
    for r in results:
        if r["status"] == "translator":
            refused[r["why"]] += 1
            continue
        if r["status"] == "archsketch":
            broken.append(f"{r['path']}: {r['why']}")
            continue
        (na, sa, ca, oa), (nb, sb, cb, ob) = r["A"], r["B"]
        tot["compared"] += 1
        for key, x, y in (("svc", sa, sb), ("conn", ca, cb), ("ord", oa, ob)):
            tot[key + "_a"] += len(x)
            tot[key + "_b"] += len(y)
            tot[key + "_both"] += len(x & y)
        if sa == sb and ca == cb and oa == ob:
            continue
        tot["differ"] += 1
        ids = lambda s: s[0] + ":" + s[1]  # noqa: E731
        pairs = lambda p: "~".join(sorted(p)) if len(p) == 2 else next(iter(p)) + "~self"  # noqa: E731
        parts = [r["path"]]
        for label, x in (("-svc", sa - sb), ("+svc", sb - sa)):
            if x:
                parts.append(f"{label} {fmt(x, ids)}")
        for label, x in (("-conn", ca - cb), ("+conn", cb - ca)):
            if x:
                parts.append(f"{label} {fmt(x, pairs)}")
        shared = ca & cb  # edges joining the same pair, differing in direction or kind
        oma = {e for e in oa - ob if frozenset(e[:2]) in shared}
        omb = {e for e in ob - oa if frozenset(e[:2]) in shared}
        for label, x in (("-ord", oma), ("+ord", omb)):
            if x:
                parts.append(f"{label} {fmt(x, lambda e: '%s>%s:%s' % e)}")
        print(" | ".join(parts))
        for _, s in sa - sb:
            kinds[f"missing service {s} (made by SAM)"] += 1
        for _, s in sb - sa:
            kinds[f"extra service {s} (not in SAM's deployment)"] += 1
        for p in ca - cb:
            kinds[f"missing connection {pair_name(p, na, nb)}"] += 1
        for p in cb - ca:
            kinds[f"extra connection {pair_name(p, nb, na)}"] += 1
        for f, t, k in oma:
            kinds[f"edge drawn otherwise than SAM's {na.get(f, '?')}>{na.get(t, '?')}:{k}"] += 1

    print()
    print(f"templates: {len(paths)}; compared {tot['compared']} ({tot['differ']} differ); "
          f"translator refused {sum(refused.values())}; archsketch refused either side "
          f"{len(broken)}")
    if refused:
        print("translator refused, by reason:")
        for why, n in refused.most_common(12):
            print(f"  {n:4d}  {why}")
    for b in broken[:10]:
        print(f"  archsketch refused: {b}")
    figs = {}
    for key in ("svc", "conn", "ord"):
        both, a, b = tot[key + "_both"], tot[key + "_a"], tot[key + "_b"]
        figs[key] = {"both": both, "translated": a, "sam": b,
                     "recall": both / a if a else None, "precision": both / b if b else None}
    print(f"TOTAL services recall {pct(figs['svc']['both'], figs['svc']['translated'])} "
          f"precision {pct(figs['svc']['both'], figs['svc']['sam'])}; "
          f"connections recall {pct(figs['conn']['both'], figs['conn']['translated'])} "
          f"precision {pct(figs['conn']['both'], figs['conn']['sam'])}; "
          f"ordered connections recall {pct(figs['ord']['both'], figs['ord']['translated'])} "
          f"precision {pct(figs['ord']['both'], figs['ord']['sam'])}")
    print("most common differences:")
    for what, n in kinds.most_common(15):
        print(f"  {n:4d}  {what}")
    if args.json:
        out = {"templates": len(paths), "compared": tot["compared"], "differ": tot["differ"],
               "translator_refused": sum(refused.values()),
               "translator_reasons": dict(refused.most_common()),
               "archsketch_refused": len(broken), "archsketch_refused_files": broken,
               "services": figs["svc"], "connections": figs["conn"],
               "ordered_connections": figs["ord"], "top_differences": kinds.most_common(15)}
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
