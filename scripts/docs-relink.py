#!/usr/bin/env python3
"""Turns the plain mentions of pages and examples that did not exist yet when the docs were
written (`cli.md`, `examples/create_room.cpp`, ...) back into links once the files exist.
Usage: scripts/docs-relink.py  (run from anywhere; edits docs/ in place)."""
import os, re, glob
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for page in glob.glob(os.path.join(root, 'docs', '**', '*.md'), recursive=True):
    d = os.path.dirname(page)
    s = open(page).read()
    def page_link(m):
        name = m.group(1)
        return f'[{name}]({name})' if os.path.exists(os.path.join(d, name)) else m.group(0)
    def example_link(m):
        rel = os.path.relpath(os.path.join(root, m.group(1)), d)
        return f'[`{m.group(1)}`]({rel})' if os.path.exists(os.path.join(root, m.group(1))) else m.group(0)
    t = re.sub(r'(?<!\[)(?<!\]\()`([a-z-]+\.md)`(?!\])', page_link, s)
    t = re.sub(r'(?<!\[)(?<!\]\()`(examples/[a-z_/]+\.cpp)`(?!\])', example_link, t)
    if t != s:
        open(page, 'w').write(t)
        print('relinked', os.path.relpath(page, root))
