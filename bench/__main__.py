"""``./dev bench [NAME...]``: run the benchmarks (all when no name is given);
``./dev bench NAME --option ...`` runs one with its options (e.g. ``api --only pages``)."""

from __future__ import annotations

import sys

from bench import api_bench, interop_bench, pages_bench, pathway_bench, worklist_bench

BENCHES = {
    "pathway": pathway_bench.main,
    "api": api_bench.main,
    "interop": interop_bench.main,
    "pages": pages_bench.main,
    "worklist": worklist_bench.main,
}


def main() -> None:
    names = sys.argv[1:] or list(BENCHES)
    if len(names) > 1 and names[1].startswith("-"):  # one benchmark with its options
        if names[0] not in BENCHES:
            sys.exit(f"unknown benchmark {names[0]!r}; choose from: {', '.join(BENCHES)}")
        BENCHES[names[0]](names[1:])
        return
    for name in names:
        if name not in BENCHES:
            sys.exit(f"unknown benchmark {name!r}; choose from: {', '.join(BENCHES)}")
        BENCHES[name]()


main()
