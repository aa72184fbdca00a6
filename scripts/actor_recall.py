"""Recall of gold actor names among the actors tagged in each article (development measure, not a test).

    python scripts/actor_recall.py [/work/shared/gold/dev.jsonl] [-v]

For every gold event's actor1/actor2 (non-empty), is that name among the ACTOR mentions the
tagger found in the same article? Template actors ("Military Forces of {country}") are filled
with the country the document names most often (no gold information is used).
"""
from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

from rasd.doc import Document
from rasd.nlp.actors import ActorTagger, resolve_generic

DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "gold" / "dev.jsonl"


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    path = Path(args[0]) if args else DEFAULT
    tagger = ActorTagger()
    try:
        from rasd.text.segment import Segmenter

        segment = Segmenter()
    except ImportError:  # segmenter not available: tag whole texts
        segment = None
    hit = total = near = 0
    missed: Counter[str] = Counter()
    elapsed = 0.0
    n_docs = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        art = json.loads(line)
        doc = Document(art["id"], art["text"], title=art.get("title", ""))
        if segment is not None:
            doc = segment(doc)
        t0 = time.perf_counter()
        tagger(doc)
        elapsed += time.perf_counter() - t0
        n_docs += 1
        mentions = doc.mentions_of("ACTOR")
        main_country = _main_country(doc)
        names = {resolve_generic(m.value, main_country).name for m in mentions}
        for ev in art["events"]:
            for slot in ("actor1", "actor2"):
                gold = ev.get(slot) or ""
                if not gold:
                    continue
                total += 1
                if gold in names:
                    hit += 1
                else:
                    missed[gold] += 1
                # Stricter: tagged inside the gold evidence sentence(s).
                ev_text = ev.get("evidence") or ""
                pos = doc.text.find(ev_text[:60]) if ev_text else -1
                if pos >= 0:
                    local = {resolve_generic(m.value, main_country).name for m in mentions
                             if pos <= m.start < pos + len(ev_text)}
                    near += gold in local
        if verbose:
            print(art["id"], main_country, sorted(names))
    print(f"gold actor names found among tagged actors: {hit}/{total} = {hit / max(total, 1):.3f}")
    print(f"... tagged inside the gold evidence text: {near}/{total} = {near / max(total, 1):.3f}")
    print(f"tagger time: {elapsed * 1000 / max(n_docs, 1):.2f} ms/article over {n_docs} articles")
    print("missed:", dict(missed.most_common()))


def _main_country(doc: Document) -> str | None:
    from rasd.nlp.actors import CountryEntry, actor_lexicon
    from rasd.text.normalize import normalize

    counts: Counter[str] = Counter()
    for m in actor_lexicon().matcher.iter_find(normalize(doc.text).text):
        for name in {p.name for p in m.payloads if isinstance(p, CountryEntry)}:
            counts[name] += 1
    return counts.most_common(1)[0][0] if counts else None


if __name__ == "__main__":
    main(sys.argv[1:])
