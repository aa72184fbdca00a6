import json
import sys
import types

import pytest
from sqlalchemy import func, select, text

from rasd.doc import Document
from rasd.store import EventFilter, Store, content_hash
from rasd.store.models import articles, events, evidence_spans, ingest_failures, mentions
from rasd.store.samples import sample_documents, syria_document


def count(store, table):
    with store.engine.connect() as c:
        return c.execute(select(func.count()).select_from(table)).scalar_one()


def test_schema_migrated_and_sqlite_pragmas(tmp_path):
    s = Store(tmp_path / "x.db")
    with s.engine.connect() as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
        from rasd.store.db import _head_revision

        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == _head_revision()
        indexes = {r[1] for r in c.execute(text("PRAGMA index_list('events')"))}
        assert "ix_events_country_date_type" in indexes
    s.close()
    Store(tmp_path / "x.db").close()  # reopening an up-to-date store is a no-op


def test_ingest_is_idempotent(tmp_path):
    s = Store(tmp_path / "x.db")
    r1 = s.ingest(sample_documents(), batch_size=2)
    assert (r1.stored, r1.skipped_duplicates, r1.failed, r1.events) == (3, 0, 0, 4)
    r2 = s.ingest(sample_documents())
    assert (r2.stored, r2.skipped_duplicates) == (0, 3)
    # same content under another id, differing only in whitespace: still a duplicate
    d = syria_document()
    d.id, d.text = "copy", d.text.replace(" ", "  ", 3)
    d.events = []
    assert s.ingest([d, syria_document()]).skipped_duplicates == 2
    assert count(s, articles) == 3 and count(s, events) == 4


def test_duplicates_within_one_batch(tmp_path):
    s = Store(tmp_path / "x.db")
    r = s.ingest([syria_document(), syria_document()])
    assert (r.stored, r.skipped_duplicates) == (1, 1)


def test_failures_recorded_and_run_continues(tmp_path):
    s = Store(tmp_path / "x.db")
    err = types.SimpleNamespace(source="feed.jsonl", line=7, message="bad JSON")
    broken = Document(id="broken", text="نص")
    broken.meta["error"] = "Traceback"
    broken.warn("extraction failed: boom")
    empty = Document(id="empty", text="   ")
    r = s.ingest([err, broken, empty] + sample_documents(), batch_size=2)
    assert r.stored == 3 and r.failed == 3
    with s.engine.connect() as c:
        rows = c.execute(select(ingest_failures.c.source, ingest_failures.c.line, ingest_failures.c.message)).all()
    assert ("feed.jsonl", 7, "bad JSON") in rows
    assert any("extraction failed" in m for _, _, m in rows)
    # the document whose extraction failed was not stored, so a re-run can retry it
    assert s.ingest([Document(id="broken", text="نص")]).stored == 1


def test_resumable_after_kill(tmp_path):
    docs = sample_documents()

    def killed_after_first_batch():
        yield docs[0]
        yield docs[1]
        yield docs[2]
        raise KeyboardInterrupt  # the process dies mid-run, batch [docs[2]] still open

    s = Store(tmp_path / "x.db")
    with pytest.raises(KeyboardInterrupt):
        s.ingest(killed_after_first_batch(), batch_size=2)
    assert count(s, articles) == 2  # the committed batch survived; the in-flight one did not
    r = s.ingest(sample_documents(), batch_size=1)
    assert (r.stored, r.skipped_duplicates) == (1, 2)
    assert count(s, articles) == 3


def test_evidence_and_mentions_stored_with_true_offsets(tmp_path):
    from rasd.doc import Mention

    d = syria_document()
    i = d.text.index("كفرنبل")
    d.mentions.append(Mention(i, i + 6, "كفرنبل", "PLACE", {"name": "Kafr Nabl"}, "places", "gazetteer"))
    s = Store(tmp_path / "x.db")
    s.ingest([d])
    assert count(s, mentions) == 1
    with s.engine.connect() as c:
        spans = c.execute(select(evidence_spans).where(evidence_spans.c.start.is_not(None))).all()
    assert spans
    for sp in spans:
        assert d.text[sp.start:sp.end] == sp.text


def test_foreign_keys_cascade(tmp_path):
    s = Store(tmp_path / "x.db")
    s.ingest(sample_documents())
    with s.engine.begin() as c:
        c.execute(articles.delete().where(articles.c.id == "sample-syria-1"))
    assert count(s, events) == 2
    assert s.events(EventFilter(country="Syria"))[0] == 1


def test_content_hash_ignores_whitespace():
    assert content_hash("a  b\n") == content_hash("a b")
    assert content_hash("a b") != content_hash("a c")


def test_doc_dicts_roundtrip(tmp_path):
    s = Store(tmp_path / "x.db")
    s.ingest(sample_documents())
    out = list(s.doc_dicts())
    orig = {d.id: d.to_dict() for d in sample_documents()}
    assert {d["id"] for d in out} == set(orig)
    for d in out:
        o = orig[d["id"]]
        assert d["title"] == o["title"] and d["url"] == o["url"]
        for got, exp in zip(d["events"], o["events"]):
            for k in ("event_type", "sub_event_type", "event_date", "actor1", "actor2", "location",
                      "latitude", "longitude", "fatalities", "evidence", "evidence_spans"):
                assert got[k] == exp[k], k
            assert got["provenance"]["event_type"]["reason"] == exp["provenance"]["event_type"]["reason"]


def test_cli_ingest_and_export(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from rasd.cli import app

    # Stand-in readers (the real module is another area's): one good file, one error record.
    fake = types.ModuleType("rasd.ingest.readers")

    def read_path(path, published=None):
        yield from sample_documents()
        yield types.SimpleNamespace(source=str(path), line=3, message="not an article")

    fake.read_path = read_path
    monkeypatch.setitem(sys.modules, "rasd.ingest.readers", fake)
    # Extraction is the lead's; keep the fixture's coded events.
    import rasd.extract

    monkeypatch.setattr(rasd.extract, "extract_many", lambda items, workers=1: iter(items))
    db = tmp_path / "cli.db"
    runner = CliRunner()
    r = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(db), "--batch-size", "2"])
    assert r.exit_code == 1, r.output  # one record failed
    r = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(db)])
    assert "3" in r.output  # duplicates skipped on the re-run
    assert Store(db).events()[0] == 4
    for fmt in ("csv", "geojson", "parquet", "jsonl"):
        out = tmp_path / f"e.{fmt}"
        r = runner.invoke(app, ["export", "--db", str(db), "--country", "Syria", "--format", fmt, "-o", str(out)])
        assert r.exit_code == 0, r.output
        assert out.stat().st_size > 0
    assert len(json.loads((tmp_path / "e.geojson").read_text())["features"]) == 3
    assert len((tmp_path / "e.jsonl").read_text().splitlines()) == 2
    r = runner.invoke(app, ["export", "--db", str(db), "--format", "xml", "-o", str(tmp_path / "e.xml")])
    assert r.exit_code != 0


def test_associated_actors_survive_the_store_and_its_exports(tmp_path):
    from rasd.extract import extract

    doc = extract(Document(id="ally-1", published=__import__("datetime").date(2015, 7, 22), text=(
        "شنت القوات العراقية بمساندة الحشد الشعبي أمس هجوما واسعا على مواقع تنظيم داعش "
        "في مدينة الفلوجة أسفر عن مقتل 15 مسلحا.")))
    assert [e["assoc_actor_1"] for e in doc.events] == ["Popular Mobilization Forces"]
    s = Store(tmp_path / "x.db")
    s.ingest([doc])
    [row] = list(s.export_rows())
    assert (row["actor1"], row["assoc_actor_1"], row["assoc_actor_2"]) == (
        "Military Forces of Iraq", "Popular Mobilization Forces", None)
    [d] = list(s.doc_dicts())
    assert d["events"][0]["assoc_actor_1"] == "Popular Mobilization Forces"
    # an analyst looking for the militia finds the event it fought in beside the army
    from rasd.store.query import EventFilter

    assert len(list(s.export_rows(EventFilter(actor="mobilization")))) == 1
    assert {a["value"] for a in s.facets()["actors"]} >= {"Popular Mobilization Forces"}
