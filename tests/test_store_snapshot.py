"""One connection block reads one snapshot on SQLite, even while another process commits.

Without it the API's total and its page of rows can disagree during an ingest.
"""
from sqlalchemy import text

from rasd.store.db import make_engine


def test_reads_in_one_block_see_one_snapshot(tmp_path):
    url = f"sqlite:///{tmp_path / 'snap.db'}"
    writer, reader = make_engine(url), make_engine(url)
    with writer.begin() as w:
        w.execute(text("CREATE TABLE t (x INTEGER)"))
        w.execute(text("INSERT INTO t VALUES (1)"))
    with reader.connect() as r:
        before = r.execute(text("SELECT COUNT(*) FROM t")).scalar()
        with writer.begin() as w:  # another connection commits in between
            w.execute(text("INSERT INTO t VALUES (2)"))
        after = r.execute(text("SELECT COUNT(*) FROM t")).scalar()
    assert before == after == 1
    with reader.connect() as r:
        assert r.execute(text("SELECT COUNT(*) FROM t")).scalar() == 2
