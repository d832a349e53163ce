#!/usr/bin/env python3
"""Measures `archsketch diff` on a template collection's git history.

For every commit that modified a CloudFormation template (no SAM transform, no conditions,
no Fn::ForEach, so that what deploys is what is written), the old and new versions are read by
an independent oracle, cfn-lint's template decoder: its resources whose type
assets/cfn-mapping.ron draws as a service. The logical ids added and removed between the
versions are compared with what `archsketch diff --format json` reports as added and removed
services, a rename counting as the old id removed and the new one added.

    python3 tools/diff_history.py REPO_GIT_DIR ARCHSKETCH [--limit N]

Prints one line per disagreement and the totals.
"""
import json, os, re, subprocess, sys, tempfile

from cfnlint.decode import decode_str

repo, binary = sys.argv[1], sys.argv[2]
limit = int(sys.argv[sys.argv.index('--limit') + 1]) if '--limit' in sys.argv else 400
here = os.path.dirname(os.path.abspath(__file__))
mapping = open(os.path.join(here, '..', 'assets', 'cfn-mapping.ron')).read()
services_part = mapping.split('\n    links:')[0]
drawn = set(re.findall(r'type: "(AWS::[^"]+)", service:', services_part))


def git(*args):
    return subprocess.run(['git', '--git-dir', repo, *args], capture_output=True).stdout


def drawn_ids(text):
    """Logical ids of drawn resources, or None when the template is out of scope."""
    try:
        doc, errors = decode_str(text)
    except Exception:
        return None
    if errors or not isinstance(doc, dict):
        return None
    if 'Transform' in doc or 'Conditions' in doc:
        return None
    resources = doc.get('Resources')
    if not isinstance(resources, dict):
        return None
    out = set()
    for rid, r in resources.items():
        if not isinstance(r, dict) or 'ForEach' in str(rid):
            return None
        if isinstance(r.get('Type'), str) and r['Type'] in drawn:
            out.add(rid)
    return out


pairs = []
log = git('log', '--format=@%H %P', '--name-only', '--diff-filter=M', '--', '*.yaml', '*.yml', '*.json', '*.template').decode()
commit = parent = None
for line in log.splitlines():
    if line.startswith('@'):
        parts = line[1:].split()
        commit, parent = parts[0], (parts[1] if len(parts) > 1 else None)
    elif line.strip() and parent:
        pairs.append((parent, commit, line.strip()))
agree = disagree = skipped = unreadable = renames = changes = 0
with tempfile.TemporaryDirectory() as tmp:
    for parent, commit, path in pairs:
        if agree + disagree >= limit:
            break
        old_text = git('show', f'{parent}:{path}').decode('utf8', 'replace')
        new_text = git('show', f'{commit}:{path}').decode('utf8', 'replace')
        old_ids, new_ids = drawn_ids(old_text), drawn_ids(new_text)
        if old_ids is None or new_ids is None:
            skipped += 1
            continue
        ext = os.path.splitext(path)[1] or '.yaml'
        old_file, new_file = os.path.join(tmp, 'old' + ext), os.path.join(tmp, 'new' + ext)
        open(old_file, 'w').write(old_text)
        open(new_file, 'w').write(new_text)
        run = subprocess.run([binary, 'diff', old_file, new_file, '--format', 'json'], capture_output=True, text=True)
        if run.returncode != 0:
            unreadable += 1
            continue
        review = json.loads(run.stdout)
        s = review['services']
        added = {n['id'] for n in s['added']}
        removed = {n['id'] for n in s['removed']}
        for c in s['changed']:
            if c.get('renamed_from'):
                renames += 1
                added.add(c['id'])
                removed.add(c['renamed_from'])
        want_added, want_removed = new_ids - old_ids, old_ids - new_ids
        if want_added or want_removed:
            changes += 1
        if (added, removed) == (want_added, want_removed):
            agree += 1
        else:
            disagree += 1
            print(f'{commit[:8]} {path}: oracle +{sorted(want_added)} -{sorted(want_removed)}; diff +{sorted(added)} -{sorted(removed)}')
print(f'{agree + disagree} template changes compared ({changes} adding or removing drawn resources, {renames} renames found): '
      f'{agree} agree, {disagree} disagree; {skipped} out of scope (SAM, conditions, loops, unparsable), {unreadable} not imported')
