#!/usr/bin/env python3
"""Build a corpus of hostile inputs for rasd's readers and extractor.

    python scripts/make_bad_inputs.py OUTDIR [--huge-mb 200] [--line-mb 5]

Writes OUTDIR/corpus/ (the files) and OUTDIR/manifest.json, which says for
every file what a correct reader must do with it: the ids of the articles it
must yield (``good``) and the lines (``null`` = the whole file) that must be
reported as errors naming the file (``errors``). Nothing here may be lost
silently: every record is either a good article in the output or an error.

The texts are generic sentences written for this script (no gold data), with
a serial number so that every article has its own content hash.
"""
from __future__ import annotations

import argparse
import codecs
import gzip
import json
import os
import random
from pathlib import Path
from typing import Any

SENTENCES = (
    "قتل {n} مدنيين وأصيب آخرون في قصف مدفعي استهدف بلدة في ريف المحافظة يوم الثلاثاء، بحسب مصادر محلية.",
    "وخرج مئات المتظاهرين في وسط المدينة للمطالبة بتحسين الخدمات وتوفير فرص العمل.",
    "واعتقلت قوات الأمن {n} أشخاص خلال حملة دهم في حي سكني، وفق بيان رسمي.",
    "وأعلنت وزارة الداخلية أن عبوة ناسفة انفجرت قرب دورية للشرطة دون وقوع إصابات.",
    "وقال شهود عيان إن اشتباكات اندلعت بين مسلحين وقوات الجيش استمرت ساعات.",
)
TITLE = "تقرير رقم {n}"


def article(n: int, sentences: int = 3) -> str:
    """A short Arabic article, different for every ``n``."""
    rng = random.Random(n)
    body = " ".join(rng.choice(SENTENCES).format(n=n % 97 + 2) for _ in range(sentences))
    return f"{TITLE.format(n=n)}\n\n{body} (الرقم المرجعي {n})"


def mojibake(s: str) -> str:
    """UTF-8 Arabic read as cp1252 and saved again as UTF-8 (the classic 'Ø§Ù„')."""
    return s.encode("utf-8").decode("cp1252", errors="replace")


class Corpus:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, dict[str, Any]] = {}

    def add(self, rel: str, data: bytes | None, good: list[str] = (), errors: list[int | None] = (),
            note: str = "", clean: bool = False) -> Path:
        """Write one file (``data=None``: already written) and record what must come out of it."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if data is not None:
            path.write_bytes(data)
        self.files[rel] = {"good": list(good), "errors": list(errors), "note": note, "clean": clean}
        return path


def jl(rec: Any) -> bytes:
    return (json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8")


def build(out: Path, huge_mb: float = 200, line_mb: float = 5) -> dict[str, Any]:
    root = out / "corpus"
    root.mkdir(parents=True, exist_ok=True)
    c = Corpus(root)
    n = iter(range(1, 10**9))

    # --- clean controls: must pass with exit code 0 on their own
    c.add("clean/2019-03-12_plain.txt", article(next(n)).encode(), ["2019-03-12_plain"], clean=True,
          note="plain UTF-8 article")
    c.add("clean/feed.jsonl", b"".join(jl({"id": f"clean-{i}", "text": article(next(n)), "published": "2020-01-01"})
                                       for i in range(3)), [f"clean-{i}" for i in range(3)], clean=True,
          note="well-formed JSONL")

    # --- HTML
    html = ("<html><head><title>عنوان الصفحة</title><script>alert('x</p>')</script>"
            "<style>p{color:red</style></head><body><div><p>" + article(next(n)).replace("\n", "</p><p>")
            + "<p>غير مغلق <b>عريض <i>مائل</b></i><script>document.write('<p>حقن</p>')</script>"
            "<!-- تعليق <p>مخفي</p> --></div><div") .encode()
    c.add("html/broken_tags.html", html, ["broken_tags"], note="unclosed and misnested tags, scripts, styles")
    c.add("html/scripts_only.html", b"<html><body><script>var a='\xd9\x82\xd8\xaa\xd9\x84';</script></body></html>",
          [], [None], note="a page with nothing but script")
    c.add("html/cp1256_meta.html",
          ('<html><head><meta charset="windows-1256"></head><body><article><p>'
           + article(next(n)) + "</p></article></body></html>").encode("cp1256"),
          ["cp1256_meta"], note="HTML in windows-1256")

    # --- encodings
    c.add("enc/cp1256.txt", article(next(n)).encode("cp1256"), ["cp1256"], note="windows-1256")
    c.add("enc/utf16_bom.txt", article(next(n)).encode("utf-16"), ["utf16_bom"], note="UTF-16 with BOM")
    c.add("enc/utf16le_nobom.txt", article(next(n)).encode("utf-16-le"), ["utf16le_nobom"], note="UTF-16-LE, no BOM")
    c.add("enc/utf16be_nobom.txt", article(next(n)).encode("utf-16-be"), ["utf16be_nobom"], note="UTF-16-BE, no BOM")
    c.add("enc/utf8_bom.txt", codecs.BOM_UTF8 + article(next(n)).encode(), ["utf8_bom"], note="UTF-8 with BOM")
    c.add("enc/mojibake.txt", mojibake(article(next(n))).encode(), ["mojibake"], note="UTF-8 read as cp1252, saved")
    c.add("enc/utf16_feed.jsonl", "".join(json.dumps({"id": f"u16-{i}", "text": article(next(n))}, ensure_ascii=False)
                                          + "\n" for i in range(2)).encode("utf-16"),
          ["u16-0", "u16-1"], note="JSONL in UTF-16 with BOM")

    # --- empty and junk
    c.add("junk/empty.txt", b"", [], [None], note="0 bytes")
    c.add("junk/blank.txt", b" \n\t\r\n  ", [], [None], note="whitespace only")
    c.add("junk/empty.jsonl", b"", [], [], note="empty JSONL: no records, nothing to report")
    c.add("junk/binary.txt", random.Random(1).randbytes(4096), [], [None],
          note="random bytes")
    c.add("junk/png.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, [], [None], note="an image named .html")
    c.add("junk/corrupt.jsonl.gz", gzip.compress(jl({"id": "gz-0", "text": article(next(n))}) * 1)[:-12] + b"\0" * 4,
          [], [None], note="truncated gzip")
    c.add("junk/nul.txt", article(next(n)).replace(" ", " \0", 3).encode(), [], [None],
          note="NUL bytes in a text file (refused as binary)")

    # --- languages
    c.add("lang/english.txt", b"Protesters gathered in the square on Monday demanding jobs. Police arrested 12.",
          ["english"], note="no Arabic (warning, not error)")
    c.add("lang/mixed.txt", ("Breaking: " + article(next(n)) + " — Источник: агентство; 消息来源 🚀 "
                             "\u202eRTL-override\u202c \u200f\u200d").encode(), ["mixed"], note="mixed scripts, bidi")

    # --- dates
    c.add("dates/9999-12-31_future.txt", article(next(n)).encode(), ["9999-12-31_future"], note="file date 9999")
    c.add("dates/0001-01-01_ancient.txt", article(next(n)).encode(), ["0001-01-01_ancient"], note="file date 0001")
    c.add("dates/2019-02-31_impossible.txt", article(next(n)).encode(), ["2019-02-31_impossible"],
          note="file date 2019-02-31")
    recs = [{"id": f"date-{i}", "text": article(next(n)), "published": p} for i, p in enumerate(
        ["0001-01-01", "9999-12-31", "2019-02-31", "2999-01-01", "yesterday", 20190101, None, "", {"y": 1}])]
    c.add("dates/feed.jsonl", b"".join(jl(r) for r in recs), [r["id"] for r in recs], note="absurd published dates")

    # --- JSONL with malformed lines and missing fields (line numbers are 1-based)
    lines: list[tuple[bytes, str | None, bool]] = [
        (jl({"id": "m-1", "text": article(next(n))}), "m-1", False),
        (b'{"id": "m-2", "text": "unterminated\n', None, True),
        (jl({"id": "m-3"}), None, True),  # no text
        (jl({"id": "m-4", "text": None}), None, True),
        (jl({"id": "m-5", "text": 12345}), None, True),
        (jl(["not", "an", "object"]), None, True),
        (b"\n", None, False),  # blank lines are not records
        (jl({"text": article(next(n))}), "feed-8", False),  # no id: stem-line
        (b"\xff\xfe\x00garbage\n", None, True),
        (jl({"id": "m-10", "text": "   "}), None, True),
        (jl({"id": "m-11", "text": article(next(n)), "title": ["a", "list"], "url": 5, "source": {"x": 1}}), "m-11",
         False),
        (b'{"id": "m-12", "text": "\\ud800 lone surrogate ' + json.dumps(article(next(n)), ensure_ascii=False)[1:].encode()
         + b'}\n', "m-12", False),
        (jl({"id": "m-13", "html": "<p>" + article(next(n)) + "</p>"}), "m-13", False),
        (b"null\n", None, True),
        (b'{"id": "m-15", "text": "x", "text": ' + json.dumps(article(next(n)), ensure_ascii=False).encode() + b'}\n',
         "m-15", False),  # duplicate key: the last one wins
        (jl({"id": "m-16", "text": article(next(n))})[:-1], "m-16", False),  # last line without newline
    ]
    c.add("jsonl/feed.jsonl", b"".join(b for b, _, _ in lines), [g for _, g, _ in lines if g],
          [i for i, (_, _, bad) in enumerate(lines, 1) if bad], note="malformed lines, missing and mistyped fields")

    # --- deeply nested JSON
    depth = 100_000
    c.add("nested/deep.json", b"[" * depth + b"]" * depth, [], [None], note=f"array nested {depth} deep")
    c.add("nested/deep_line.jsonl",
          jl({"id": "n-1", "text": article(next(n))}) + b'{"id": "n-2", "x": ' + b"[" * depth + b"]" * depth + b"}\n"
          + jl({"id": "n-3", "text": article(next(n))}), ["n-1", "n-3"], [2], note="one JSONL line nested deep")
    c.add("nested/deep_text.json", json.dumps({"id": "n-obj", "text": article(next(n)),
                                               "extra": {"a": {"b": {"c": {"d": [[[[[1]]]]]}}}}},
                                              ensure_ascii=False).encode(), ["n-obj"], note="moderate nesting")

    # --- a single huge line (no newline at all)
    words = article(next(n)).replace("\n", " ").split(" ")
    target = int(line_mb * 1024 * 1024)
    rng = random.Random(2)
    buf = bytearray()
    while len(buf) < target:
        buf += (" ".join(rng.choice(words) for _ in range(200)) + " ").encode()
    c.add("huge/one_line.txt", bytes(buf[:target]).decode("utf-8", "ignore").encode(),
          ["one_line"], note=f"one {line_mb} MB line without newline (truncated with a warning)")

    # --- a huge JSONL file, streamed: records of ~2 KB
    huge_ids = []
    target = int(huge_mb * 1024 * 1024)
    path = root / "huge" / "big.jsonl"
    written = 0
    with path.open("wb") as f:
        i = 0
        while written < target:
            rec = jl({"id": f"big-{i}", "text": article(10**6 + i, sentences=8), "published": "2021-05-01"})
            f.write(rec)
            written += len(rec)
            huge_ids.append(f"big-{i}")
            i += 1
    c.add("huge/big.jsonl", None, huge_ids, note=f"{huge_mb} MB of JSONL ({len(huge_ids)} records)")

    # --- a folder with a symlink loop and a self-referencing file link
    loop = root / "loop"
    loop.mkdir(exist_ok=True)
    c.add("loop/inside.txt", article(next(n)).encode(), ["inside"], note="a real file next to the loops")
    for name, target_ in (("again", "."), ("up", "..")):
        link = loop / name
        if not link.is_symlink():
            os.symlink(target_, link)
    for a, b in (("a.txt", "b.txt"), ("b.txt", "a.txt")):
        if not (loop / a).is_symlink():
            os.symlink(b, loop / a)
    c.files["loop/a.txt"] = {"good": [], "errors": [None], "note": "symlink loop a -> b -> a", "clean": False}
    c.files["loop/b.txt"] = {"good": [], "errors": [None], "note": "symlink loop b -> a -> b", "clean": False}
    c.files["loop/again"] = {"good": [], "errors": [], "note": "dir symlink to itself (not followed)", "clean": False}
    c.files["loop/up"] = {"good": [], "errors": [], "note": "dir symlink to its parent (not followed)", "clean": False}

    manifest = {"root": str(root), "files": c.files,
                "good_total": sum(len(f["good"]) for f in c.files.values()),
                "error_total": sum(len(f["errors"]) for f in c.files.values())}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--huge-mb", type=float, default=200, help="size of huge/big.jsonl (default 200 MB)")
    ap.add_argument("--line-mb", type=float, default=5, help="size of the single-line file (default 5 MB)")
    args = ap.parse_args()
    m = build(args.outdir, args.huge_mb, args.line_mb)
    print(f"{len(m['files'])} entries, {m['good_total']} good records, {m['error_total']} expected errors "
          f"-> {args.outdir}")


if __name__ == "__main__":
    main()
