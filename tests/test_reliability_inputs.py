"""Hostile inputs through ``rasd extract``: nothing lost, every failure named, memory bounded.

The corpus comes from scripts/make_bad_inputs.py, whose manifest says which
article ids each file must yield and which lines must be reported as errors.
Default sizes keep this under ~15 s; RASD_TEST_HUGE=1 uses a 200 MB JSONL file
and a 5 MB single-line file and checks peak memory stays under 400 MB.
"""
from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RASD = [sys.executable, "-m", "rasd.cli"]
HUGE = os.environ.get("RASD_TEST_HUGE") == "1"
HUGE_MB, LINE_MB = (200, 5) if HUGE else (0.3, 0.05)
RSS_LIMIT_MB = 400


def _maker():
    spec = importlib.util.spec_from_file_location("make_bad_inputs", REPO / "scripts" / "make_bad_inputs.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def _env() -> dict[str, str]:
    # A wide console: rich would otherwise wrap long error lines (and paths) at 80 columns.
    return {**os.environ, "COLUMNS": "100000", "PYTHONPATH": str(REPO)}


# The command runs under a fresh launcher that reports its peak RSS from wait4. Measured directly,
# a child forked from this test process would inherit this process's peak-RSS mark (Linux keeps it
# across exec), so an earlier test's peak (the e5 model: 0.7 GB) would be charged to the command.
_LAUNCHER = (
    "import os, subprocess, sys\n"
    "p = subprocess.Popen(sys.argv[2:])\n"
    "_, status, usage = os.wait4(p.pid, 0)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def run_measured(args: list[str], stdout: Path, stderr: Path, timeout: float, stdin=None) -> tuple[int, float]:
    """Run a command; (exit code, peak RSS of that process in MB)."""
    rss_file = stdout.with_suffix(".maxrss")
    with stdout.open("wb") as out, stderr.open("wb") as err:
        p = subprocess.Popen([sys.executable, "-c", _LAUNCHER, str(rss_file), *args], stdout=out, stderr=err,
                             stdin=stdin, env=_env(), cwd=REPO, start_new_session=True)
        try:
            rc = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            pytest.fail(f"{' '.join(args[-4:])} still running after {timeout:.0f} s (hang)")
    return rc, int(rss_file.read_text()) / 1024  # ru_maxrss is in KiB on Linux


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("bad")
    manifest = _maker().build(out, huge_mb=HUGE_MB, line_mb=LINE_MB)
    return out, manifest


@pytest.fixture(scope="module")
def extracted(corpus):
    out, manifest = corpus
    rc, rss = run_measured([*RASD, "extract", manifest["root"], "-o", str(out / "out.jsonl")],
                           out / "stdout", out / "stderr", timeout=1800 if HUGE else 120)
    docs = [json.loads(line) for line in (out / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    stderr = (out / "stderr").read_text(encoding="utf-8", errors="replace").splitlines()
    return rc, rss, docs, stderr, manifest


def test_exit_code_is_1_when_something_failed(extracted):
    rc, _, _, stderr, _ = extracted
    assert rc == 1, "\n".join(stderr[-20:])
    assert any("could not be read" in line for line in stderr)


def test_every_good_record_is_in_the_output_once(extracted):
    _, _, docs, _, manifest = extracted
    expected = [i for f in manifest["files"].values() for i in f["good"]]
    got = [d["id"] for d in docs]
    assert len(got) == len(set(got)), "an article came out twice"
    missing = set(expected) - set(got)
    assert not missing, f"lost: {sorted(missing)[:20]}"
    assert len(got) == manifest["good_total"], f"unexpected extra records: {sorted(set(got) - set(expected))[:20]}"


def test_every_bad_record_is_an_error_naming_file_and_line(extracted):
    _, _, _, stderr, manifest = extracted
    errors = [line for line in stderr if line.startswith("error ")]
    root = manifest["root"]
    for rel, f in manifest["files"].items():
        for line in f["errors"]:
            where = f"{root}/{rel}:{line}:" if line is not None else f"{root}/{rel}:"
            assert any(e.startswith(f"error {where}") for e in errors), f"no error for {where} ({f['note']})"
    assert len(errors) == manifest["error_total"], "\n".join(errors)


def test_oddities_are_warned_about(extracted):
    _, _, docs, stderr, _ = extracted
    warnings = "\n".join(line for line in stderr if line.startswith("warning "))
    assert "english: no Arabic text" in warnings
    assert "mojibake: repaired mojibake" in warnings
    assert "one_line: text truncated" in warnings or not HUGE
    by_id = {d["id"]: d for d in docs}
    assert by_id["date-3"]["published"] == "2999-01-01" or "date-3" in warnings  # a future date is kept or flagged


def test_scripts_and_markup_do_not_reach_the_text(extracted):
    _, _, docs, _, _ = extracted
    by_id = {d["id"]: d for d in docs}
    for ev in by_id["broken_tags"]["events"]:
        assert "alert(" not in ev["evidence"] and "document.write" not in ev["evidence"]


def test_no_extraction_failure(extracted):
    # Publication years 0001 and 9999 are legal dates; no date arithmetic may overflow on them.
    _, _, _, stderr, _ = extracted
    failed = [line for line in stderr if "extraction failed" in line]
    assert not failed, "\n".join(failed)


def test_memory_stays_bounded(extracted):
    _, rss, _, _, _ = extracted
    assert rss < RSS_LIMIT_MB, f"peak RSS {rss:.0f} MB on a {HUGE_MB} MB input"


def test_clean_files_exit_0(corpus):
    out, manifest = corpus
    clean = [f"{manifest['root']}/{rel}" for rel, f in manifest["files"].items() if f["clean"]]
    rc, _ = run_measured([*RASD, "extract", *clean, "-o", str(out / "clean.jsonl")], out / "c.out", out / "c.err", 120)
    assert rc == 0, (out / "c.err").read_text()
    n = len((out / "clean.jsonl").read_text(encoding="utf-8").splitlines())
    assert n == sum(len(f["good"]) for f in manifest["files"].values() if f["clean"])


def test_output_streams_before_input_ends(corpus):
    """Articles come out while stdin is still open: the reader and extractor stream."""
    _, manifest = corpus
    lines = (Path(manifest["root"]) / "huge" / "big.jsonl").read_bytes().splitlines(keepends=True)
    assert len(lines) > 200
    p = subprocess.Popen([*RASD, "extract", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, env=_env(), cwd=REPO)
    out: list[bytes] = []
    first = threading.Event()

    def drain() -> None:  # read everything, so the child never blocks on a full pipe
        for line in p.stdout:  # type: ignore[union-attr]
            out.append(line)
            first.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        p.stdin.write(b"".join(lines[:100]))  # type: ignore[union-attr]
        p.stdin.flush()  # type: ignore[union-attr]
        # stdout is block-buffered: 100 articles fill the buffer, so output must show up now.
        assert first.wait(timeout=60), "no output before the end of the input"
        assert p.poll() is None  # still waiting for the rest of stdin
        p.stdin.write(b"".join(lines[100:]))  # type: ignore[union-attr]
        p.stdin.close()  # type: ignore[union-attr]
        assert p.wait(timeout=120) == 0
        reader.join(timeout=10)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert len(out) == len(lines) and out[0].startswith(b"{")


def test_manifest_covers_every_file_on_disk(corpus):
    _, manifest = corpus
    root = Path(manifest["root"])
    on_disk = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() or p.is_symlink()}
    assert on_disk <= set(manifest["files"]), sorted(on_disk - set(manifest["files"]))


def test_generator_cli_writes_a_manifest(tmp_path):
    r = subprocess.run([sys.executable, str(REPO / "scripts" / "make_bad_inputs.py"), str(tmp_path),
                        "--huge-mb", "0.01", "--line-mb", "0.01"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    m = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert m["good_total"] > 20 and m["error_total"] > 10
