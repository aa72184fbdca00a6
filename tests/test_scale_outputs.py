"""The per-partition work of the Spark job, as plain Python (no Spark, no Java needed)."""
from __future__ import annotations

import json

import rasd.extract
from rasd.ingest.readers import IngestError
from rasd.scale import spark as rspark


def _line(rec: dict) -> str:
    return json.dumps(rec, ensure_ascii=False)


def test_partition_emits_docs_events_and_ingest_failures():
    lines = [
        ("feed.jsonl", 1, _line({"id": "a", "text": "قتل ثلاثة جنود في انفجار عبوة ناسفة في مدينة الموصل امس.",
                                 "published": "2017-03-02"})),
        ("feed.jsonl", 2, "{broken"),
        ("feed.jsonl", 7, _line({"text": "نص بلا رقم تعريف عن اجتماع اقتصادي."})),
    ]
    out = list(rspark.process_jsonl_partition(lines, None))
    kinds = [k for k, _ in out]
    assert kinds.count("doc") == 2
    events = [p for k, p in out if k == "event"]
    assert events and all(set(p) >= {"event_id_cnty", "event_date", "country"} for p in events)
    assert events[0]["article_id"] == "a" and events[0]["event_id_cnty"] == "a-1"
    fail = [p for k, p in out if k == "failure"]
    assert len(fail) == 1 and fail[0]["line"] == 2 and fail[0]["stage"] == "ingest"
    # a record without id gets the same fallback id as rasd extract would give it: stem-line
    items = list(rspark.jsonl_lines_to_items(lines[2:], None))
    assert items[0].id == "feed-7"


def test_extraction_failure_is_a_failure_row_not_a_crash(monkeypatch):
    def broken():
        raise RuntimeError("lexicon missing")

    monkeypatch.setattr(rasd.extract, "default_pipeline", broken)
    lines = [("f.jsonl", 1, _line({"id": "x", "text": "تظاهر مئات في تونس."}))]
    out = list(rspark.process_jsonl_partition(lines, None))
    fails = [p for k, p in out if k == "failure"]
    assert len(fails) == 1 and fails[0]["stage"] == "extract" and fails[0]["article_id"] == "x"
    assert "lexicon missing" in fails[0]["message"]
    assert not [p for k, p in out if k == "event"]


def test_ingest_error_passes_through_as_failure():
    out = list(rspark._items_to_outputs([IngestError("s3a://b/k.jsonl", 3, "record has no text")]))
    assert out == [("failure", {"source": "s3a://b/k.jsonl", "line": 3, "article_id": None, "stage": "ingest",
                                "message": "record has no text"})]


def test_format_detection():
    assert rspark.detect_format("s3a://bucket/crawl/CC-MAIN-1.warc.gz") == "warc"
    assert rspark.detect_format("/data/articles.parquet") == "parquet"
    assert rspark.detect_format("/data/articles.jsonl.gz") == "jsonl"
    assert rspark.detect_format("/data/folder/") == "jsonl"
