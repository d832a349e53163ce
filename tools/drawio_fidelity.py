#!/usr/bin/env python3
"""Measure how faithfully `archsketch import --all-pages` reads real draw.io AWS diagrams.

Every page of every draw.io file is decoded here, independently of archsketch, and counted:
AWS icons and boxes (vertices naming an mxgraph.aws4/aws3/aws3d/aws2/aws stencil, decorations
such as arrows and lines left out; boxes are aws4 group shapes, and plain shapes labelled VPC,
subnet, AZ, region, ... that enclose another shape), each box with an expected kind; icon
names (own label, else the nearest text under or beside it); arrows glued at both ends, and
arrows with a loose end within 8 units of a shape. Then `BIN import FILE --all-pages -o TMP`
is run and its NN-slug.ron designs are read: an icon is imported when a Node has the cell's
design id, a box when a Group has it (kind right: the expected kind; counted over imported
boxes), a name is kept when the node's label equals it, an arrow when an Edge joins the same
ids (a loose end, or one glued to text, accepts any id). A refusal (exit 2), failure or
timeout (30 s) counts the whole file as missed. Printed: a per-file table, totals, a stencil
-> service table for a person to judge, what was missed, and `TOTAL icons X/Y (P%) ...`.

Run:  python3 tools/drawio_fidelity.py [--corpus DIR] [--bin PATH] [--files F ...] [--json OUT]
"""
import argparse, base64, html, json, math, os, re, subprocess, sys, tempfile, time, zlib
import urllib.parse
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

AWS_SHAPE = re.compile(r"^mxgraph\.(aws4|aws3d|aws3|aws2|aws)\.")
DECORATION = ("arrow", "line", "connector", "dashed", "callout", "edge")
GREEN = {"#7AA116", "#248814", "#E9F3E6", "#F2F6E8"}
STENCIL_KINDS = [  # (start of the stencil's last name part, or part of the name; kind)
    ("group_aws_cloud", "AwsCloud"), ("aws.groups.aws_cloud", "AwsCloud"),
    ("group_account", "Account"), ("group_region", "Region"), ("group_vpc", "Vpc"),
    ("group_availability_zone", "AvailabilityZone"), ("virtual_private_cloud", "Vpc"),
    ("group_security_group", "subnet"), ("group_subnet", "subnet"),
    ("group_auto_scaling_group", "AutoScalingGroup"),
    ("group_corporate_data_center", "OnPremises"), ("group_on_premise", "OnPremises")]
LABEL_KINDS = [  # words in the labels of plain boxes, most specific first
    ("security groups?", "SecurityGroup"), ("auto ?scaling groups?", "AutoScalingGroup"),
    ("public subnets?", "PublicSubnet"), ("private subnets?", "PrivateSubnet"),
    ("subnets?", "subnet"), ("availability zones?|az", "AvailabilityZone"),
    ("vpcs?", "Vpc"), ("regions?", "Region"), ("aws cloud", "AwsCloud")]
NEAR, ASIDE, TOUCH, TIMEOUT, MISSED_CAP = 64, 24, 8, 30, 200
COLUMNS = ["pages", "aws_pages", "written", "icons", "icons_ok", "boxes", "boxes_ok",
           "kinds_ok", "names", "names_ok", "glued", "glued_ok", "touching", "touching_ok"]
HEAD = ["pages", "awsPg", "wrote", "icons", "imp", "boxes", "imp", "kind", "names", "kept",
        "glued", "kept", "touch", "kept"]
RATIOS = [("icons", "icons_ok", "icons", "AWS icons imported"),
          ("boxes", "boxes_ok", "boxes", "AWS boxes imported"),
          ("kinds", "kinds_ok", "boxes_ok", "box kinds right (of imported boxes)"),
          ("names", "names_ok", "names", "names kept"),
          ("glued", "glued_ok", "glued", "arrows glued at both ends kept"),
          ("touching", "touching_ok", "touching", "arrows touching shapes kept")]


# ------------------------------------------------------------------ reading draw.io
def decode_text(text):
    """base64 -> raw deflate (or zlib) -> URL-decoding -> mxGraphModel XML text."""
    data = base64.b64decode(text.strip())
    try:
        raw = zlib.decompress(data, -15)
    except zlib.error:
        raw = zlib.decompress(data)
    return urllib.parse.unquote(raw.decode("utf-8", errors="replace"))


def load_pages(path):
    """[(page name, mxGraphModel element or None)] in file order."""
    root = ET.parse(path).getroot()
    if root.tag == "mxGraphModel":
        return [("Page-1", root)]
    out = []
    for i, d in enumerate(root.iter("diagram")):
        model = d.find("mxGraphModel")
        if model is None and (d.text or "").strip():
            try:
                model = ET.fromstring(decode_text(d.text))
            except (ValueError, zlib.error, ET.ParseError):
                pass
        out.append((d.get("name") or "Page-%d" % (i + 1), model))
    return out


def clean_label(s):
    s = re.sub(r"<\s*/?\s*(br|div|p|li|ul|ol|tr|td|h\d)\b[^>]*>", " ", s or "", flags=re.I)
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", s)).split())


def parse_style(s):
    """'text;html=1;shape=x' -> {'text': None, 'html': '1', 'shape': 'x'}"""
    parts = [p.partition("=") for p in (s or "").split(";")]
    return {k.strip(): (v.strip() if eq else None) for k, eq, v in parts if k.strip()}


class Cell:
    """One mxCell; for an <object>/<UserObject> wrapper, with the wrapper's id and label."""

    def __init__(self, wrapper, cell):
        self.id = wrapper.get("id") or ""
        self.label = clean_label(wrapper.get("label") if wrapper is not cell else cell.get("value"))
        self.parent, self.style = cell.get("parent"), parse_style(cell.get("style"))
        self.vertex, self.edge = cell.get("vertex") == "1", cell.get("edge") == "1"
        self.source, self.target = cell.get("source"), cell.get("target")
        g = cell.find("mxGeometry")
        num = lambda e, k: float(e.get(k) or 0) if e is not None else 0.0
        self.x, self.y, self.w, self.h = (num(g, k) for k in ("x", "y", "width", "height"))
        self.points = {p.get("as"): (num(p, "x"), num(p, "y"))
                       for p in (g.iter("mxPoint") if g is not None else ())}


def page_cells(model):
    root = model.find("root") if model is not None else None
    return [Cell(el, el if el.tag == "mxCell" else el.find("mxCell"))
            for el in (root if root is not None else ())
            if el.tag == "mxCell" or el.find("mxCell") is not None]


def design_ids(cells):
    """cell id -> design id as archsketch derives it (collisions get -2, -3, ...)."""
    ids, taken = {}, set()
    for c in (c for c in cells if c.vertex and c.id not in ids):
        base = re.sub(r"[^A-Za-z0-9_.-]", "_", c.id[:64]) or "cell"
        new, n = base, 1
        while new in taken:
            n, new = n + 1, "%s-%d" % (base, n + 1)
        taken.add(new)
        ids[c.id] = new
    return ids


# ------------------------------------------------------------------ the oracle
def stencil(c):
    """The AWS stencil a vertex names, or None (no AWS stencil, or a decoration)."""
    st, shape = c.style, c.style.get("shape") or ""
    icons = [st.get(k) or "" for k in ("resIcon", "prIcon", "grIcon")]
    if not AWS_SHAPE.match(shape) and not any(i.startswith("mxgraph.aws4.") for i in icons):
        return None
    if shape.endswith((".resourceIcon", ".productIcon")) or not AWS_SHAPE.match(shape):
        name = st.get("resIcon") or st.get("prIcon") or st.get("grIcon") or shape
    else:
        name = shape.endswith((".group", ".groupCenter")) and st.get("grIcon") or shape
    words = re.findall(r"[A-Za-z][a-z0-9]*", name.rsplit(".", 1)[-1])  # snake and camel case
    return None if any(w.lower().startswith(DECORATION) for w in words) else name


def is_text(c):
    st = c.style
    return "text" in st or st.get("shape") == "text" \
        or (st.get("strokeColor") == "none" and st.get("fillColor") == "none")


def subnet_kind(c, kind):
    """Public or private subnet (or a security group) for the boxes of subnet stencils."""
    low = c.label.lower()
    if kind != "subnet" or re.search(r"\bsecurity group", low):
        return kind if kind != "subnet" else "SecurityGroup"
    colours = {(c.style.get(k) or "").upper() for k in ("strokeColor", "fillColor")}
    public = "private" not in low and ("public" in low or colours & GREEN)
    return "PublicSubnet" if public else "PrivateSubnet"


def box_kind(c, name=None):
    """The kind of a box with an AWS stencil `name`, or of a plain box by its label (or None)."""
    if name:
        return next((subnet_kind(c, kind) for key, kind in STENCIL_KINDS
                     if name.rsplit(".", 1)[-1].startswith(key) or key in name), "Generic")
    return next((subnet_kind(c, kind) for words, kind in LABEL_KINDS
                 if re.search(r"\b(%s)\b" % words, c.label, re.I)), None)


def touched(pt, verts, rect, big):
    """The vertex a loose arrow end lies on (on the border of a big box), or None."""
    px, py = pt
    best = None
    for c in verts:
        x0, y0, x1, y1 = rect[c.id]
        out = math.hypot(max(x0 - px, 0, px - x1), max(y0 - py, 0, py - y1))
        if out <= TOUCH and (c.id not in big or min(px - x0, x1 - px, py - y0, y1 - py) <= TOUCH):
            area = (x1 - x0) * (y1 - y0)
            if best is None or area < best[0]:  # the smallest shape there
                best = (area, c)
    return best and best[1]


def describe(c):
    """A short name for a cell in the lists of what was missed."""
    name = stencil(c) or c.style.get("shape") or next(iter(c.style), None) or c.id
    return c.label[:40] or name.rsplit(".", 1)[-1]


def name_icons(icons, texts, rect):
    """icon id -> expected name: own label, else the nearest unused text under or beside."""
    names, pairs, used = {c.id: c.label for c, _ in icons if c.label}, [], set()
    gap = lambda a0, a1, b0, b1: max(b0 - a1, a0 - b1)  # negative when overlapping
    for c in (c for c, _ in icons if not c.label):
        ix0, iy0, ix1, iy1 = rect[c.id]
        for t in texts:
            tx0, ty0, tx1, ty1 = rect[t.id]
            if -4 <= ty0 - iy1 <= NEAR and gap(ix0, ix1, tx0, tx1) <= ASIDE:
                pairs.append((ty0 - iy1, 0, c.id, t))
            side = [d for d in (tx0 - ix1, ix0 - tx1) if -4 <= d <= NEAR]
            if side and gap(iy0, iy1, ty0, ty1) <= 0:
                pairs.append((min(side), 1, c.id, t))  # text under wins a tie
    for _, _, cid, t in sorted(pairs, key=lambda p: p[:2]):
        if cid not in names and t.id not in used:
            names[cid] = t.label
            used.add(t.id)
    return names


def analyse(cells):
    """The oracle's view of one page."""
    by_id, edge_ids, memo = {c.id: c for c in cells}, {c.id for c in cells if c.edge}, {}

    def origin(cid, seen=()):  # absolute top-left of a vertex, (0, 0) for layers
        c = by_id.get(cid)
        if c is None or not c.vertex or cid in seen:
            return (0.0, 0.0)
        if cid not in memo:
            px, py = origin(c.parent, seen + (cid,))
            memo[cid] = (c.x + px, c.y + py)
        return memo[cid]

    verts = [c for c in cells if c.vertex and c.parent not in edge_ids]  # no edge labels
    rect = {c.id: origin(c.id) + (origin(c.id)[0] + c.w, origin(c.id)[1] + c.h) for c in verts}
    parents = {c.parent for c in verts}

    def encloses(c):
        x0, y0, x1, y1 = rect[c.id]
        return any(r is not rect[c.id] and x0 <= r[0] and y0 <= r[1] and r[2] <= x1
                   and r[3] <= y1 for r in rect.values())

    icons, boxes, texts = [], [], []
    for c in verts:
        name = stencil(c)
        if name and ((c.style.get("shape") or "").endswith((".group", ".groupCenter"))
                     or "group" in name.rsplit(".", 1)[-1] or "groups." in name):
            boxes.append((c, name, box_kind(c, name)))
        elif name:
            icons.append((c, name))
        elif is_text(c):
            texts += [c] if c.label else []
        elif len(c.label) <= 80 and box_kind(c) and (c.id in parents or encloses(c)):
            boxes.append((c, "label: " + c.label, box_kind(c)))
    # arrows: each end is a glued vertex id, None (loose, touching a shape) or False
    big = {c.id for c, _, _ in boxes} | parents | {
        c.id for c in verts if c.style.get("container") == "1"}
    targets = [c for c in verts if stencil(c) or not AWS_SHAPE.match(c.style.get("shape") or "")]
    vertex_ids, glued, touching = {c.id for c in cells if c.vertex}, [], []
    for e in (c for c in cells if c.edge):
        ends, near = [], []
        for glue, point in ((e.source, "sourcePoint"), (e.target, "targetPoint")):
            hit = None
            if glue not in vertex_ids and point in e.points:
                ox, oy = origin(e.parent)
                hit = touched((e.points[point][0] + ox, e.points[point][1] + oy),
                              targets, rect, big)
            ends.append(glue if glue in vertex_ids else None if hit else False)
            near.append(hit)
        if False not in ends:
            (glued if None not in ends else touching).append((e, ends, near))
    return dict(rect=rect, icons=icons, boxes=boxes, names=name_icons(icons, texts, rect), glued=glued,
                touching=touching, by_id=by_id,
                texts={c.id for c in cells if c.vertex and is_text(c)})


# ------------------------------------------------------------------ archsketch's designs
STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}


def ron_string(tok):
    """The text of a RON string literal (with its quotes)."""
    return re.sub(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)",
                  lambda m: chr(int(m.group(1)[1:].strip("{}"), 16)) if len(m.group(1)) > 1
                  else ESCAPES.get(m.group(1), m.group(1)), tok[1:-1])


def read_design(path):
    """{'Node': [{field: value}], 'Edge': [...], 'Group': [...]}, one element a line."""
    out = {"Node": [], "Edge": [], "Group": []}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*(Node|Edge|Group)\(", line)
        if m:
            strings = STRING.findall(line)  # fields outside strings; map keys are strings
            skeleton = STRING.sub(lambda _, n=iter(range(len(strings))): "@%d" % next(n), line)
            fields = {}
            props = re.search(r"props: \{([^}]*)\}", skeleton)
            if props:  # a map of strings: "@k: @v" pairs
                fields["props"] = {ron_string(strings[int(k)]): ron_string(strings[int(v)])
                                   for k, v in re.findall(r"@(\d+): @(\d+)", props.group(1))}
            for key, val in re.findall(r"\b([A-Za-z_]\w*): (@\d+|\w+)", skeleton):
                fields.setdefault(key, ron_string(strings[int(val[1:])])
                                  if val.startswith("@") else val)
            out[m.group(1)].append(fields)
    return out


def run_import(binary, path, outdir):
    """(status, {page index: design}, stderr)."""
    try:
        p = subprocess.run([binary, "import", str(path), "--all-pages", "-o", outdir],
                           capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return "timeout", {}, ""
    if p.returncode != 0:
        return ("refused" if p.returncode == 2 else "rc=%d" % p.returncode), {}, p.stderr
    files = [(re.match(r"(\d+)-", f.name), f) for f in sorted(Path(outdir).glob("*.ron"))]
    return "ok", {int(m.group(1)) - 1: read_design(f) for m, f in files if m}, p.stderr


# ------------------------------------------------------------------ comparing
# Icons AWS 3 and older draw on a box's corner to say what the box is, and that kind.
CORNER_ICONS = [("virtual_private_cloud", "Vpc"), ("virtual_private_cloud_icon", "Vpc"),
                ("aws3.vpc", "Vpc"), ("aws3.cloud", "AwsCloud"), ("cloud_2", "AwsCloud"),
                ("aws_cloud_icon", "AwsCloud"), ("corporate_data_center", "OnPremises"),
                ("corporate_data_center_icon", "OnPremises"), ("auto_scaling", "AutoScalingGroup"),
                ("vpc_subnet_icon", "PrivateSubnet")]


def measure_page(pg, design, ids, where, counts, pairs, missed):
    nodes = {n.get("id"): n for n in design["Node"]}
    groups = {g.get("id"): g for g in design["Group"]}

    def tally(key, ok, cid, why):
        counts[key] += 1
        counts[key + "_ok"] += bool(ok)
        if not ok and why:
            missed.append((*where, cid, why))

    def framed(g):  # a group's drawn box, from its x/y/width/height properties
        try:
            p = g.get("props", {})
            x, y = float(p["x"]), float(p["y"])
            return (x, y, x + float(p["width"]), y + float(p["height"]))
        except (KeyError, ValueError):
            return None

    def on_a_box(c, name):
        """An icon on a box's border that tells the box's kind (AWS 3's VPC, cloud...)."""
        kind = next((k for w, k in CORNER_ICONS if name.endswith(w)), None)
        x0, y0, x1, y1 = pg["rect"][c.id]
        cx, cy, reach = (x0 + x1) / 2, (y0 + y1) / 2, max(x1 - x0, y1 - y0) / 2 + 8
        for g in groups.values():
            r = framed(g)
            if kind and r and g.get("kind") == kind:
                out = math.hypot(max(r[0] - cx, 0, cx - r[2]), max(r[1] - cy, 0, cy - r[3]))
                inside = min(cx - r[0], r[2] - cx, cy - r[1], r[3] - cy)
                if out <= reach if out > 0 else inside <= reach:
                    return g
        return None

    for c, name in pg["icons"]:
        node = nodes.get(ids.get(c.id))
        box = None if node else on_a_box(c, name)
        got = node.get("service", "?") if node else ("box " + box["kind"] if box else "-")
        pairs[(name, got)] += 1
        tally("icons", node or box, c.id, "icon %s %r" % (name, c.label[:40]))
    for c, name, kind in pg["boxes"]:
        grp = groups.get(ids.get(c.id))
        got = (grp or {}).get("kind", "Generic")
        tally("boxes", grp, c.id, "box not imported: %s (%s)" % (name, kind))
        counts["kinds_ok"] += grp is not None and got == kind
        if grp and got != kind:
            missed.append((*where, c.id, "box kind %s, expected %s: %s" % (got, kind, name)))
    for cid, want in pg["names"].items():
        node = nodes.get(ids.get(cid))
        got = " ".join((node or {}).get("label", "").split())
        tally("names", node and got == want, cid, node and "name %s %r, expected %r" % (
            "differs:" if got else "lost:", got[:60], want[:60]))
    def inner(cid):  # design ids of the elements drawn on a cell, or None for any
        x0, y0, x1, y1 = pg["rect"].get(cid, (0, 0, 0, 0))
        on = {ids.get(o) for o, (a, b, c, d) in pg["rect"].items()
              if o != cid and x0 <= (a + c) / 2 <= x1 and y0 <= (b + d) / 2 <= y1}
        return frozenset(on) or None

    edges = [(e.get("from"), e.get("to")) for e in design["Edge"]]
    free = [True] * len(edges)
    for key in ("glued", "touching"):  # the most specific first; a design edge counts once
        wanted = []
        for e, ends, near in pg[key]:
            # A glued end must be its own cell; a loose one the cell it touches (the oracle's
            # own pick); an end on a text box may be whatever the text names.
            pat = [None if (end or getattr(n, "id", None)) in pg["texts"] or not (end or n)
                   else ids.get(end or n.id) for end, n in zip(ends, near)]
            # An end on a shape that became nothing (a card drawn behind an icon) may be
            # what lies on it.
            pat = [p if p is None or p in nodes or p in groups else inner(end or n.id)
                   for p, end, n in zip(pat, ends, near)]
            wanted.append((sum(p is None or isinstance(p, frozenset) for p in pat),
                           e, pat, ends, near))
        for _, e, pat, ends, near in sorted(wanted, key=lambda w: w[0]):
            # The cell each loose end touches first, else any cell there.
            lenient = [p if end else None for end, p in zip(ends, pat)]
            hit = None
            for want in (pat, lenient):
                # Either way round: archsketch turns arrows drawn against the data flow.
                def fits(w, x):
                    return w is None or w == x or (isinstance(w, frozenset) and x in w)
                hit = next((i for i, (f, t) in enumerate(edges) if free[i]
                            and ((fits(want[0], f) and fits(want[1], t))
                                 or (fits(want[0], t) and fits(want[1], f)))), None)
                if hit is not None:
                    break
            if hit is not None:
                free[hit] = False
            shown = [describe(pg["by_id"][x]) if x else "~" + describe(n)
                     for x, n in zip(ends, near)]
            loop = " (loop)" if ends[0] and ends[0] == ends[1] else ""
            tally(key, hit is not None, e.id, "%s arrow %s -> %s%s" % (key, *shown, loop))


def measure_file(path, binary):
    counts, pairs, missed = Counter({k: 0 for k in COLUMNS}), Counter(), []
    pages = load_pages(path)
    with tempfile.TemporaryDirectory() as tmp:
        status, designs, stderr = run_import(binary, path, tmp)
    counts["pages"], counts["written"] = len(pages), len(designs)
    for i, (name, model) in enumerate(pages):
        cells = page_cells(model)
        pg = analyse(cells)
        if pg["icons"] or any(not b[1].startswith("label: ") for b in pg["boxes"]):
            counts["aws_pages"] += 1
            if i not in designs:
                missed.append((path.name, "%d %s" % (i + 1, name), "-",
                               "page with AWS shapes, no design written"))
        design = designs.get(i, {"Node": [], "Edge": [], "Group": []})
        measure_page(pg, design, design_ids(cells), (path.name, str(i + 1)),
                     counts, pairs, missed)
    return status, counts, pairs, missed, stderr


# ------------------------------------------------------------------ report
def pct(a, b):
    return "%d/%d (%s)" % (a, b, "%.1f%%" % (100.0 * a / b) if b else "-")


def suspicious(stencil_name, service):
    """No word of the service id in the stencil name, and none the other way round."""
    skip = ("aws", "amazon")
    short = stencil_name.lower().rsplit(".", 1)[-1]
    sw = [w for w in service.lower().split("_") if len(w) > 1 and w not in skip]
    nw = [w for w in re.split(r"[_.]", short) if len(w) > 1 and w not in skip]
    return service != "-" and not any(w in short.replace("_", "") for w in sw) \
        and not any(w in service.replace("_", "") for w in nw)


def corpus_files(corpus, only):
    tsv = corpus / "SOURCES.tsv"
    rows = tsv.read_text(encoding="utf-8").splitlines()[1:] if tsv.exists() else []
    listed = [r.split("\t")[0] for r in rows if r.strip()]
    found = sorted(f.name for f in corpus.iterdir()
                   if f.name.endswith((".drawio", ".xml", ".dio")))  # .drawio.xml ends in .xml
    names = listed + [f for f in found if f not in listed]
    names = [n for n in names if not only or any(o in n for o in only)]
    return [corpus / n for n in names if (corpus / n).is_file()]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="/work/corpus/drawio", type=Path)
    ap.add_argument("--bin", default="/work/main/target/release/archsketch")
    ap.add_argument("--files", nargs="+", help="only these files (names or parts of names)")
    ap.add_argument("--json", help="write the totals (and per-file counts) as JSON here")
    args = ap.parse_args(argv)
    try:
        helptext = subprocess.run([args.bin, "import", "--help"], capture_output=True,
                                  text=True, timeout=TIMEOUT).stdout
    except (OSError, subprocess.TimeoutExpired) as err:
        sys.exit("cannot run %s: %s" % (args.bin, err))
    if "--all-pages" not in helptext:
        sys.exit("%s import has no --all-pages option; nothing measured" % args.bin)
    built = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(os.path.getmtime(args.bin)))
    print("binary %s (built %s), corpus %s\n" % (args.bin, built, args.corpus))

    total, pairs, missed, rows, trouble = Counter(), Counter(), [], [], []
    for path in corpus_files(args.corpus, args.files):
        try:
            status, counts, fpairs, fmissed, stderr = measure_file(path, args.bin)
        except (ET.ParseError, OSError, ValueError) as err:
            trouble.append("%s: cannot read the draw.io file (%s), left out" % (path.name, err))
            continue
        if status != "ok":
            last = (stderr.strip().splitlines() or [""])[-1][:150]
            trouble.append("%s: %s, all of it counted as missed. %s" % (path.name, status, last))
        rows.append((path.name, status, counts))
        total.update(counts)
        pairs.update(fpairs)
        missed.extend(fmissed)

    print("%-60s" % "file" + "".join("%6s" % h for h in HEAD))
    for name, status, c in rows:
        label = name if status == "ok" else "[%s] %s" % (status, name)
        print("%-60s" % label[:60] + "".join("%6d" % c[k] for k in COLUMNS))
    print("\nCorpus totals: %d files, %d pages, %d with AWS shapes, %d designs written" % (
        len(rows), total["pages"], total["aws_pages"], total["written"]))
    for _, ok, of, title in RATIOS:
        print("  %-38s %s" % (title, pct(total[ok], total[of])))
    for t in trouble:
        print("  !! " + t)

    print("\nStencil -> service archsketch gave (count; '-' not imported, '?' no shared word)")
    for (name, service), n in sorted(pairs.items(), key=lambda p: (-p[1], p[0])):
        print("  %5d  %-48s %-24s %s" % (n, name, service, "?" * suspicious(name, service)))

    print("\nMissed (%d%s)" % (len(missed), ", first %d shown" % MISSED_CAP
                               if len(missed) > MISSED_CAP else ""))
    for f, page, cid, what in missed[:MISSED_CAP]:
        print("  %s | page %s | %s | %s" % (f[:60], page, cid, what))
    print("\nTOTAL " + " ".join("%s %s" % (key, pct(total[ok], total[of]))
                                for key, ok, of, _ in RATIOS))
    if args.json:
        data = {"binary": args.bin, "built": built, "totals": dict(total), "trouble": trouble,
                "files": {n: {"status": s, **c} for n, s, c in rows}}
        Path(args.json).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
