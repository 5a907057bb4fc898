"""The Markdown documents: every relative link points at a file that exists, and every #anchor at
a heading of the file it names (the README and the experiment log link into each other a lot)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md"] + sorted((ROOT / "results").rglob("*.md"))
LINK = re.compile(r"\]\(([^)\s]+)\)")  # [text](target)


def prose_lines(path):
    """The lines of a Markdown file outside fenced code blocks."""
    inside = False
    for line in path.read_text().splitlines():
        if line.lstrip().startswith("```"):
            inside = not inside
        elif not inside:
            yield line


def anchors(path):
    """The anchors GitHub gives the headings of a file: lower case, punctuation dropped, spaces
    as hyphens, a repeated heading numbered -1, -2, ..."""
    seen, out = {}, set()
    for line in prose_lines(path):
        m = re.match(r"#{1,6} (.*)", line)
        if m:
            slug = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower()).replace(" ", "-")
            n = seen.get(slug, 0)
            seen[slug] = n + 1
            out.add(slug if n == 0 else f"{slug}-{n}")
    return out


def test_the_slug_rule_on_headings_like_ours(tmp_path):
    doc = tmp_path / "a.md"
    doc.write_text("# Top\n## Full ProsQA: 64.0% CoT, at lr 1e-4\n```sh\n# not a heading\n```\n"
                   "## With `--prev_tokens 6` on the CPU\n## Top\n")
    assert anchors(doc) == {"top", "full-prosqa-640-cot-at-lr-1e-4",
                            "with---prev_tokens-6-on-the-cpu", "top-1"}


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_and_anchors_resolve(doc):
    broken = []
    for line in prose_lines(doc):
        for target in LINK.findall(line):
            if re.match(r"[a-z]+:", target):  # https:, mailto: ...: not checked offline
                continue
            file, _, anchor = target.partition("#")
            path = (doc.parent / file).resolve() if file else doc
            if not path.exists():
                broken.append(f"{target}: no such file")
            elif anchor and path.suffix == ".md" and anchor not in anchors(path):
                broken.append(f"{target}: no heading with that anchor in {path.relative_to(ROOT)}")
    assert not broken, f"{doc.relative_to(ROOT)}: " + "; ".join(broken)
