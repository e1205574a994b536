#!/usr/bin/env python3
"""Copies the reference corpus (real profiles + the real jeprof's outputs) into fixtures/corpus.

Usage: scripts/import-corpus.py [../shared/corpus]

Tests never read ../shared: this script is how fixtures/corpus is refreshed. It keeps each case's
program, heap files, sources, edge files, refs/commands.tsv and every ref's stdout and exit code
(the goldens, written by /usr/bin/jeprof), plus system-libs.json: the sha256 of every library the
profiles map, so the golden tests can say so when this machine's libraries differ from the ones
the goldens were made with.
"""
import json, os, shutil, sys

src_root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'corpus'))
dst_root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'corpus')
for case in sorted(os.listdir(src_root)):
    src = os.path.join(src_root, case)
    if not os.path.isfile(os.path.join(src, 'refs', 'commands.tsv')):
        continue
    dst = os.path.join(dst_root, case)
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(os.path.join(dst, 'refs'))
    meta = json.load(open(os.path.join(src, 'case.json')))
    keep = ['app', *meta.get('sources', [])] + [h['file'] for h in meta.get('heap_files', [])]
    for name in keep:
        shutil.copy2(os.path.join(src, name), os.path.join(dst, name))
    if os.path.isdir(os.path.join(src, 'edges')):
        shutil.copytree(os.path.join(src, 'edges'), os.path.join(dst, 'edges'))
    for name in os.listdir(os.path.join(src, 'refs')):
        if name == 'commands.tsv' or name.endswith('.stdout') or name.endswith('.rc') or name == 'variants.tsv':
            shutil.copy2(os.path.join(src, 'refs', name), os.path.join(dst, 'refs', name))
    libs = {}
    for key, objs in meta.items():
        if key.startswith('mapped_objects'):
            for o in objs:
                if not o['path'].startswith('/opt/jeprof-corpus/'):
                    libs[o['path']] = o['sha256']
    json.dump({'system_libraries': libs, 'environment': meta.get('environment', {})}, open(os.path.join(dst, 'system-libs.json'), 'w'), indent=1, sort_keys=True)
    for root, _dirs, files in os.walk(dst):
        for f in files:
            os.chmod(os.path.join(root, f), 0o755 if f == 'app' else 0o644)
    print('imported', case)
