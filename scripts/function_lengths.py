#!/usr/bin/env python3
"""Lists C++ function bodies longer than a limit (default 80 lines) under the given folders.

A heuristic brace scanner (comments, strings and character literals are skipped): a body is a
`{ ... }` block at namespace or class level whose opening line looks like a function head
(has a `)` before the `{`, or is a lambda/constructor initializer list). Used by tests/docs.cmake
(architecture rules, docs/architecture.md) and by hand: scripts/function_lengths.py src tools include
"""
import os
import re
import sys


def strip(text):
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            seg = text[i:(n if j < 0 else j + 2)]
            out.append("\n" * seg.count("\n"))
            i = n if j < 0 else j + 2
        elif text.startswith('R"', i):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            if not m:
                out.append(c)
                i += 1
                continue
            end = ")" + m.group(1) + '"'
            j = text.find(end, i + m.end())
            seg = text[i:(n if j < 0 else j + len(end))]
            out.append('""' + "\n" * seg.count("\n"))
            i = n if j < 0 else j + len(end)
        elif c in "\"'":
            if c == "'" and i > 0 and (text[i - 1].isalnum()):  # digit separator 1'000
                out.append(c)
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


HEAD = re.compile(r"\)\s*(const|noexcept|override|final|mutable|->[^{;]*|\s)*$|^\s*:\s*\w|\)\s*:\s*[\w:]+[({]")


def functions(path, limit):
    text = strip(open(path, encoding="utf-8", errors="replace").read())
    depth, stack, found = 0, [], []
    line = 1
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\n":
            line += 1
        elif c == "{":
            prefix = text[max(0, text.rfind(";", 0, i), text.rfind("}", 0, i), text.rfind("{", 0, i)) + 1:i]
            is_fn = bool(re.search(r"\)\s*(const|noexcept|override|final|mutable|\s|->\s*[\w:<>,\s*&]+)*$", prefix)) \
                and not re.search(r"\b(if|for|while|switch|catch)\s*\(", prefix.split("\n")[-1] if prefix.strip() else "")
            enclosing_fn = any(f for f, _ in stack)
            stack.append((is_fn and not enclosing_fn, line))
        elif c == "}":
            if stack:
                is_fn, start = stack.pop()
                if is_fn and line - start + 1 > limit:
                    found.append((path, start, line - start + 1))
        i += 1
    return found


def main(argv):
    limit = 80
    roots = []
    for a in argv:
        if a.startswith("--limit="):
            limit = int(a.split("=", 1)[1])
        else:
            roots.append(a)
    bad = []
    for root in roots:
        for dirpath, _, files in os.walk(root):
            for f in sorted(files):
                if f.endswith((".cpp", ".hpp", ".h", ".cc")):
                    bad += functions(os.path.join(dirpath, f), limit)
    for path, start, length in sorted(bad, key=lambda t: -t[2]):
        print(f"{path}:{start}: function body of {length} lines (limit {limit})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
