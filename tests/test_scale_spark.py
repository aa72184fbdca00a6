"""The Spark job gives the same events as ``rasd extract`` / ``extract_many`` on the same input."""
from __future__ import annotations

import datetime as dt
import gzip
import io
import itertools
import json
import os
import shutil
from pathlib import Path

import pytest

from rasd.doc import Document
from rasd.export import ACLED_COLUMNS, event_rows
from rasd.extract import extract_many
from rasd.ingest.readers import IngestError, read_path

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "samples"
SHARED = ROOT / ".." / "shared"
CORPUS = SHARED / "data" / "saudinewsnet" / "articles.jsonl.gz"

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("no Java runtime for Spark", allow_module_level=True)

from rasd.scale import spark as rspark  # noqa: E402  (needs pyspark)


@pytest.fixture(scope="module")
def spark():
    try:
        session = rspark.build_session("local[2]", "rasd-test", **{"spark__sql__shuffle__partitions": "2"})
    except Exception as exc:  # a JVM that cannot start is an environment problem, not a rasd failure
        pytest.skip(f"Spark cannot start: {exc}")
    yield session
    session.stop()


def _sample_docs() -> list[Document]:
    docs = [d for d in read_path(SAMPLES) if isinstance(d, Document)]
    assert len(docs) >= 4
    return docs


def _generated_records(n: int) -> list[dict]:
    """n records cycling over the sample articles, each with its own id and publication date."""
    docs = _sample_docs()
    base = dt.date(2019, 1, 1)
    recs = []
    for i, d in zip(range(n), itertools.cycle(docs)):
        recs.append({
            "id": f"gen-{i:04d}-{d.id[:20]}",
            "title": d.title,
            "text": d.text,
            # every 7th record has no date, so its events take dates from the text alone
            "published": None if i % 7 == 3 else (base + dt.timedelta(days=3 * i)).isoformat(),
            "source": "generated",
            "url": f"https://example.org/{i}",
        })
    return recs


def _local_rows(path: Path) -> tuple[list[dict], list[tuple]]:
    rows, failures = [], []
    for item in extract_many(read_path(path), workers=1):
        if isinstance(item, IngestError):
            failures.append((item.source, item.line, item.message))
        else:
            rows.extend(event_rows([item.to_dict()]))
    return rows, failures


def _spark_rows(spark, out: str) -> list[dict]:
    df = spark.read.parquet(out + "/events")
    rows = []
    for r in df.collect():
        d = r.asDict()
        d["event_date"] = d["event_date"].isoformat() if d["event_date"] else None
        rows.append(d)
    return rows


def _key(row: dict) -> str:
    return row["event_id_cnty"]


def _assert_same_rows(local: list[dict], remote: list[dict]) -> None:
    assert len(remote) == len(local)
    assert sorted(map(_key, remote)) == sorted(map(_key, local))
    by_id = {_key(r): r for r in remote}
    for row in local:
        other = by_id[_key(row)]
        for col in ACLED_COLUMNS:
            assert other[col] == row[col], (row["event_id_cnty"], col, row[col], other[col])


def test_spark_jsonl_equals_local_extract(spark, tmp_path):
    recs = _generated_records(200)
    src = tmp_path / "feed.jsonl.gz"
    with gzip.open(src, "wt", encoding="utf-8") as f:
        for i, r in enumerate(recs):
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
            if i == 50:
                f.write("{not json\n")  # a broken line: reported by both, with its line number
            if i == 90:
                f.write(json.dumps({"id": "empty", "text": ""}) + "\n")
    local, local_fail = _local_rows(src)
    assert len(local) > 100 and len(local_fail) == 2

    out = str(tmp_path / "out")
    summary = rspark.run_job(str(src), out, spark=spark, partitions=4)
    remote = _spark_rows(spark, out)
    _assert_same_rows(local, remote)
    assert summary.documents == 200 and summary.events == len(local)

    fails = [json.loads(line) for p in sorted(Path(out, "failures").glob("*.json")) for line in p.open()]
    assert sorted((f["source"], f["line"], f["message"]) for f in fails) == sorted(local_fail)
    assert {f["stage"] for f in fails} == {"ingest"}

    # partitioned by date and country, as the folder layout says
    parts = {p.parent.parent.name.split("=")[0] + "/" + p.parent.name.split("=")[0]
             for p in Path(out, "events").rglob("*.parquet")}
    assert parts == {"event_date/country"}
    assert json.loads(Path(out, "_rasd_summary.json").read_text())["events"] == len(local)


def test_spark_parquet_input_equals_jsonl(spark, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    recs = _generated_records(24)
    jsonl = tmp_path / "feed.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    pq.write_table(pa.Table.from_pylist(recs), tmp_path / "feed.parquet")
    local, _ = _local_rows(jsonl)
    out = str(tmp_path / "out")
    rspark.run_job(str(tmp_path / "feed.parquet"), out, spark=spark, partitions=2)
    remote = _spark_rows(spark, out)
    # Every record has an id, so the rows must match the JSONL run exactly (line numbers never reach a row).
    _assert_same_rows(local, remote)


def _warc_bytes(pages: list[tuple[str, bytes]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, html in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html),
                                                      http_headers=headers))
        req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
        writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=req))
    # a non-HTML response is no article and no failure
    img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://example.org/x.png", "response",
                                                  payload=io.BytesIO(b"\x89PNG"), http_headers=img))
    return buf.getvalue()


def test_warc_pages_read_like_html_files(spark, tmp_path):
    from rasd.scale.warc import iter_warc

    html_file = SAMPLES / "tunisia_sbeitla_protest.html"
    html = html_file.read_bytes()
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(_warc_bytes([("https://example.org/a", html), ("https://example.org/b", html)]))

    items = list(iter_warc(warc.open("rb"), str(warc)))
    assert len(items) == 2 and all(isinstance(d, Document) for d in items)
    as_file = next(iter(read_path(html_file)))
    assert items[0].text == as_file.text and items[0].published == as_file.published
    assert items[0].id != items[1].id and items[0].url == "https://example.org/a"

    local = [r for d in extract_many(items) for r in event_rows([d.to_dict()])]
    assert local, "the protest page yields an event"
    out = str(tmp_path / "out")
    summary = rspark.run_job(str(warc), out, spark=spark, partitions=2)
    assert summary.input_format == "warc" and summary.documents == 2 and summary.failures == 0
    _assert_same_rows(local, _spark_rows(spark, out))


@pytest.mark.skipif(os.environ.get("RASD_SPARK_FULL") != "1", reason="set RASD_SPARK_FULL=1 to run")
def test_spark_corpus_first_1000_equals_local(spark, tmp_path):
    if not CORPUS.exists():
        pytest.skip("shared corpus absent")
    src = tmp_path / "first1000.jsonl"
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f, src.open("w", encoding="utf-8") as g:
        for line in itertools.islice(f, 1000):
            g.write(line)
    local, local_fail = _local_rows(src)
    out = str(tmp_path / "out")
    summary = rspark.run_job(str(src), out, spark=spark, partitions=8)
    _assert_same_rows(local, _spark_rows(spark, out))
    assert summary.failures == len(local_fail)
