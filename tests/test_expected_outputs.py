"""The bundled fixtures, cleaned by the real command, match their expected files byte for byte.

After a deliberate change to the cleaners, regenerate with ``make fixtures-expected`` and review
the diff (``git diff fixtures/expected``) before committing it.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = ROOT / "fixtures" / "expected"
INPUTS = ["fixtures/pages", "fixtures/legacy"]


def archive_files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*.txt"))
        if ".newsarchive" not in path.parts
    }


def test_fixtures_match_expected_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "archive"
    result = subprocess.run(
        [sys.executable, "-m", "scraper", "clean", *INPUTS, "--out", str(out), "--jobs", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    produced, expected = archive_files(out), archive_files(EXPECTED)
    assert sorted(produced) == sorted(expected)
    changed = [name for name in expected if produced[name] != expected[name]]
    assert not changed, f"output differs from fixtures/expected for {changed}"
    assert len(expected) >= 14  # twelve pages and two legacy texts
