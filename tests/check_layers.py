#!/usr/bin/env python3
"""Holds the layering of src/ (docs/ARCHITECTURE.md, "Layers"): fails, naming the
files, when

  1. a file includes a header of a higher layer
         core < db, render, http < model < web (and app.h) < portal, admin, cli < main.c
     (render and http need only core; the model uses render/markdown when it writes);
  2. portal/ and admin/ include each other (they meet only in web/);
  3. src files form a cycle: a.c uses a function or variable defined in b.c,
     and b.c, directly or through others, uses one of a.c's.

Rules 1 and 2 read the `#include "..."` lines. Rule 3 reads more, because one
header may declare the functions of several files (http/http.h, portal/portal.h):
it finds, for every .c file, the non-static functions and variables it defines
and the names of other files' definitions that it mentions. A function handed
over as a pointer (a route table naming its handlers) counts as a use, as it
should: the table cannot be built without the handler.

    python3 tests/check_layers.py [SRC_DIR]     exit 0 when every rule holds

SRC_DIR defaults to the src/ folder next to tests/. Comments and string literals
are removed before reading, so a name in a comment is no dependency.
"""
import os
import re
import sys

LAYERS = {
    "core": 0,
    "db": 1, "render": 1, "http": 1,
    "model": 2,
    "web": 3, "app.h": 3, "app.c": 3,
    "portal": 4, "admin": 4, "cli": 4,
    "main.c": 5,
}
APART = {("portal", "admin"), ("admin", "portal")}


INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
IDENT = re.compile(r"[A-Za-z_]\w*")
KEYWORDS = {"if", "for", "while", "switch", "return", "sizeof", "defined", "_Static_assert",
            "static_assert", "__attribute__", "_Alignof", "alignof", "_Generic"}


def part_of(rel):
    """The layer name of a path relative to src/: its folder, or the file itself."""
    head = rel.split("/", 1)[0]
    return head


def strip_code(text):
    """The text without comments, string and character literals (newlines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def without_preprocessor(code):
    """Drops preprocessor lines (with their continuations): #define bodies use
    names, but only where expanded, which the expanding file shows itself."""
    lines, skip = [], False
    for line in code.split("\n"):
        if skip or line.lstrip().startswith("#"):
            skip = line.rstrip().endswith("\\")
            lines.append("")
            continue
        lines.append(line)
    return "\n".join(lines)


def definitions(code):
    """Names of the non-static functions and variables defined at file scope,
    and of the static ones (which shadow other files' names inside this file)."""
    public, private = set(), set()
    depth = 0
    stmt = []            # tokens of the current file-scope statement
    i, n = 0, len(code)
    while i < n:
        c = code[i]
        if c == "{":
            if depth == 0:
                words = [t for t in stmt if IDENT.fullmatch(t)]
                # "name ( ... ) {" is a function; "name [] = {" or "name = {" a variable.
                text = " ".join(stmt)
                m = re.search(r"([A-Za-z_]\w*)\s*\((?:[^()]|\([^()]*\))*\)\s*$", text)
                if m is not None and "=" not in text:
                    name = m.group(1)
                    (private if "static" in words else public).add(name)
                    stmt = []
                elif "=" in text:
                    vm = re.search(r"([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)*=\s*$", text)
                    if vm is not None and "typedef" not in words:
                        (private if "static" in words else public).add(vm.group(1))
                    stmt.append("{")
            depth += 1
            i += 1
            continue
        if c == "}":
            depth = max(depth - 1, 0)
            i += 1
            continue
        if depth > 0:
            i += 1
            continue
        if c == ";":
            text = " ".join(stmt)
            words = [t for t in stmt if IDENT.fullmatch(t)]
            if words and "typedef" not in words and "extern" not in words and "(" not in text.split("=")[0]:
                vm = re.search(r"([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)*(?:=.*)?$", text)
                if vm is not None and words[0] not in ("struct", "enum", "union") or "=" in text:
                    if vm is not None:
                        (private if "static" in words else public).add(vm.group(1))
            elif words and "(" in text and "static" in words:
                m = re.search(r"([A-Za-z_]\w*)\s*\(", text)
                if m is not None:
                    private.add(m.group(1))
            stmt = []
            i += 1
            continue
        m = IDENT.match(code, i)
        if m is not None:
            stmt.append(m.group(0))
            i = m.end()
            continue
        if not c.isspace():
            stmt.append(c)
        i += 1
    public -= KEYWORDS
    return public, private


def read_tree(src):
    files = {}
    for root, _, names in os.walk(src):
        for name in names:
            if name.endswith((".c", ".h")):
                path = os.path.join(root, name)
                rel = os.path.relpath(path, src).replace(os.sep, "/")
                with open(path, encoding="utf-8", errors="replace") as f:
                    files[rel] = f.read()
    return files


def include_problems(files):
    problems = []
    for rel, text in sorted(files.items()):
        here = part_of(rel)
        for target in INCLUDE.findall(text):
            there = part_of(target)
            if target not in files:
                continue  # a header of a library, or one generated at build time
            if (here, there) in APART:
                problems.append(f"{rel} includes {target}: portal/ and admin/ never include "
                                "each other; what both need belongs in web/")
                continue
            if here not in LAYERS or there not in LAYERS:
                problems.append(f"{rel} includes {target}: {here if here not in LAYERS else there} "
                                "has no layer in tests/check_layers.py")
                continue
            if LAYERS[there] > LAYERS[here]:
                problems.append(f"{rel} includes {target}: {here} (layer {LAYERS[here]}) must not "
                                f"reach up into {there} (layer {LAYERS[there]})")
    return problems


def file_graph(files):
    """Edges a.c -> b.c when a.c names something b.c defines (not static)."""
    defined_by = {}
    code_of, own = {}, {}
    for rel, text in files.items():
        if not rel.endswith(".c"):
            continue
        code = without_preprocessor(strip_code(text))
        public, private = definitions(code)
        code_of[rel] = code
        own[rel] = public | private
        for name in public:
            defined_by.setdefault(name, set()).add(rel)
    graph = {rel: {} for rel in code_of}
    for rel, code in code_of.items():
        for name in set(IDENT.findall(code)) - own[rel]:
            for other in defined_by.get(name, ()):
                graph[rel].setdefault(other, name)
    return graph


def cycles(graph):
    """Strongly connected components of more than one file (Tarjan)."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        work = [(v, iter(sorted(graph[v])))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        while work:
            node, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    advanced = True
                    break
                if w in on:
                    low[node] = min(low[node], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def cycle_problems(files):
    """Every cycle is a problem: there is no list of tolerated ones."""
    graph = file_graph(files)
    problems = []
    for comp in cycles(graph):
        inside = set(comp)
        why = [f"{a} uses {graph[a][b]} ({b})" for a in comp for b in sorted(graph[a]) if b in inside]
        problems.append("a cycle among " + ", ".join(comp) + ":\n      " + "\n      ".join(why))
    return problems


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
    files = read_tree(src)
    if not files:
        print(f"check_layers: no source files under {src}")
        return 1
    problems = include_problems(files) + cycle_problems(files)
    for p in problems:
        print("check_layers: " + p)
    ncs = sum(1 for f in files if f.endswith(".c"))
    print(f"check_layers: {ncs} .c files, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
