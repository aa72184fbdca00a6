"""read_path: every input kind, every bad input, stdin, streaming, the bundled samples."""
from __future__ import annotations

import datetime as dt
import gzip
import io
import itertools
import json
from pathlib import Path

import pytest

from rasd.doc import Document
from rasd.ingest.readers import IngestError, content_hash, read_path, read_stream

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "samples"
SHARED = ROOT / ".." / "shared"
SEED = SAMPLES / "2019-03-12_seed_alarabiya_baghouz.txt"

TITLE = "اشتباكات في ريف المدينة"
BODY = "قالت مصادر محلية إن اشتباكات اندلعت صباح الاثنين بين قوات الأمن ومسلحين في ريف المدينة.\n\nوأضافت المصادر أن الهدوء عاد إلى المنطقة مساء."
ARTICLE = f"{TITLE}\n\n{BODY}\n"


def docs(items: list) -> list[Document]:
    return [i for i in items if isinstance(i, Document)]


def errors(items: list) -> list[IngestError]:
    return [i for i in items if isinstance(i, IngestError)]


def write_jsonl(path: Path, records: list, opener=open) -> Path:
    with opener(path, "wt", encoding="utf-8") as f:
        for r in records:
            f.write((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n")
    return path


# ---------------------------------------------------------------- plain text


def test_txt_file_id_title_date_and_meta(tmp_path: Path) -> None:
    p = tmp_path / "2020-05-04_clashes.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    (doc,) = list(read_path(p))
    assert doc.id == "2020-05-04_clashes"
    assert doc.text == ARTICLE  # the text is never rewritten
    assert doc.title == TITLE
    assert doc.published == dt.date(2020, 5, 4)
    assert doc.meta["published_from"] == "filename"
    assert doc.meta["path"] == str(p)
    assert doc.meta["encoding"] == "utf-8"
    assert doc.meta["format"] == "txt"
    assert doc.meta["title_span"] == (0, len(TITLE))
    assert doc.meta["content_hash"] == content_hash(ARTICLE) and len(doc.meta["content_hash"]) == 64
    assert doc.warnings == []


def test_user_published_applies_only_where_none_is_known(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "2019-01-02_b.txt").write_text(ARTICLE, encoding="utf-8")
    b, a = docs(list(read_path(tmp_path, published=dt.date(2021, 7, 1))))
    assert (a.id, a.published, a.meta["published_from"]) == ("a", dt.date(2021, 7, 1), "user")
    assert (b.id, b.published, b.meta["published_from"]) == ("2019-01-02_b", dt.date(2019, 1, 2), "filename")
    (c,) = list(read_path(tmp_path / "a.txt"))
    assert c.published is None and c.meta["published_from"] is None


def test_seed_article_debris_is_ignored_and_offsets_stay_true() -> None:
    (doc,) = list(read_path(SEED))
    raw = SEED.read_text(encoding="utf-8")
    assert doc.text == raw
    spans = doc.meta["ignored_spans"]
    assert spans and spans[0][2] == "font-size widget"
    start, end, _ = spans[0]
    assert doc.text[start:end] == "+A\nA-"
    assert doc.title.startswith("الباغوز") and "داعش" in doc.title
    s, e = doc.meta["title_span"]
    assert doc.text[s:e] == doc.title
    assert doc.published == dt.date(2019, 3, 12)


def test_sample_seed_is_the_shared_seed() -> None:
    shared = SHARED / "seed_article.txt"
    if not shared.exists():
        pytest.skip("shared data not available")
    assert SEED.read_bytes() == shared.read_bytes()


def test_legacy_encoding_file_is_decoded_with_a_warning(tmp_path: Path) -> None:
    p = tmp_path / "old.txt"
    p.write_bytes(ARTICLE.encode("cp1256"))
    (doc,) = list(read_path(p))
    assert doc.text == ARTICLE
    assert doc.meta["encoding"] == "cp1256"
    assert "encoding guessed: cp1256" in doc.warnings
    assert doc.meta["content_hash"] == content_hash(ARTICLE)


def test_non_arabic_text_is_read_with_a_warning(tmp_path: Path) -> None:
    p = tmp_path / "en.txt"
    p.write_text("Clashes near the border\n\nSecurity forces clashed with gunmen on Monday, officials said.", encoding="utf-8")
    (doc,) = list(read_path(p))
    assert any("no Arabic text" in w for w in doc.warnings)


def test_text_is_capped_with_a_warning(tmp_path: Path) -> None:
    p = tmp_path / "long.txt"
    p.write_text(BODY * 50, encoding="utf-8")
    (doc,) = list(read_path(p, max_chars=1000))
    assert len(doc.text) == 1000 and doc.text == (BODY * 50)[:1000]
    assert any("truncated" in w for w in doc.warnings)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty file"),
        (b"  \n\n\t ", "empty file"),
        (b"%PDF-1.4\n1 0 obj <<>>", "binary file"),
        (b"\x00\x01\x02\x03" * 100, "binary file"),
        ("+A\nA-\n\nشارك\nطباعة\n".encode(), "only page debris"),
    ],
)
def test_bad_text_files_yield_errors(tmp_path: Path, content: bytes, message: str) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    (err,) = list(read_path(p))
    assert isinstance(err, IngestError)
    assert err.source == str(p) and err.line is None
    assert message in err.message


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    (err,) = list(read_path(tmp_path / "nope.txt"))
    assert isinstance(err, IngestError) and "no such file" in err.message


# ---------------------------------------------------------------- HTML


def test_html_sample() -> None:
    (doc,) = list(read_path(SAMPLES / "tunisia_sbeitla_protest.html"))
    assert doc.meta["format"] == "html"
    assert doc.published == dt.date(2021, 1, 18) and doc.meta["published_from"] == "html"
    assert "سبيطلة" in doc.title and "الغاز المسيل للدموع" in doc.text
    assert "جميع الحقوق محفوظة" not in doc.text


def test_html_without_text_is_an_error(tmp_path: Path) -> None:
    p = tmp_path / "empty.html"
    p.write_text("<html><head><script>var a = 1;</script></head><body></body></html>", encoding="utf-8")
    (err,) = list(read_path(p))
    assert isinstance(err, IngestError) and "no article text" in err.message


# ---------------------------------------------------------------- JSON Lines, JSON


def test_jsonl_records_and_bad_lines_in_between(tmp_path: Path) -> None:
    p = write_jsonl(
        tmp_path / "feed.jsonl",
        [
            {"id": "a", "title": "t", "text": BODY, "published": "2015-07-21", "source": "wire", "url": "http://x/a"},
            '{"id": "broken", "text": ',
            "",
            {"id": "b", "text": BODY},
            {"id": "c", "title": "no text"},
            ["not", "an", "object"],
            {"id": "d", "html": f"<html><body><article><h1>{TITLE}</h1><p>{BODY}</p></article></body></html>"},
            {"text": BODY, "published": "2015-07-22T10:00:00Z"},
            {"id": "e", "text": BODY, "published": "yesterday"},
        ],
    )
    items = list(read_path(p, published=dt.date(2020, 1, 1)))
    got = {d.id: d for d in docs(items)}
    assert list(got) == ["a", "b", "d", "feed-8", "e"]
    assert got["a"].published == dt.date(2015, 7, 21) and got["a"].meta["published_from"] == "record"
    assert (got["a"].source, got["a"].url, got["a"].title, got["a"].meta["line"]) == ("wire", "http://x/a", "t", 1)
    assert got["b"].published == dt.date(2020, 1, 1) and got["b"].meta["published_from"] == "user"
    assert BODY.split("\n")[0] in got["d"].text and got["d"].meta["format"] == "jsonl+html"
    assert got["feed-8"].published == dt.date(2015, 7, 22)
    assert got["e"].published == dt.date(2020, 1, 1) and any("unreadable published" in w for w in got["e"].warnings)
    errs = errors(items)
    assert [(e.source, e.line) for e in errs] == [(str(p), 2), (str(p), 5), (str(p), 6)]
    assert "malformed JSON" in errs[0].message and "no text" in errs[1].message and "not an object" in errs[2].message


def test_jsonl_gz_and_truncated_gz(tmp_path: Path) -> None:
    recs = [{"id": f"r{i}", "text": BODY} for i in range(50)]
    p = write_jsonl(tmp_path / "c.jsonl.gz", recs, opener=gzip.open)
    assert [d.id for d in docs(list(read_path(p)))] == [f"r{i}" for i in range(50)]
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(p.read_bytes()[:-30])
    items = list(read_path(cut))
    assert isinstance(items[-1], IngestError) and items[-1].source == str(cut)
    assert docs(items) and all(d.text == BODY for d in docs(items))


def test_jsonl_line_in_a_legacy_encoding(tmp_path: Path) -> None:
    p = tmp_path / "mixed.jsonl"
    good = json.dumps({"id": "u", "text": BODY}, ensure_ascii=False).encode("utf-8")
    legacy = json.dumps({"id": "w", "text": BODY}, ensure_ascii=False).encode("cp1256")
    p.write_bytes(b"\xef\xbb\xbf" + good + b"\n" + legacy + b"\n")
    u, w = list(read_path(p))
    assert u.text == BODY and w.text == BODY
    assert w.meta["encoding"] == "cp1256" and u.meta["encoding"] == "utf-8"


def test_json_object_list_jsonl_in_json_and_malformed(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(json.dumps({"title": TITLE, "text": BODY}, ensure_ascii=False, indent=2), "utf-8")
    (tmp_path / "many.json").write_text(json.dumps([{"id": "x", "text": BODY}, {"text": ""}]), "utf-8")
    (tmp_path / "lines.json").write_text('{"id": "l1", "text": "نص"}\n{"id": "l2", "text": "نص"}\n', "utf-8")
    (tmp_path / "zbad.json").write_text('{"id": "x", "text": ', "utf-8")
    items = list(read_path(tmp_path))
    assert [d.id for d in docs(items)] == ["l1", "l2", "x", "one"]
    assert docs(items)[-1].title == TITLE
    errs = errors(items)
    assert [Path(e.source).name for e in errs] == ["many.json", "zbad.json"]
    assert "no text" in errs[0].message or "empty text" in errs[0].message
    assert "malformed JSON" in errs[1].message


# ---------------------------------------------------------------- directories, samples


def test_directory_is_recursive_sorted_and_skips_hidden_and_unknown(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "z.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "c.htm").write_text(f"<html><body><article><p>{BODY}</p></article></body></html>", "utf-8")
    (tmp_path / ".hidden.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / ".git" / "x.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "notes.md").write_text(ARTICLE, "utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    items = list(read_path(tmp_path))
    assert [Path(d.meta["path"]).relative_to(tmp_path).as_posix() for d in docs(items)] == ["a.txt", "b/z.txt", "c.htm"]
    assert not errors(items)
    # Named explicitly, a file with an unknown suffix is sniffed and read.
    (md,) = list(read_path(tmp_path / "notes.md"))
    assert isinstance(md, Document) and md.text == ARTICLE


def test_samples_folder_reads_cleanly() -> None:
    items = list(read_path(SAMPLES))
    assert not errors(items)
    got = {d.meta["path"].rsplit("/", 1)[-1] + (f":{d.meta['line']}" if "line" in d.meta else ""): d for d in docs(items)}
    assert len(got) == 5
    assert got["2018-06-04_yemen_abyan_ied_cp1256.txt"].meta["encoding"] == "cp1256"
    assert got["2018-06-04_yemen_abyan_ied_cp1256.txt"].meta["ignored_spans"][-1][2] == "share/print bar"
    assert got["wire_feed.jsonl:1"].published is not None and got["wire_feed.jsonl:2"].published is None
    for d in got.values():
        assert not any("no Arabic" in w for w in d.warnings)
        words = len(d.text.split())
        assert 120 <= words <= 450, (d.id, words)


# ---------------------------------------------------------------- stdin, streaming


@pytest.mark.parametrize(
    "payload, ids",
    [
        (ARTICLE.encode("utf-8"), ["stdin"]),
        (ARTICLE.encode("cp1256"), ["stdin"]),
        ("\n".join(json.dumps({"id": i, "text": BODY}, ensure_ascii=False) for i in "ab").encode(), ["a", "b"]),
        (json.dumps([{"id": "j", "text": BODY}]).encode(), ["j"]),
        (json.dumps({"id": "p", "text": BODY}, indent=2).encode(), ["p"]),
        (f"<!DOCTYPE html><html><body><article><p>{BODY}</p></article></body></html>".encode(), ["stdin"]),
        (gzip.compress(json.dumps({"id": "g", "text": BODY}).encode() + b"\n"), ["g"]),
    ],
)
def test_stdin(payload: bytes, ids: list[str]) -> None:
    items = list(read_path("-", stdin=io.BytesIO(payload)))
    assert [d.id for d in docs(items)] == ids and not errors(items)
    assert all(d.meta["path"] == "-" for d in docs(items))


def test_stdin_empty_is_an_error() -> None:
    (err,) = list(read_path("-", stdin=io.BytesIO(b"")))
    assert isinstance(err, IngestError) and err.source == "-"


class _FailingAfter(io.RawIOBase):
    """A pipe that delivers some bytes, then breaks: only streaming readers get the first record out."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
        if not self.data:
            raise RuntimeError("read past the first chunk: the reader is not streaming")
        n = min(len(b), len(self.data))
        b[:n], self.data = self.data[:n], self.data[n:]
        return n


def test_jsonl_is_streamed() -> None:
    first = (json.dumps({"id": "first", "text": BODY}, ensure_ascii=False) + "\n").encode()
    stream = io.BufferedReader(_FailingAfter(first * 3))
    it = read_stream(stream)
    assert next(it).id == "first"


def test_corpus_records_read_with_unique_ids() -> None:
    corpus = SHARED / "data" / "saudinewsnet" / "articles.jsonl.gz"
    if not corpus.exists():
        pytest.skip("shared corpus not available")
    items = list(itertools.islice(read_path(corpus), 3000))
    assert len(docs(items)) > 2800
    assert all(e.line is not None for e in errors(items))
    assert len({d.id for d in docs(items)}) == len(docs(items))


def test_unlistable_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Permissions cannot be relied on (tests may run as root): make os.walk meet an unreadable folder.
    import os

    import rasd.ingest.readers as readers

    real_walk = os.walk

    def walk(top, onerror=None, **kw):  # type: ignore[no-untyped-def]
        onerror(PermissionError(13, "Permission denied", str(Path(top) / "locked")))
        yield from real_walk(top, onerror=onerror, **kw)

    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    monkeypatch.setattr(readers.os, "walk", walk)
    items = list(read_path(tmp_path))
    assert len(docs(items)) == 1
    (err,) = errors(items)
    assert err.source.endswith("locked") and "cannot list folder" in err.message
