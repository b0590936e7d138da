#!/usr/bin/env python3
"""Runs the examples of a markdown document and checks their outputs.

    doc_examples.py TIEGRAPH ROOT [--update] [DOC.md ...]

DOC defaults to ROOT/docs/query-language.md. What is checked:

- A fenced code block (```cypher or a bare ```) followed, after blank lines,
  by a markdown table: the block is run as a script with `--format markdown`
  and the last table it prints must be the table in the document (cells are
  compared without their padding).
- The same followed by a ```text block: the block is run with the default
  table format and stdout then stderr must be the text block.
- A table whose header is `| function | example | result |` (or `clause`,
  `procedure`, `operator` for the first column): each example (the code
  in the second cell) is run as a query when it starts with a clause, else
  as `RETURN example`, and must give one row of one column whose value (as
  `--format markdown` writes it) is the third cell's code.

Every example runs over ROOT/examples/aspi-2019/graph.json read into memory
(`--in`), unless the line before its block is `<!-- graph: empty -->` (an
empty graph) or `<!-- graph: PATH -->` (PATH from ROOT). Blocks followed by
neither a table nor a text block are not run. The document must also name
every function of `SHOW FUNCTIONS` and every procedure of `SHOW PROCEDURES`
in code (`name(` or `name`), and have at least one example.

With --update the outputs in the document are rewritten from what tiegraph
prints (check the diff before committing it).
"""
import os
import re
import subprocess
import sys

CLAUSE_START = re.compile(
    r"^\s*(MATCH|OPTIONAL|WITH|UNWIND|CALL|RETURN|CREATE|MERGE|FOREACH|SHOW|EXPLAIN|"
    r"PROFILE|LOAD|UNION)\b", re.I)
FENCE = re.compile(r"^```(\w*)\s*$")
GRAPH = re.compile(r"^<!--\s*graph:\s*(\S+)\s*-->\s*$")


def run(tg, root, graph, text, fmt):
    if graph == "empty":
        where = ["--db", ":memory:"]
    else:
        where = ["--in", os.path.join(root, graph)]
    args = [tg, "query"] + where + (["--format", fmt] if fmt else []) + ["-"]
    p = subprocess.run(args, input=text.encode(), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, cwd=root, timeout=120)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def split_cells(line):
    """The cells of a markdown table row (escaped pipes kept as \\|)."""
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells, cur, i = [], "", 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s) and s[i + 1] == "|":
            cur += "\\|"
            i += 2
            continue
        if s[i] == "|":
            cells.append(cur.strip())
            cur = ""
        else:
            cur += s[i]
        i += 1
    cells.append(cur.strip())
    return cells


def is_separator(cells):
    return all(re.fullmatch(r":?-+:?", c) for c in cells)


def table_rows(lines):
    return [split_cells(l) for l in lines if not is_separator(split_cells(l))]


def last_table(out):
    """The lines of the last markdown table in tiegraph's output."""
    tables = all_tables(out)
    return tables[-1] if tables else []


def all_tables(out):
    """The markdown tables in tiegraph's output, each as its lines."""
    tables, cur = [], []
    for line in out.splitlines():
        if line.startswith("|"):
            cur.append(line)
        elif cur:
            tables.append(cur)
            cur = []
    if cur:
        tables.append(cur)
    return tables


def code_of(cell):
    """`x` -> x (the code of a cell written in backquotes; `` `a` `` too)."""
    m = re.fullmatch(r"(`+)\s?(.*?)\s?\1", cell)
    return m.group(2) if m else cell


def as_code(text):
    ticks = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return ticks + pad + text + pad + ticks


def example_query(example):
    q = example.replace("\\|", "|")
    return q if CLAUSE_START.match(q) else "RETURN " + q


class Doc:
    def __init__(self, tg, root, path, update):
        self.tg, self.root, self.path, self.update = tg, root, path, update
        with open(path, encoding="utf-8") as f:
            self.lines = f.read().split("\n")
        self.failures = 0
        self.checked = 0

    def fail(self, lineno, what):
        self.failures += 1
        rel = os.path.relpath(self.path, self.root)
        print(f"FAIL {rel}:{lineno}: {what}")

    def check(self):
        out = []
        i = 0
        n = len(self.lines)
        while i < n:
            line = self.lines[i]
            m = FENCE.match(line)
            if m and m.group(1) in ("", "cypher"):
                graph = "examples/aspi-2019/graph.json"
                g = GRAPH.match(self.lines[i - 1]) if i > 0 else None
                if g:
                    graph = g.group(1)
                j = i + 1
                while j < n and not self.lines[j].startswith("```"):
                    j += 1
                block = self.lines[i + 1:j]
                out.extend(self.lines[i:j + 1])
                k = j + 1
                while k < n and self.lines[k].strip() == "":
                    k += 1
                if k < n and self.lines[k].startswith("|"):
                    e = k
                    while e < n and self.lines[e].startswith("|"):
                        e += 1
                    out.extend(self.lines[j + 1:k])
                    out.extend(self.check_table(i + 2, block, self.lines[k:e], graph))
                    i = e
                    continue
                if k < n and FENCE.match(self.lines[k]) and FENCE.match(self.lines[k]).group(1) == "text":
                    e = k + 1
                    while e < n and not self.lines[e].startswith("```"):
                        e += 1
                    out.extend(self.lines[j + 1:k + 1])
                    out.extend(self.check_text(i + 2, block, self.lines[k + 1:e], graph))
                    out.append(self.lines[e] if e < n else "```")
                    i = e + 1
                    continue
                i = j + 1
                continue
            if m:
                j = i + 1
                while j < n and not self.lines[j].startswith("```"):
                    j += 1
                out.extend(self.lines[i:j + 1])
                i = j + 1
                continue
            if line.startswith("|") and i + 1 < n:
                head = split_cells(line)
                if len(head) == 3 and head[1] == "example" and head[2] == "result":
                    e = i
                    while e < n and self.lines[e].startswith("|"):
                        e += 1
                    out.extend(self.check_examples(i, self.lines[i:e]))
                    i = e
                    continue
            out.append(line)
            i += 1
        if self.update and self.failures:
            with open(self.path, "w", encoding="utf-8") as f:
                f.write("\n".join(out))
            print(f"rewrote {os.path.relpath(self.path, self.root)}")

    def check_table(self, lineno, block, table, graph):
        self.checked += 1
        text = "\n".join(block)
        rc, so, se = run(self.tg, self.root, graph, text, "markdown")
        got = last_table(so)
        if rc != 0 or not got:
            self.fail(lineno, f"the example failed (exit {rc}): {se.strip()}")
            return table
        if table_rows(got) != table_rows(table):
            self.fail(lineno, "the output differs:\n  document:\n    " + "\n    ".join(table) +
                      "\n  tiegraph:\n    " + "\n    ".join(got))
            return got if self.update else table
        return table

    def check_text(self, lineno, block, expected, graph):
        self.checked += 1
        rc, so, se = run(self.tg, self.root, graph, "\n".join(block), None)
        got = (so + se).rstrip("\n").split("\n")
        if got != expected:
            self.fail(lineno, "the output differs:\n  document:\n    " + "\n    ".join(expected) +
                      "\n  tiegraph:\n    " + "\n    ".join(got))
            return got if self.update else expected
        return expected

    def check_examples(self, lineno, table):
        """A `| name | example | result |` table: one query per row."""
        rows = []
        for k, line in enumerate(table):
            cells = split_cells(line)
            if k == 0 or is_separator(cells):
                rows.append((line, None))
                continue
            rows.append((line, cells))
        queries = [example_query(code_of(c[1])) for _, c in rows if c]
        results = self.run_examples(queries)
        out, q = [], 0
        for k, (line, cells) in enumerate(rows):
            if not cells:
                out.append(line)
                continue
            self.checked += 1
            got = results[q]
            q += 1
            want = code_of(cells[2])
            if got is None or got[0] != 0:
                self.fail(lineno + k + 1, f"`{queries[q - 1]}` failed: {got[1] if got else ''}")
                out.append(line)
            elif got[1] != want:
                self.fail(lineno + k + 1, f"`{queries[q - 1]}` gives `{got[1]}`, the document says `{want}`")
                cells[2] = as_code(got[1])
                out.append("| " + " | ".join(cells) + " |" if self.update else line)
            else:
                out.append(line)
        return out

    def run_examples(self, queries):
        """(0, value) or (1, error) for each query: all in one script, or one
        by one when the script fails."""
        graph = "examples/aspi-2019/graph.json"
        rc, so, se = run(self.tg, self.root, graph, ";\n".join(queries), "markdown")
        tables = all_tables(so)
        if rc == 0 and len(tables) == len(queries):
            return [self.value(t) for t in tables]
        res = []
        for qq in queries:
            rc, so, se = run(self.tg, self.root, graph, qq, "markdown")
            t = last_table(so)
            res.append(self.value(t) if rc == 0 and t else (1, se.strip()))
        return res

    @staticmethod
    def value(table):
        rows = table_rows(table)
        if len(rows) != 2 or len(rows[1]) != 1:
            return (1, f"{len(rows) - 1} rows of {len(rows[0]) if rows else 0} columns, not one value")
        return (0, rows[1][0])

    def check_coverage(self, names, what):
        text = "\n".join(self.lines)
        for name in names:
            if f"`{name}(" not in text and f"`{name}`" not in text and f"{name}(" not in text:
                self.fail(0, f"the {what} {name} is not in the document")


def main():
    args = [a for a in sys.argv[1:] if a != "--update"]
    update = "--update" in sys.argv[1:]
    if len(args) < 2:
        print(__doc__)
        return 64
    tg, root = os.path.abspath(args[0]), os.path.abspath(args[1])
    docs = args[2:] or [os.path.join(root, "docs", "query-language.md")]
    bad = 0
    for path in docs:
        d = Doc(tg, root, path, update)
        d.check()
        if os.path.basename(path) == "query-language.md":
            for what, q in (("function", "SHOW FUNCTIONS YIELD name RETURN name"),
                            ("procedure", "SHOW PROCEDURES YIELD name RETURN name")):
                rc, so, se = run(tg, root, "empty", q, "csv")
                d.check_coverage(so.split()[1:], what)
        if d.checked == 0:
            d.fail(0, "no example found: a run that checks nothing fails")
        print(f"{os.path.relpath(path, root)}: {d.checked} examples, {d.failures} failed")
        bad += d.failures
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
