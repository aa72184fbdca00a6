"""Numbers in Arabic news: digits, number words, composites ("65 ألف", "ثلاثة آلاف"), duals and
vague quantities coded by ACLED's fatality convention ("عشرات" = 12).

Matching runs on normalised text (one precompiled regex finds candidate tokens, a small
grammar joins them) and every span is mapped back to the original text.
"""
from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from rasd.doc import Document, Mention
from rasd.pipeline import component
from rasd.text.normalize import _DROP, normalize, normalize_plain

RESOURCE_DIR = Path(__file__).resolve().parents[1] / "resources" / "dates"


def read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of a TSV under ``rasd/resources/dates/`` (lines starting with # are comments)."""
    with open(RESOURCE_DIR / name, encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    return [dict(row) for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)]


def extend_over_marks(text: str, end: int) -> int:
    """Move ``end`` past diacritics/tatweel that follow it: they belong to the word just matched."""
    n = len(text)
    while end < n and ord(text[end]) in _DROP:
        end += 1
    return end


@functools.lru_cache(maxsize=8)  # the numbers and dates components normalise the same doc.text
def norm_mapper(text: str) -> tuple[str, Callable[[int, int], tuple[int, int]]]:
    """Normalised text and the function mapping its spans back to ``text`` (``rasd.text.normalize``)."""
    norm = normalize(text)
    return norm.text, norm.to_original


@dataclass(frozen=True, slots=True)
class NumberMatch:
    start: int  # offsets into the text given to find_numbers
    end: int
    value: int
    approximate: bool
    reason: str
    kind: str = "count"  # count | measure (time, distance, money, percent...) | year | clock


@dataclass(frozen=True, slots=True)
class _Word:
    value: float
    kind: str  # number | ten | hundred | scale | scale_plural | vague | dual
    mult: float
    source: str


def _load_words() -> dict[str, _Word]:
    words: dict[str, _Word] = {}
    for row in read_tsv("number_words.tsv"):
        mult = float(row["mult"]) if row.get("mult") else 0.0
        words[" ".join(normalize_plain(row["word"]).split())] = _Word(
            float(row["value"]), row["kind"], mult, row.get("source", "")
        )
    for row in read_tsv("casualty_nouns.tsv"):
        for dual in filter(None, (d.strip() for d in (row.get("dual") or "").split(","))):
            words[normalize_plain(dual)] = _Word(2, "dual", 0, f"dual of '{row['singular']}'")
    return words


_WORDS = _load_words()
_SINGULARS: dict[str, str] = {
    normalize_plain(r["singular"]): r["singular"] for r in read_tsv("casualty_nouns.tsv")
}
_MEASURES: dict[str, str] = {normalize_plain(r["word"]): r["measure"] for r in read_tsv("measure_nouns.tsv")}


def _alternation(keys: list[str], ws: str = r"[^\S\n]+") -> str:
    """A regex matching any of ``keys`` (spaces inside a key match runs of spaces), longest first.

    Built as a character trie: Python's re tries alternatives one by one, so factoring common
    prefixes makes lexicon regexes several times faster than a flat "a|b|c" list.
    """
    trie: dict[str, dict] = {}
    for key in keys:
        node = trie
        for ch in " ".join(key.split()):
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [(ws if ch == " " else re.escape(ch)) + build(node[ch]) for ch in sorted(node) if ch]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        # Greedy "?" keeps the longest key: the optional tail is tried before stopping here.
        return "(?:" + "|".join(branches) + (")?" if "" in node else ")")

    return build(trie) if trie else r"(?!x)x"


_DIGITS = r"\d{1,3}(?:[,٬]\d{3})+|\d+(?:[.٫]\d+)?"
# Digits and words are two regexes: a top-level "digits|words" alternation defeats re's fast
# first-character scan and costs three times as much as the two passes.
# Both start with a character class, not a look-behind, so that re can use its fast scan for the
# first character; the left boundary is checked right after the first character / in Python.
_DIGIT_RE = re.compile(r"\d(?<![\d.,٫٬/:A-Za-z]\d)(?:\d{0,2}(?:[,٬]\d{3})+|\d*(?:[.٫]\d+)?)(?![\d/:]|[.,٫٬]\d)")
_PROCLITICS = ("", "و", "ف", "ب", "ل", "ك", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "وب", "ول", "فب", "فل", "وك")
_WORD_RE = re.compile(_alternation([p + w for w in _WORDS for p in _PROCLITICS]) + r"(?!\w)")


def _split_prefix(form: str) -> tuple[str, str] | None:
    """(proclitic, number word) of a matched form, preferring the longest known word."""
    for cut in range(0, min(3, len(form)) + 1):
        word = " ".join(form[cut:].split())
        if form[:cut] in _PROCLITICS and word in _WORDS:
            return form[:cut], word
    return None
# Between joined number tokens: spaces, an optional "و", and the article of a plural scale ("عشرات الآلاف").
_ORDINAL_BEFORE_RE = re.compile(r"(?<!\w)(?:ال)?(?:حادي|ثاني|ثالث|رابع|خامس|سادس|سابع|ثامن|تاسع)ه?[^\S\n]+$")
_GAP_RE = re.compile(r"[^\S\n]*(?:و[^\S\n]*)?(?:ال)?")
_HEDGE_RE = re.compile(
    r"(?<!\w)(نحو|حوالي|قرابه|زهاء|اكثر[^\S\n]+من|اقل[^\S\n]+من|ما[^\S\n]+يزيد[^\S\n]+(?:عن|علي)"
    r"|ما[^\S\n]+لا[^\S\n]+يقل[^\S\n]+عن|ما[^\S\n]+يقارب|يقارب|ما[^\S\n]+يناهز|يناهز|اكثر[^\S\n]+من)[^\S\n]*$"
)
_MEASURE_RE = re.compile(rf"[^\S\n]*(?:ال)?({_alternation([k for k in _MEASURES if k[0].isalpha()])})(?!\w)|[^\S\n]*([%٪])")
_YEAR_CUE_RE = re.compile(r"(?<!\w)(?:[وفبل]?(?:ال)?عام|[وفبل]?سنه|منذ|حتي)[^\S\n]*$")
_CLOCK_CUE_RE = re.compile(r"(?<!\w)[وفب]?(?:ال)?ساعه[^\S\n]*$")


@dataclass(slots=True)
class _Tok:
    start: int  # normalised offsets of the number word itself (proclitics excluded)
    end: int
    text: str
    value: float
    kind: str  # digit or a _Word kind
    mult: float
    source: str
    waw: bool = False  # joined to the previous token by "و"


def _tokens(norm: str) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in _DIGIT_RE.finditer(norm):
        raw = m.group()
        try:
            value = float(raw.replace(",", "").replace("٬", "").replace("٫", "."))
        except ValueError:
            continue
        toks.append(_Tok(m.start(), m.end(), raw, value, "digit", 0, "digits"))
    for m in _WORD_RE.finditer(norm):
        start = m.start()
        if start and (norm[start - 1].isalnum() or norm[start - 1] == "_"):
            continue  # the tail of a longer word ("اتسع" is not "تسع")
        split = _split_prefix(m.group())
        if split is None:
            continue
        prefix, word = split
        info = _WORDS[word]
        if "ال" in prefix and info.kind not in ("vague", "scale_plural", "dual"):
            continue  # "الاثنين" is Monday, "الثلاثه" an ordinal-like reference, not a count
        if prefix and len(word) <= 3 and info.kind not in ("scale", "scale_plural"):
            continue  # "لست" is "I am not", "وست" West: short words with a clitic are rarely numbers
        if info.kind == "ten" and _ORDINAL_BEFORE_RE.search(norm, max(0, start - 12), start):
            continue  # "الحادية عشرة": an ordinal, not ten
        # The article belongs to the quantity ("المئات", "الجنديين"); conjunctions and prepositions do not.
        wstart = start + (prefix.index("ال") if "ال" in prefix else len(prefix))
        toks.append(_Tok(wstart, m.end(), norm[wstart : m.end()], info.value, info.kind, info.mult, info.source))
    toks.sort(key=lambda t: t.start)
    return toks


def _joinable(norm: str, prev: _Tok, tok: _Tok) -> bool:
    gap = norm[prev.end : tok.start]
    m = _GAP_RE.fullmatch(gap)
    if m is None:
        return False
    tok.waw = "و" in gap
    return True


def _assemble(
    norm: str, toks: list[_Tok], show: Callable[[int, int], str]
) -> list[tuple[int, int, float, bool, str]]:
    """Join adjacent number tokens into values: (start, end, value, approximate, reason).

    ``show`` renders a normalised span as original text, for the reasons.
    """
    out: list[tuple[int, int, float, bool, str]] = []
    i, n = 0, len(toks)
    while i < n:
        first = toks[i]
        total, current, approx = 0.0, 0.0, False
        reason = ""
        if first.kind == "dual":
            out.append((first.start, first.end, 2, False, f"{first.source}: 2"))
            i += 1
            continue
        if first.kind == "vague":
            current, approx = first.value, True
            reason = f"'{show(first.start, first.end)}' is vague: {first.source}"
        elif first.kind == "scale_plural":
            current, approx = first.value, True
            reason = f"'{show(first.start, first.end)}' alone is vague: coded as {int(first.value)}"
        elif first.kind == "scale":
            total = first.value
        else:
            current = first.value
        j = i + 1
        while j < n and _joinable(norm, toks[j - 1], toks[j]):
            prev, tok = toks[j - 1], toks[j]
            if tok.kind in ("scale", "scale_plural") and not tok.waw and prev.kind not in ("scale", "scale_plural", "dual"):
                if prev.kind == "vague":
                    current = prev.mult
                    reason = f"'{show(prev.start, tok.end)}' is vague: coded as {int(prev.mult * tok.value)}"
                total += (current or 1) * tok.value
                current = 0
            elif tok.kind == "hundred" and not tok.waw and prev.kind == "number" and 1 <= prev.value <= 9:
                current += prev.value * 99  # "ثلاث مئة": 3 -> 300
            elif tok.kind == "ten" and not tok.waw and prev.kind == "number" and 3 <= prev.value <= 9:
                current += 10  # "ثلاثة عشر": 13
            elif tok.waw and prev.kind not in ("vague", "dual") and tok.kind != "vague" and tok.kind != "dual" and (
                tok.kind != "digit" or prev.kind in ("scale", "scale_plural")
            ) and (
                prev.kind in ("scale", "scale_plural")
                or (prev.value < 10 and 20 <= tok.value <= 90 and tok.value % 10 == 0)
                or (prev.value >= 100 and tok.value < prev.value)
            ):
                current += tok.value  # "خمسة وعشرون", "مئة وخمسون", "ألف وخمسمائة"
            else:
                break
            j += 1
        last = toks[j - 1]
        value = total + current
        if not reason:
            if j - i == 1:
                reason = "digits" if first.kind == "digit" else f"number word '{show(first.start, first.end)}'"
            else:
                reason = f"'{show(first.start, last.end)}' = {int(round(value))}"
        out.append((first.start, last.end, value, approx, reason))
        i = j
    return out


def _kind(norm: str, start: int, end: int, value: float, text: str) -> str:
    if _MEASURE_RE.match(norm, end):
        return "measure"
    before = norm[max(0, start - 12) : start]
    if value == int(value) and 1900 <= value <= 2100 and text.isdigit() and _YEAR_CUE_RE.search(before):
        return "year"
    if _CLOCK_CUE_RE.search(before) and value <= 24:
        return "clock"
    return "count"


def _find_norm(norm: str, show: Callable[[int, int], str] | None = None) -> list[NumberMatch]:
    toks = _tokens(norm)
    if not toks:
        return []
    out: list[NumberMatch] = []
    for s, e, value, approx, reason in _assemble(norm, toks, show or (lambda a, b: norm[a:b])):
        hedge = _HEDGE_RE.search(norm, max(0, s - 20), s)
        if hedge:
            approx = True
            reason += f"; hedged by '{show(hedge.start(1), hedge.end(1)) if show else hedge.group(1)}'"
        kind = _kind(norm, s, e, value, norm[s:e]) if value == int(value) else "measure"  # "3.5" is no count
        out.append(NumberMatch(s, e, int(round(value)), approx, reason, kind))
    return out


def find_numbers(text: str) -> list[NumberMatch]:
    """Every number in ``text`` (original offsets), composites joined ("ثلاثة آلاف" = 3000).

    Vague quantities follow ACLED's fatality convention (عشرات = 12, مئات = 100, آلاف = 1000,
    عدة/عدد من/بعض = 3) and come with ``approximate=True``; so do hedged numbers ("نحو 20").
    Numbers followed by a unit ("24 ساعة", "20 بالمئة") get ``kind="measure"``.
    """
    if not text:
        return []
    norm, to_orig = norm_mapper(text)

    def show(s: int, e: int) -> str:
        a, b = to_orig(s, e)
        return text[a:b]

    out = []
    for m in _find_norm(norm, show):
        s, e = to_orig(m.start, m.end)
        e = extend_over_marks(text, e)
        out.append(NumberMatch(s, e, m.value, m.approximate, m.reason, m.kind))
    return out


_PLAIN_DIGITS_RE = re.compile(r"\d{1,3}(?:[,٬]\d{3})+|\d+")


@functools.lru_cache(maxsize=4096)
def parse_number(s: str) -> int | None:
    """The integer written in ``s`` (digits, number words, composites, duals), or None.

    Never raises. The whole string must be the number (surrounding spaces and punctuation aside).
    """
    try:
        norm = normalize_plain(s or "").strip().strip(".,،:؛;!?؟()\"'«»")
        if not norm:
            return None
        if _PLAIN_DIGITS_RE.fullmatch(norm):
            return int(norm.replace(",", "").replace("٬", ""))
        found = _find_norm(norm)
        if len(found) == 1 and found[0].start == 0 and found[0].end == len(norm):
            return found[0].value
        return _pyarabic_number(norm)
    except Exception:  # noqa: BLE001 - a parser of untrusted text must not raise
        return None


def _pyarabic_number(norm: str) -> int | None:
    """Fallback to pyarabic for word forms our table lacks, only when it reads the whole string."""
    if not re.fullmatch(r"[\u0621-\u064A ]+", norm):
        return None
    from pyarabic import number as pa

    phrases = pa.extract_number_phrases(norm)
    if len(phrases) != 1 or normalize_plain(phrases[0]).split() != norm.split():
        return None
    value = pa.text2number(norm)
    return int(value) if value and value > 0 else None


_PHRASE_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
_STOP_PUNCT = frozenset(".،,؛;:!؟?()\"«»")
_ONE_OF_RE = re.compile(r"(?:احد|احدي)$")


def _strip_clitics(tok: str) -> str:
    for p in ("وال", "فال", "بال", "ال", "و", "ف"):
        if tok.startswith(p) and len(tok) - len(p) >= 3:
            return tok[len(p):]
    return tok


def count_in_phrase(text: str) -> NumberMatch | None:
    """The count of people in a casualty phrase such as the text right after a death word.

    ``text`` starts at (or just after) the death trigger: "مقتل جنديين في ..." -> 2,
    "مقتل 5 أشخاص" -> 5, "مقتل عشرات المدنيين" -> 12 (approximate), "مقتل شخص" -> 1,
    "مقتل أحد الجنود" -> 1. Looks at the first few words only, up to punctuation; None if no
    count is attached (a plural without number: "مقتل مدنيين").
    """
    try:
        return _count_in_phrase(text)
    except Exception:  # noqa: BLE001
        return None


def _count_in_phrase(text: str) -> NumberMatch | None:
    first = _first_count_in_phrase(text)
    if first is None:
        return None
    more = count_listed_after(text[first.end:])
    if more is None:
        return first
    end = first.end + more.end
    return NumberMatch(first.start, end, first.value + more.value, first.approximate,
                       f"{first.reason}, {more.reason}", first.kind)


def _singular(stem: str) -> str | None:
    """The listed singular casualty noun ``stem`` is ("جندي", or accusative "جنديا"), if any."""
    for form in (stem, stem[:-1] if stem.endswith("ا") else None):
        if form and form in _SINGULARS:
            return _SINGULARS[form]
    return None


def _person_count(stem: str) -> int:
    """1 for a singular casualty noun ("جندي", accusative "جنديا"), 2 for a dual ("جنديين"), else 0."""
    if _singular(stem):
        return 1
    word = _WORDS.get(stem)
    return 2 if word is not None and word.kind == "dual" else 0


# After "أحد" these make it the number "one" ("عسكري واحد على الأقل"), not "one of" a group.
_NOT_A_GROUP = frozenset({"علي", "في", "من", "فقط", "او", "ام", "بعد", "قبل", "خلال", "منهم", "الاقل"})


def _wounded_patterns() -> tuple[tuple[str, bool], ...]:
    """The "wounded" cue words of ``event_cues.tsv`` (the one list of them): (stem, takes a suffix)."""
    with open(RESOURCE_DIR.parent / "event_cues.tsv", encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    rows = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return tuple((normalize_plain(r["pattern"].rstrip("*")), r["pattern"].endswith("*"))
                 for r in rows if r["cue"] == "wounded" and " " not in r["pattern"])


_WOUNDED = _wounded_patterns()


def _is_wounded(tok: str) -> bool:
    """"جرحى", "مصابين", "وجرح": a word that counts the wounded, not the dead."""
    return any(form.startswith(stem) if suffix else form == stem
               for form in {tok, _strip_clitics(tok)} for stem, suffix in _WOUNDED)
_PLURALS: frozenset[str] = frozenset(
    normalize_plain(p.strip()) for r in read_tsv("casualty_nouns.tsv") for p in (r.get("plural") or "").split(",") if p.strip()
)


def _is_people(tok: str) -> bool:
    """A plural that counts people: "جنود", "أشخاص", or a sound plural of a listed noun ("مدنيين")."""
    stem = _strip_clitics(tok)
    if _is_wounded(tok):
        return False
    if stem in _PLURALS or (stem.endswith("ا") and stem[:-1] in _PLURALS):
        return True
    return any(stem.endswith(suffix) and stem[: -len(suffix)] in _SINGULARS for suffix in ("ين", "ون"))


def _phrase_words(norm: str, max_words: int) -> list[re.Match[str]]:
    words: list[re.Match[str]] = []
    for m in _PHRASE_TOKEN_RE.finditer(norm):
        if m.group() in _STOP_PUNCT or not m.group()[0].isalnum() and m.group() not in "%٪":
            break
        words.append(m)
        if len(words) >= max_words:
            break
    return words


def count_listed_after(text: str) -> NumberMatch | None:
    """People added with "و" right after a counted group: "(10 مدنيين) وجندي" -> 1.

    ``text`` starts right after the first count ("مقتل 10| مدنيين وجندي من تشاد"). Adds up
    conjuncts joined by "و": a singular or dual casualty noun ("وجندي"), "أحد X" ("وأحد
    المسلحين"), or a count ("وثلاثة جنود"), with at most two words (the group's noun and an
    adjective) before each. Stops at anything else joined by "و" ("وإصابة 20"), at punctuation,
    or after eight words. Offsets are into ``text``.
    """
    norm, to_orig = norm_mapper(text)
    words = _phrase_words(norm, 8)
    total, end, gap, idx = 0, None, 0, 0
    parts: list[str] = []
    while idx < len(words):
        tok = words[idx].group()
        if not (tok.startswith("و") and len(tok) > 1):
            gap += 1
            if gap > 2:
                break
            idx += 1
            continue
        rest = tok[1:]
        if _is_wounded(rest):
            break  # "قتيل وجريح"
        people, stop = _person_count(_strip_clitics(rest)), idx
        if not people and _ONE_OF_RE.fullmatch(rest):
            if idx + 1 >= len(words) or words[idx + 1].group() in _NOT_A_GROUP:
                break
            if gap == 0 and not words[idx + 1].group().startswith("ال"):
                break  # "شخص واحد وجرح ...": the number one after its noun, not "and one of"
            people, stop = 1, idx + 1
        if not people:
            span_end = words[min(idx + 1, len(words) - 1)].end()
            nums = [n for n in _find_norm(norm[words[idx].start() + 1:span_end], lambda a, b: "")
                    if n.kind == "count" and n.value > 0 and n.start == 0]
            if not nums or nums[0].approximate or idx + 1 >= len(words) or not _is_people(words[idx + 1].group()):
                break  # "قتيل و150 جريحا", "والعديد من الجرحى": not more dead
            people, stop = int(nums[0].value), idx + 1
        total += people
        a, b = to_orig(words[idx].start(), words[stop].end())
        end = extend_over_marks(text, b)
        parts.append(text[a:end])
        gap, idx = 0, stop + 1
    if not total or end is None:
        return None
    return NumberMatch(0, end, total, False, f"+ {total} listed with it ({', '.join(repr(p) for p in parts)})")


def person_noun_in_phrase(text: str) -> NumberMatch | None:
    """One person named by a noun in the first three words: "مقتل جندي", "استشهاد طفل", "مقتل أحد الجنود"."""
    norm, to_orig = norm_mapper(text)
    words = _phrase_words(norm, 5)
    for idx, m in enumerate(words[:3]):
        tok = m.group()
        singular = _singular(_strip_clitics(tok))
        if singular:
            s, e = to_orig(m.start(), m.end())
            e = extend_over_marks(text, e)
            return NumberMatch(s, e, 1, False, f"singular '{singular}' counted: one person ('{text[s:e]}')")
        if _ONE_OF_RE.fullmatch(tok) and idx + 1 < len(words) and words[idx + 1].group() not in _NOT_A_GROUP:
            s, e = to_orig(m.start(), words[idx + 1].end())
            e = extend_over_marks(text, e)
            return NumberMatch(s, e, 1, False, f"'{text[s:e]}': one of a group")
    return None


def _first_count_in_phrase(text: str) -> NumberMatch | None:
    if not text:
        return None
    norm, to_orig = norm_mapper(text)
    words = _phrase_words(norm, 5)
    window = norm[:words[-1].end()] if words else ""

    def show(s: int, e: int) -> str:
        a, b = to_orig(s, e)
        return text[a:b]

    counted: NumberMatch | None = None
    for num in _find_norm(window, show):
        if num.kind == "count" and num.value > 0:
            s, e = to_orig(num.start, num.end)
            e = extend_over_marks(text, e)
            counted = NumberMatch(s, e, num.value, num.approximate, f"{num.reason} in '{text[:e]}'", num.kind)
            break
    # A person named before any count ("مقتل ضابط وثلاثة جنود") is the first of the list.
    person = person_noun_in_phrase(text)
    if person is not None and (counted is None or person.start < counted.start):
        return person
    return counted


class NumberTagger:
    name = "numbers"

    def __call__(self, doc: Document) -> Document:
        text = doc.text or ""
        if not text or doc.meta.get("focus") == []:
            return doc  # empty, or the relevance pass found nothing worth reading
        from rasd.text.segment import sentence_index_of

        starts = [s.start for s in doc.sentences]
        for m in find_numbers(text):
            if m.kind != "count":
                continue  # years, clock times and measures are not counts of people or things
            doc.mentions.append(
                Mention(
                    start=m.start,
                    end=m.end,
                    text=text[m.start : m.end],
                    label="NUMBER",
                    value=m.value,
                    component="text.numbers",
                    reason=m.reason,
                    sentence=sentence_index_of(starts, m.start) if starts else -1,
                    attrs={"approximate": m.approximate, "kind": m.kind},
                )
            )
        return doc


@component("numbers")
def make_number_tagger() -> NumberTagger:
    return NumberTagger()


__all__ = ["NumberMatch", "find_numbers", "parse_number", "count_in_phrase", "count_listed_after", "person_noun_in_phrase", "NumberTagger", "read_tsv", "norm_mapper"]
