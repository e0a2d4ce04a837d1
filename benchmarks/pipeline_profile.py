"""Run ``mediawatch worker`` in this process under cProfile; write the stats on exit.

    python benchmarks/pipeline_profile.py OUT.prof     (MEDIAWATCH_* from the environment)

The worker's code is imported from the current directory (the source tree under test).

The worker stops on SIGTERM as usual; the profile covers start-up and processing (the
report in ``bench_pipeline.py`` subtracts nothing: run it on a preloaded topic so that
processing dominates).
"""

from __future__ import annotations

import atexit
import cProfile
import sys
from pathlib import Path

ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))


def main() -> None:
    out = sys.argv[1]
    profiler = cProfile.Profile()
    dumped = False

    def dump() -> None:
        nonlocal dumped
        if not dumped:
            profiler.disable()
            profiler.dump_stats(out)
            dumped = True

    atexit.register(dump)
    from mediawatch.cli import main as cli_main

    profiler.enable()
    try:
        cli_main(["worker"])
    except SystemExit:
        pass
    finally:
        dump()


if __name__ == "__main__":
    main()
