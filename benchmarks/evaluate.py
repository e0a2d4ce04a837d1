"""Evaluate the analysis core on labelled sets: the development set and the real-text corpus.

Usage::

    python benchmarks/evaluate.py [--devset PATH] [--corpus DIR] [--markdown]
                                  [--fail-under F1] [--errors] [--sample PATH]

Without ``--devset`` it scores three sets, one table each: the project's development set
(``benchmarks/devset/<lang>.jsonl``, records ``{"id", "lang", "title", "text",
"published_at", "gold": {"countries", "pairs", "sanctions", "stance"}}``) and the dev and
test splits of the real-text corpus (``--corpus``, by default ``../shared/corpus``
beside the checkout; records ``{"id", "lang", "title", "text", "gold": {"countries",
"bilateral_meeting", "sanctions_rhetoric", "stance"}}``, labelled by
``../shared/ANNOTATION.md``). ``--devset PATH`` scores one set: a directory of
``<lang>.jsonl`` files or one JSON-lines file. Each table gives precision, recall and F1
per language and per label:

* countries: micro-averaged over (document, country code);
* pair: micro-averaged over (document, sorted party pair) of bilateral meetings;
* sanctions: binary presence of sanctions rhetoric;
* stance: accuracy of the stance on documents where gold and prediction both have
  sanctions rhetoric and gold gives a stance;

plus an overall row and the number of gold positives per label. ``--fail-under F`` exits 1
if any overall label F1 is below F.
``--errors`` lists the wrong documents, except those of a test split (a file named
``test.jsonl``): its misses are never read one by one, so it is scored and not listed.
``--sample PATH`` analyses one plain-text file (first line = title) and prints the result
dict instead.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis import Document, analyze, document_from_json  # noqa: E402

LABELS = ("countries", "pair", "sanctions")
DEVSET = ROOT / "benchmarks" / "devset"


@dataclass
class Counts:
    """True positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set[Any], pred: set[Any]) -> None:
        """Add one document's sets."""
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    @property
    def positives(self) -> int:
        """Gold positives (true positives and false negatives)."""
        return self.tp + self.fn

    def prf(self) -> tuple[float, float, float]:
        """Precision, recall, F1 (1.0 when there is nothing to find and nothing found)."""
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def gold_labels(record: dict[str, Any]) -> tuple[set[str], set[tuple[str, ...]], bool, str | None]:
    """Countries, pairs, sanctions presence and stance of a record's gold labels.

    Reads both shapes: the development set's ``{"countries", "pairs", "sanctions",
    "stance"}`` and the real-text corpus's ``{"countries", "bilateral_meeting",
    "sanctions_rhetoric", "stance"}`` (../shared/corpus/README.md).
    """
    gold = record["gold"]
    if "bilateral_meeting" in gold or "sanctions_rhetoric" in gold:
        pair = gold.get("bilateral_meeting")
        pairs = [pair] if pair else []
        sanctions = bool(gold.get("sanctions_rhetoric"))
    else:
        pairs = gold.get("pairs", [])
        sanctions = bool(gold.get("sanctions"))
    return (
        set(gold.get("countries", [])),
        {tuple(sorted(p)) for p in pairs},
        sanctions,
        gold.get("stance"),
    )


def records(source: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(language, record)`` of a devset directory or of one corpus JSON-lines file."""
    paths = sorted(source.glob("*.jsonl")) if source.is_dir() else [source]
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    record = json.loads(line)
                    yield record.get("lang") or path.stem, record


def evaluate(devset: Path, show_errors: bool = False) -> dict[str, dict[str, Any]]:
    """Scores per language (and "overall") of a devset directory or a corpus file."""
    table: dict[str, dict[str, Any]] = defaultdict(
        lambda: {label: Counts() for label in LABELS} | {"stance": [0, 0]}
    )
    for lang, record in records(devset):
        gold_countries, gold_pairs, gold_sanctions, gold_stance = gold_labels(record)
        result = analyze(document_from_json(record)).to_dict()
        sr = result["sanctions_rhetoric"]
        items = {
            "countries": (gold_countries, set(result["countries"])),
            "pair": (gold_pairs, {tuple(e["parties"]) for e in result["events"]}),
            "sanctions": (
                {True} if gold_sanctions else set(),
                {True} if sr["present"] else set(),
            ),
        }
        for scope in (lang, "overall"):
            for label, (g, p) in items.items():
                table[scope][label].add(g, p)
        stance_ok = None
        if gold_sanctions and sr["present"] and gold_stance:
            stance_ok = sr["stance"] == gold_stance
            for scope in (lang, "overall"):
                table[scope]["stance"][0] += int(stance_ok)
                table[scope]["stance"][1] += 1
        if show_errors:
            wrong = [label for label, (g, p) in items.items() if g != p]
            if stance_ok is False:
                wrong.append("stance")
            if wrong:
                print(f"# {record['id']}: {', '.join(wrong)}")
                for label in wrong:
                    if label == "stance":
                        print(f"   stance gold={gold_stance} pred={sr['stance']}")
                    else:
                        g, p = items[label]
                        print(f"   {label} missing={sorted(g - p)} extra={sorted(p - g)}")
    return dict(table)


def render(table: dict[str, dict[str, Any]], markdown: bool) -> str:
    """The score table as text or Markdown."""
    header = ["lang"]
    for label in LABELS:
        header += [f"{label} P", f"{label} R", f"{label} F1"]
    header += ["stance acc", "gold +"]
    rows = []
    for scope in [*sorted(k for k in table if k != "overall"), "overall"]:
        if scope not in table:
            continue
        row = [scope]
        for label in LABELS:
            row += [f"{x:.3f}" for x in table[scope][label].prf()]
        ok, n = table[scope]["stance"]
        row.append(f"{ok / n:.3f} ({ok}/{n})" if n else "n/a")
        row.append("/".join(str(table[scope][label].positives) for label in LABELS))
        rows.append(row)
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    fmt = "  ".join(f"{{:>{w}}}" for w in widths)
    return "\n".join(fmt.format(*r) for r in [header, *rows])


CORPUS = ROOT.parent / "shared" / "corpus"


def default_sets(corpus: Path) -> list[tuple[str, Path]]:
    """The three sets of docs/quality.md, named."""
    return [
        ("development set (benchmarks/devset, written by the project; tuned on)", DEVSET),
        ("real-text corpus, dev split (tuned on)", corpus / "dev.jsonl"),
        ("real-text corpus, test split (never tuned on)", corpus / "test.jsonl"),
    ]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--devset", type=Path, default=None)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--fail-under", type=float, default=None)
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--sample", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.sample is not None:
        raw = args.sample.read_text(encoding="utf-8")
        title, _, body = raw.partition("\n")
        result = analyze(Document(id=args.sample.stem, title=title, text=body))
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return 0
    sets = [(str(args.devset), args.devset)] if args.devset else default_sets(args.corpus)
    status = 0
    for name, path in sets:
        if not path.exists():
            print(f"{name}: {path} not found")
            status = 1
            continue
        listed = args.errors and path.name != "test.jsonl"
        table = evaluate(path, listed)
        if args.errors and not listed:
            print("# the test split's wrong documents are not listed")
        if len(sets) > 1:
            print(f"\n### {name}\n" if args.markdown else f"\n{name}")
        print(render(table, args.markdown))
        if args.fail_under is not None:
            overall = table["overall"]
            if any(overall[label].prf()[2] < args.fail_under for label in LABELS):
                status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
