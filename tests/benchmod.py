"""Import a benchmark script from ``bench/`` (scripts, not a package) for its tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]


def load_bench(script: str) -> ModuleType:
    """``load_bench("quality")`` imports ``bench/quality.py`` as module ``bench_quality``."""
    spec = importlib.util.spec_from_file_location(f"bench_{script}", REPO / "bench" / f"{script}.py")
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import bench/{script}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module
