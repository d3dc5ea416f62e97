"""`make bench`: runs every `tests/bench/bench_*.py` module's `run()` and prints its figures.

Benchmarks are run by hand, not in CI. Each one builds its own PostgreSQL database (or SQLite
when DATABASE_URL is not set), states its concurrency, and prints what it measured.
"""

import importlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")


def main(selected):
    modules = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    if selected:
        modules = [m for m in modules if any(s in m for s in selected)]
    if not modules:
        print("Aucun benchmark.")
        return 0
    for name in modules:
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        importlib.import_module(f"tests.bench.{name}").run()
        print(f"({name}: {time.perf_counter() - started:.1f} s au total)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
