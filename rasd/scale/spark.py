"""The rasd pipeline as a PySpark job: a corpus on a cluster in, ACLED-style Parquet out.

Input: JSON Lines (``.jsonl``/``.jsonl.gz``, records ``id,title,text,published,source,url``),
Parquet with the same columns, or WARC archives, from a local path or any URI Hadoop
can read (``s3a://``, ``gs://``, ``abfss://``, ``hdfs://``). Each record goes through
the same reader code as ``rasd extract`` (so ids, titles, dates and warnings agree),
then through ``rasd.extract.extract`` inside ``mapPartitions``: the pipeline is built
once per executor Python process (``default_pipeline`` is a process-wide singleton and
Spark reuses Python workers), never per record.

Output under ``OUT``:
  ``events/``    Parquet, one row per event with ``rasd.export.ACLED_COLUMNS``,
                 partitioned by ``event_date`` and ``country``;
  ``failures/``  JSON Lines, one row per record that could not be read or extracted
                 (``source``, ``line``, ``article_id``, ``stage``, ``message``);
  ``_rasd_summary.json`` counts of the run (written by the driver).

Run: ``python -m rasd.scale.spark IN OUT`` or ``rasd spark IN OUT`` (local), or
``spark-submit`` on a cluster (see docs/cluster.md).
"""
from __future__ import annotations

import datetime as dt
import io
import json
import sys
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

INPUT_FORMATS = ("auto", "jsonl", "parquet", "warc")
FAILURE_COLUMNS = ("source", "line", "article_id", "stage", "message")


@dataclass
class SparkRunSummary:
    documents: int
    events: int
    failures: int
    input_format: str
    output: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


# ---------------------------------------------------------------- executor side (plain Python, no Spark)


def _tag(kind: str, payload: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return kind, payload


def _items_to_outputs(items: Iterable[Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Extract each Document; emit ("event", ACLED row) per event and ("failure", row) per
    unreadable record or failed extraction, ("doc", {}) once per document for counting."""
    from rasd.doc import Document
    from rasd.export import event_rows
    from rasd.extract import extract

    for item in items:
        if not isinstance(item, Document):
            yield _tag("failure", {"source": item.source, "line": item.line, "article_id": None,
                                   "stage": "ingest", "message": item.message})
            continue
        doc = extract(item)
        yield _tag("doc", {})
        if "error" in doc.meta:
            failed = next((w for w in doc.warnings if w.startswith("extraction failed")), "extraction failed")
            yield _tag("failure", {"source": doc.meta.get("path"), "line": doc.meta.get("line"),
                                   "article_id": doc.id, "stage": "extract", "message": failed})
        for row in event_rows([doc.to_dict()]):
            yield _tag("event", row)


def jsonl_lines_to_items(lines: Iterable[tuple[str, int, str]], published: dt.date | None) -> Iterator[Any]:
    """(source path, 1-based line number, line text) -> Documents/IngestErrors, through the
    reader ``rasd extract`` uses, so a record gets the same id and fields either way."""
    from rasd.ingest.readers import DEFAULT_MAX_CHARS, iter_jsonl

    for source, lineno, line in lines:
        raw = line.encode("utf-8", "surrogatepass")
        yield from iter_jsonl(io.BufferedReader(io.BytesIO(raw)), source, published, DEFAULT_MAX_CHARS,
                               first_line=lineno)


def _json_default(v: Any) -> Any:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return str(v)


def records_to_lines(records: Iterable[tuple[str, int, dict[str, Any]]]) -> Iterator[tuple[str, int, str]]:
    """Parquet rows as JSON lines, so they take exactly the JSONL reader path."""
    for source, n, rec in records:
        yield source, n, json.dumps(rec, ensure_ascii=False, default=_json_default)


def process_jsonl_partition(lines: Iterable[tuple[str, int, str]], published: dt.date | None
                            ) -> Iterator[tuple[str, dict[str, Any]]]:
    return _items_to_outputs(jsonl_lines_to_items(lines, published))


def process_warc_partition(files: Iterable[tuple[str, bytes]], published: dt.date | None
                           ) -> Iterator[tuple[str, dict[str, Any]]]:
    from rasd.scale.warc import iter_warc

    def items() -> Iterator[Any]:
        for path, data in files:
            yield from iter_warc(io.BytesIO(data), path, published)

    return _items_to_outputs(items())


# ---------------------------------------------------------------- driver side


def spark_schema():  # -> pyspark.sql.types.StructType, mirroring rasd.export.parquet_schema
    import pyarrow as pa
    from pyspark.sql import types as T

    from rasd.export import parquet_schema

    mapping = {pa.int64(): T.LongType(), pa.float64(): T.DoubleType(), pa.date32(): T.DateType(),
               pa.string(): T.StringType()}
    return T.StructType([T.StructField(f.name, mapping[f.type], True) for f in parquet_schema()])


def failure_schema():
    from pyspark.sql import types as T

    return T.StructType([
        T.StructField("source", T.StringType(), True),
        T.StructField("line", T.LongType(), True),
        T.StructField("article_id", T.StringType(), True),
        T.StructField("stage", T.StringType(), True),
        T.StructField("message", T.StringType(), True),
    ])


def build_session(master: str | None = None, app_name: str = "rasd", quiet: bool = True, **conf: str):
    """A SparkSession; ``master`` None leaves it to spark-submit. Quiet: WARN logs, no UI."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
        if master.startswith("local"):
            # Local workers must run this interpreter (the venv with rasd), not whatever python3 is on PATH.
            import os

            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if quiet:
        builder = builder.config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
    for k, v in conf.items():
        builder = builder.config(k.replace("__", "."), v)
    spark = builder.getOrCreate()
    if quiet:
        spark.sparkContext.setLogLevel("WARN")
    return spark


def detect_format(path: str) -> str:
    p = path.lower().rstrip("/")
    if p.endswith((".warc", ".warc.gz", ".arc.gz")):
        return "warc"
    if p.endswith(".parquet"):
        return "parquet"
    return "jsonl"


def _list_files(spark, path: str) -> list[str]:
    """Files under ``path`` (any Hadoop filesystem), sorted like ``rasd extract`` walks a folder."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    hpath = jvm.org.apache.hadoop.fs.Path(path)
    fs = hpath.getFileSystem(conf)
    statuses = fs.globStatus(hpath) or []
    out: list[str] = []
    stack = list(statuses)
    while stack:
        st = stack.pop()
        name = st.getPath().getName()
        if name.startswith((".", "_")):
            continue
        if st.isDirectory():
            stack.extend(fs.listStatus(st.getPath()))
        else:
            out.append(st.getPath().toString())
    return sorted(out)


def _display_path(uri: str) -> str:
    # Hadoop writes local files as file:/x; rasd extract names them /x. Keep them alike in failures.
    return uri[5:] if uri.startswith("file:/") and not uri.startswith("file://") else uri.replace("file://", "", 1)


def _jsonl_lines_rdd(spark, files: list[str], partitions: int):
    """(path, line number, line) for every line of every file, line numbers per file from 1.

    A .gz file is one unsplittable partition, so the lines are repartitioned afterwards:
    without that, a single-file corpus would run on one core of the cluster.
    """
    sc = spark.sparkContext
    rdds = []
    for f in files:
        shown = _display_path(f)
        rdd = sc.textFile(f).zipWithIndex().map(lambda li, s=shown: (s, li[1] + 1, li[0]))
        rdds.append(rdd)
    lines = sc.union(rdds) if len(rdds) > 1 else rdds[0]
    return lines.repartition(partitions)


def _parquet_lines_rdd(spark, path: str, partitions: int):
    df = spark.read.parquet(path)
    shown = _display_path(path)
    return (df.rdd.zipWithIndex()
            .map(lambda ri: (shown, ri[1] + 1, ri[0].asDict(recursive=True)))
            .repartition(partitions)
            .mapPartitions(records_to_lines))


def run_job(
    input_path: str,
    output: str,
    *,
    spark=None,
    input_format: str = "auto",
    published: dt.date | None = None,
    partitions: int | None = None,
    mode: str = "overwrite",
) -> SparkRunSummary:
    """Extract events from ``input_path`` with Spark and write them under ``output``."""
    if input_format not in INPUT_FORMATS:
        raise ValueError(f"input format must be one of {INPUT_FORMATS}")
    spark = spark or build_session()
    sc = spark.sparkContext
    fmt = detect_format(input_path) if input_format == "auto" else input_format
    n_parts = partitions or max(2, sc.defaultParallelism * 4)

    if fmt == "parquet":
        outputs = _parquet_lines_rdd(spark, input_path, n_parts).mapPartitions(
            lambda it: process_jsonl_partition(it, published))
    else:
        files = _list_files(spark, input_path)
        if not files:
            raise FileNotFoundError(f"no input files at {input_path}")
        if fmt == "warc":
            blobs = sc.binaryFiles(",".join(files), minPartitions=min(len(files), n_parts))
            outputs = blobs.map(lambda kv: (_display_path(kv[0]), kv[1])).mapPartitions(
                lambda it: process_warc_partition(it, published))
        else:
            outputs = _jsonl_lines_rdd(spark, files, n_parts).mapPartitions(
                lambda it: process_jsonl_partition(it, published))

    from pyspark import StorageLevel

    # Three outputs come from one pass: keep it so extraction runs once, not once per write.
    outputs = outputs.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        events = outputs.filter(lambda kv: kv[0] == "event").map(lambda kv: _row_tuple(kv[1]))
        events_df = spark.createDataFrame(events, spark_schema())
        # Shuffling by the partition columns first gives one file per date/country folder instead of
        # one per task and folder: far fewer small files, and a faster write.
        (events_df.repartition("event_date", "country").write.mode(mode).partitionBy("event_date", "country")
         .parquet(output.rstrip("/") + "/events"))
        failures = outputs.filter(lambda kv: kv[0] == "failure").map(
            lambda kv: tuple(kv[1].get(c) for c in FAILURE_COLUMNS))
        failures_df = spark.createDataFrame(failures, failure_schema())
        failures_df.coalesce(1).write.mode(mode).json(output.rstrip("/") + "/failures")
        counts = dict(outputs.map(lambda kv: (kv[0], 1)).reduceByKey(lambda a, b: a + b).collect())
    finally:
        outputs.unpersist()
    summary = SparkRunSummary(counts.get("doc", 0), counts.get("event", 0), counts.get("failure", 0), fmt, output)
    _write_summary(spark, output, summary)
    return summary


def _row_tuple(row: dict[str, Any]) -> tuple:
    from rasd.export import ACLED_COLUMNS

    out = []
    for c in ACLED_COLUMNS:
        v = row.get(c)
        if c == "event_date" and isinstance(v, str):
            try:
                v = dt.date.fromisoformat(v[:10])
            except ValueError:
                v = None
        out.append(v)
    return tuple(out)


def _write_summary(spark, output: str, summary: SparkRunSummary) -> None:
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    path = jvm.org.apache.hadoop.fs.Path(output.rstrip("/") + "/_rasd_summary.json")
    stream = path.getFileSystem(conf).create(path, True)
    try:
        stream.write(bytearray(json.dumps(summary.to_dict(), indent=2).encode("utf-8")))
    finally:
        stream.close()


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m rasd.scale.spark", description=__doc__.split("\n\n")[0])
    ap.add_argument("input", help="file, folder, glob or URI (JSONL[.gz], Parquet, WARC)")
    ap.add_argument("output", help="output folder or URI (events/, failures/)")
    ap.add_argument("--format", default="auto", choices=INPUT_FORMATS, dest="input_format")
    ap.add_argument("--published", default=None, help="YYYY-MM-DD for records without a date")
    ap.add_argument("--master", default=None, help="e.g. local[4]; default: whatever spark-submit set")
    ap.add_argument("--partitions", type=int, default=None)
    args = ap.parse_args(argv)
    pub = dt.date.fromisoformat(args.published) if args.published else None
    master = args.master
    if master is None and not _under_spark_submit():
        master = "local[*]"
    spark = build_session(master)
    try:
        summary = run_job(args.input, args.output, spark=spark, input_format=args.input_format,
                          published=pub, partitions=args.partitions)
    finally:
        spark.stop()
    print(json.dumps(summary.to_dict(), ensure_ascii=False))
    return 0


def _under_spark_submit() -> bool:
    """spark-submit starts the driver with a gateway already open and the master set."""
    import os

    return "PYSPARK_GATEWAY_PORT" in os.environ


if __name__ == "__main__":
    # spark-submit runs this file as __main__; going through the installed module makes the functions
    # shipped to executors refer to rasd.scale.spark by name instead of being pickled by value.
    from rasd.scale import spark as _installed

    sys.exit(_installed.main())
