"""Each benchmark owns one section of BENCHMARKS.md and rewrites only that."""

from __future__ import annotations

import argparse
from pathlib import Path

HEAD = "# Benchmarks\n\nWritten by the scripts in `benchmarks/`; each rewrites its own section.\n"


def table_section(path: Path | None, name: str, title: str, intro: str, header: list[str],
                  rows: list[str]) -> str:
    """Format a benchmark's section (title, one paragraph, a table), print it, write it."""
    text = "\n".join([f"## {title}", "", intro, "", "| " + " | ".join(header) + " |",
                      "|" + "---|" * len(header), *rows])
    print(text)
    if path is not None:
        update_section(path, name, text)
    return text


def update_section(path: Path, name: str, text: str) -> None:
    """Put ``text`` between the markers of section ``name`` in ``path``, keeping the rest."""
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    block = f"{start}\n{text.strip()}\n{end}\n"
    old = path.read_text(encoding="utf-8") if path.exists() else HEAD
    if start in old and end in old:
        before, rest = old.split(start, 1)
        after = rest.split(end, 1)[1].lstrip("\n")
        new = f"{before}{block}\n{after}" if after else f"{before}{block}"
    else:
        new = f"{old.rstrip()}\n\n{block}"
    path.write_text(new, encoding="utf-8")


def page_benchmark_args(doc: str, section: str, root: Path) -> argparse.Namespace:
    """Parse the options every page benchmark takes: the build, runs, where to write, a picture."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--db", type=Path, default=root / "out" / "aksugeo.gpkg")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", type=Path, help=f"rewrite this file's {section} section")
    parser.add_argument("--screenshot", type=Path, help="save the page of the first run")
    return parser.parse_args()
