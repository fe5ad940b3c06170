"""Search quality on tests/data/search_eval.yaml: top-3 hit rate per language, and the misses.

    python bench/search_eval.py [--misses]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.content.loader import load_content  # noqa: E402
from bot.i18n.languages import fallbacks  # noqa: E402

EVAL = ROOT / "tests" / "data" / "search_eval.yaml"


def evaluate(pack, cases):
    """language -> (hits, total), and the misses as (case, found keys)."""
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    for case in cases:
        place = pack.place(case["place"])
        hits = pack.search(case["q"], fallbacks(case["lang"]), place.country, place.id, limit=3)
        found = [f"{hit.kind[0]}:{hit.id}" for hit in hits]
        ok = any(key in found for key in case["expect"])
        per[case["lang"]][0] += ok
        per[case["lang"]][1] += 1
        if not ok:
            misses.append((case, found))
    return per, misses


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    pack, _ = load_content(ROOT / "content", today=dt.date.today())
    cases = yaml.safe_load(EVAL.read_text(encoding="utf-8"))
    per, misses = evaluate(pack, cases)
    hits = sum(h for h, _ in per.values())
    print(f"top-3 hit rate: {hits}/{len(cases)} = {hits / len(cases):.1%}")
    for language, (h, t) in sorted(per.items()):
        print(f"  {language:8} {h:3}/{t:<3} {h / t:.0%}")
    if args.misses:
        for case, found in misses:
            print(f"MISS [{case['lang']}] {case['q']!r} expected {case['expect']} got {found}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
