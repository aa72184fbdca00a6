"""Date expressions in Arabic news, resolved against the publication date.

ACLED codes an event's day with a time precision (1 day, 2 week, 3 month); news
mostly gives relative cues ("أمس", "الاثنين الماضي", "فجر اليوم"), sometimes explicit
dates in one of four month-name systems (Egyptian/Gulf, Maghrebi, Levantine/Iraqi,
Hijri). Every cue becomes a DateMatch with the rule that resolved it in ``reason``.
Matching runs on normalised text with a few precompiled regexes; spans are mapped back.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable

from hijridate import Gregorian, Hijri

from rasd.doc import Document, Mention
from rasd.pipeline import component
from rasd.text.normalize import normalize_plain
from rasd.text.numbers import _WORDS, _alternation, extend_over_marks, norm_mapper, parse_number, read_tsv


@dataclass(frozen=True, slots=True)
class DateMatch:
    start: int  # offsets into the text given to find_dates
    end: int
    date: dt.date | None
    precision: int  # 1 day, 2 week (middle day), 3 month (middle of month)
    reason: str
    relative: bool = False  # resolved against the publication date
    future: bool = False  # after the publication date: a plan or forecast, not a past event

    @property
    def iso(self) -> str | None:
        return self.date.isoformat() if self.date else None


# ------------------------------------------------------------------ lexicons
_MONTHS: dict[str, tuple[int, str, str]] = {}  # normalised name -> (month, calendar, name as listed)
for _row in read_tsv("months.tsv"):
    _MONTHS[" ".join(normalize_plain(_row["name"]).split())] = (int(_row["month"]), _row["calendar"], _row["name"])
_WEEKDAYS: dict[str, tuple[int, str]] = {
    normalize_plain(r["name"]): (int(r["weekday"]), r["name"]) for r in read_tsv("weekdays.tsv")
}
# Small number words for "منذ ثلاثة أيام" (a composite there would be unusual).
_SMALL_NUMBER_WORDS = [w for w, info in _WORDS.items() if info.kind in ("number", "ten") and info.value < 100]

_WS = r"[^\S\n]+"
_OWS = r"[^\S\n]*"
_MONTH = _alternation(list(_MONTHS))
_WEEKDAY = _alternation(list(_WEEKDAYS))
# The same month in a second naming system: "12 مارس/آذار 2019", "آذار (مارس)", "26 أكتوبر تشرين الأول".
_MONTH_ALT = rf"(?:{_OWS}[/(\-]?{_OWS}(?:{_MONTH})(?!\w)(?:{_OWS}\))?)?"
_ERA = r"(?P<era>هجريه|هجري|ه|ميلاديه|ميلادي|م)(?!\w)"
_YEAR = rf"(?:{_OWS}[،,]?{_OWS}(?:(?:من|ل)?{_OWS}(?:عام|العام|سنه|لعام|لسنه){_WS})?(?P<year>\d{{4}})(?!\d)(?:{_OWS}{_ERA})?)"
_PART = r"(?P<part>فجر|صباح|صبيحه|ظهر|ظهيره|عصر|مساء|ليل|ليله|منتصف[^\S\n]+ليل|منتصف[^\S\n]+ليله)"
_PAST = "الماضي|الفايت|المنصرم|السابق"
_NEXT = "المقبل|القادم"
_CURRENT = "الجاري|الحالي"
_LEAD = r"(?<!\w)[وفب]?"  # proclitics before a cue stay outside the span

_EXPLICIT = (
    rf"(?P<m>(?:(?:يوم{_WS})?(?P<wd>{_WEEKDAY}){_OWS}[،,]?{_OWS})?"
    rf"(?P<day>\d{{1,2}})(?!\d){_OWS}(?:من{_WS})?(?:شهر{_WS})?(?P<mon>{_MONTH})(?!\w){_MONTH_ALT}"
    rf"(?:{_YEAR}|{_WS}(?P<mod>{_PAST}|{_NEXT}|{_CURRENT})(?!\w))?)"
)
_MONTH_YEAR = (
    rf"(?P<m>(?:(?:شهر|مطلع|اوايل|منتصف|اواسط|اواخر|نهايه|بدايه){_WS})?(?P<mon>{_MONTH})(?!\w){_MONTH_ALT}{_YEAR})"
)
_MONTH_REL = (
    rf"(?P<m>(?:شهر{_WS}(?P<mon>{_MONTH})(?!\w)(?:{_WS}(?P<mod>{_PAST}|{_NEXT}|{_CURRENT}))?"
    rf"|(?P<mon2>{_MONTH}){_WS}(?P<mod2>{_PAST}|{_NEXT}|{_CURRENT})))(?!\w)"
    # a bare month after "in / during" ("في أبريل"): the latest such month up to publication. Not آب,
    # which normalises to the town إب ("في إب"), and not after منذ, which starts a period.
    rf"|(?:(?<!\w)(?<!منذ )(?:في|خلال|مطلع|اوايل|منتصف|اواسط|اواخر){_WS})(?P<m3>(?!اب(?!\w))(?P<mon3>{_MONTH})(?!\w){_MONTH_ALT}(?:{_WS}(?P<mod3>{_PAST}|{_NEXT}|{_CURRENT})(?!\w))?)"
    rf"(?!{_OWS}[/\d])"
)
# Starts with a bare digit (the left boundary is a look-behind after it) so that re can skip
# quickly to digits: five times faster than a leading look-behind.
_NUMERIC_RE = re.compile(
    r"\d(?<![\d/.\-]\d)(?:\d{3}(?P<s1>[/.\-])\d{1,2}(?P=s1)\d{1,2}|\d?(?P<s2>[/.\-])\d{1,2}(?P=s2)(?:\d{4}|\d{2}))"
    r"(?!\d)(?![/.\-]\d)"
)
_NUMERIC_SEP_RE = re.compile(r"[/.\-]")
_RELDAY = {
    "امس الاول": -2, "اول امس": -2, "امس": -1, "الامس": -1, "بالامس": -1, "البارحه": -1,
    "الليله الماضيه": -1, "اليوم": 0, "الليله": 0, "غدا": 1, "غد": 1, "بعد غد": 2,
}
_NOT_TODAY = "التالي|الاول|الثاني|الثالث|الرابع|الاخير|العالمي|الوطني|السابق|الذي|نفسه|ذاته|الموعود"
_REL = (
    rf"(?P<m>(?:{_PART}{_WS})?(?:يوم{_WS})?(?P<rel>{_alternation(list(_RELDAY))})(?!\w)(?!{_WS}(?:{_NOT_TODAY})(?!\w))"
    rf"(?:{_OWS}[،,(]?{_OWS}(?:يوم{_WS})?(?P<wd>{_WEEKDAY})(?!\w)(?:{_OWS}\))?)?)"
)
_WEEKDAY_CUE = (
    rf"(?P<m>(?:{_PART}{_WS})?(?:يوم{_WS})?(?P<wd>{_WEEKDAY})(?!\w)(?:{_WS}(?P<mod>{_PAST}|{_NEXT}|{_CURRENT})(?!\w))?)"
)
# Period phrases: (kind, days back from publication or month offset, precision, gloss).
_PERIODS: dict[str, tuple[str, int, int, str]] = {}
for _names, _val in (
    (("الاسبوع الماضي", "الاسبوع الفايت", "الاسبوع المنصرم", "الاسبوع السابق"), ("days", -7, 2, "last week")),
    (("هذا الاسبوع", "الاسبوع الجاري", "الاسبوع الحالي"), ("days", -3, 2, "this week")),
    (("الاسبوع المقبل", "الاسبوع القادم"), ("days", 7, 2, "next week")),
    (("الشهر الماضي", "الشهر الفايت", "الشهر المنصرم", "الشهر السابق"), ("months", -1, 3, "last month")),
    (("هذا الشهر", "الشهر الجاري", "الشهر الحالي"), ("months", 0, 3, "this month")),
    (("الشهر المقبل", "الشهر القادم"), ("months", 1, 3, "next month")),
    (("اليومين الماضيين", "اليومين الاخيرين", "اليومين السابقين"), ("days", -1, 2, "the past two days")),
    (
        ("الايام الماضيه", "الايام الاخيره", "الايام القليله الماضيه", "الايام القليله الاخيره", "الايام السابقه"),
        ("days", -3, 2, "the past few days"),
    ),
    (
        ("الساعات الماضيه", "الساعات الاخيره", "الساعات القليله الماضيه", "الساعات القليله الاخيره",
         "ال24 ساعه الماضيه", "ال 24 ساعه الماضيه", "24 ساعه الماضيه", "ال24 ساعه الاخيره", "24 ساعه الاخيره"),
        ("days", 0, 1, "the past hours: the publication day"),
    ),
):
    for _n in _names:
        _PERIODS[_n] = _val
_PERIOD = (
    rf"(?P<m>(?:(?:خلال|في|طيله|علي{_WS}مدي|منذ){_WS})?(?P<per>{_alternation(list(_PERIODS))}))(?!\w)"
)
_AGO_UNITS: dict[str, tuple[int, int, int]] = {  # unit -> (count implied, days per unit, precision)
    "ساعه": (1, 0, 1), "ساعتين": (2, 0, 1), "ساعات": (0, 0, 1),
    "يوم": (1, 1, 1), "يومين": (2, 1, 1), "ايام": (0, 1, 1),
    "اسبوع": (1, 7, 2), "اسبوعين": (2, 7, 2), "اسابيع": (0, 7, 2),
    "شهر": (1, 30, 3), "شهرين": (2, 30, 3), "اشهر": (0, 30, 3), "شهور": (0, 30, 3),
}
_AGO = (
    rf"(?P<m>(?P<ago>منذ|قبل){_WS}(?:(?P<n>\d{{1,3}}|{_alternation(_SMALL_NUMBER_WORDS)}){_WS})?"
    rf"(?P<unit>{_alternation(list(_AGO_UNITS))}))(?!\w)(?!{_WS}(?:{_WEEKDAY}|امس|اليوم|من|علي|واحد)(?!\w))"
)
_VAGUE_AGO = {"ساعات": (0, 1), "ايام": (3, 2), "اسابيع": (14, 2), "اشهر": (60, 3), "شهور": (60, 3)}


# ------------------------------------------------------------------ resolution helpers
def _unresolved(what: str) -> str:
    return f"{what}: unresolved, no publication date"


def _hijri_to_date(year: int, month: int, day: int) -> dt.date:
    g = Hijri(year, month, day).to_gregorian()
    return dt.date(g.year, g.month, g.day)


def _latest_on_or_before(
    make: Callable[[int], dt.date], published: dt.date, year: int, strict: bool = False
) -> dt.date:
    """The date ``make(y)`` for the latest year y (from ``year`` down) that is not after ``published``."""
    for y in (year + 1, year, year - 1, year - 2):
        try:
            d = make(y)
        except (ValueError, OverflowError):
            continue
        if d < published or (d == published and not strict):
            return d
    raise ValueError("no such date before publication")


def _explicit(day: int | None, month: int, calendar: str, year: int | None, published: dt.date | None, name: str,
              strict: bool = False, future: bool = False) -> tuple[dt.date | None, int, str]:
    """Resolve day (None = month only) + month + optional year in either calendar."""
    precision = 1 if day is not None else 3
    d = day if day is not None else 15
    label = f"{day} {name}" if day is not None else name
    what = "day, month" if day is not None else "month"
    try:
        if calendar == "hijri":
            if year is not None and 1300 <= year <= 1500:
                return _hijri_to_date(year, month, d), precision, f"Hijri {label} {year} converted to the Gregorian calendar"
            if year is not None:
                # A Gregorian year with a Hijri month: the Hijri year whose month falls in it.
                for h in range(int((year - 622) * 33 / 32) - 1, int((year - 622) * 33 / 32) + 3):
                    g = _hijri_to_date(h, month, d)
                    if g.year == year:
                        return g, precision, f"Hijri {label} of {year} converted to the Gregorian calendar"
                return None, precision, f"Hijri {label} does not fall in {year}"
            if published is None:
                return None, precision, _unresolved(f"Hijri {label} without year")
            pub_h = Gregorian(published.year, published.month, published.day).to_hijri()
            base = pub_h.year
            if day is None:
                # Month only: compare months, so that the current month counts (unless strictly past).
                h = base - 1 if month > pub_h.month or (strict and month == pub_h.month) else base
                if future:
                    h = base + 1 if month <= pub_h.month else base
                return _hijri_to_date(h, month, 15), precision, (
                    f"Hijri {label} without year: {'the next one' if future else 'the latest one up to publication'},"
                    " middle of the month"
                )
            if future:
                for h in (base, base + 1):
                    g = _hijri_to_date(h, month, d)
                    if g > published:
                        return g, precision, f"Hijri {label}: the next one after publication"
            g = _latest_on_or_before(lambda h: _hijri_to_date(h, month, d), published, base, strict)
            return g, precision, f"Hijri {label} without year: the latest one {'before' if strict else 'on or before'} publication"
        if year is not None:
            if year < 1800 or year > 2200:
                return None, precision, f"{label} {year}: year out of range"
            return dt.date(year, month, d), precision, f"explicit date {label} {year}"
        if published is None:
            return None, precision, _unresolved(f"{label} without year")
        if future:
            for y in (published.year, published.year + 1):
                g = dt.date(y, month, d)
                if (y, month) > (published.year, published.month) or (day is not None and g > published):
                    return g, precision, f"{label} without year: the next one after publication"
        if day is None:
            # Month only: compare months, so that the current month counts (unless strictly past).
            y = published.year
            if (month > published.month) or (strict and month == published.month):
                y -= 1
            return dt.date(y, month, 15), precision, (
                f"{label} without year: the latest one {'before' if strict else 'up to'} publication, middle of the month"
            )
        g = _latest_on_or_before(lambda y: dt.date(y, month, d), published, published.year, strict)
        return g, precision, f"{what} without year: the latest {label} on or before publication"
    except (ValueError, OverflowError) as exc:
        return None, precision, f"invalid date {label}{' ' + str(year) if year else ''}: {exc}"


def _two_digit_year(y: int, published: dt.date | None) -> int:
    pivot = (published.year % 100 + 1) if published else 30
    return 2000 + y if y <= pivot else 1900 + y


# ------------------------------------------------------------------ the finder
_Cand = tuple[int, int, "dt.date | None", int, str, bool]  # norm start, end, date, precision, reason, relative


def _from_explicit(m: re.Match[str], published: dt.date | None, show: Callable[[int, int], str]) -> _Cand:
    month, cal, name = _MONTHS[" ".join(m.group("mon").split())]
    year = int(m.group("year")) if m.group("year") else None
    era = m.group("era") or ""
    if year is not None and era.startswith("ه") and cal == "gregorian":
        return m.start("m"), m.end("m"), None, 1, f"Gregorian month '{name}' with a Hijri year: unresolved", False
    mod = m.group("mod") or ""
    date, prec, reason = _explicit(
        int(m.group("day")), month, cal, year, published, name,
        strict=mod in _PAST.split("|"), future=mod in _NEXT.split("|"),
    )
    return m.start("m"), m.end("m"), date, prec, reason, year is None


def _from_month_year(m: re.Match[str], published: dt.date | None, show: Callable[[int, int], str]) -> _Cand:
    month, cal, name = _MONTHS[" ".join(m.group("mon").split())]
    date, prec, reason = _explicit(None, month, cal, int(m.group("year")), published, name)
    return m.start("m"), m.end("m"), date, prec, reason, False


def _from_month_rel(m: re.Match[str], published: dt.date | None, show: Callable[[int, int], str]) -> _Cand:
    mon = m.group("mon") or m.group("mon2") or m.group("mon3")
    mod = m.group("mod") or m.group("mod2") or m.group("mod3") or ""
    month, cal, name = _MONTHS[" ".join(mon.split())]
    strict = mod in _PAST.split("|")
    future = mod in _NEXT.split("|")
    date, prec, reason = _explicit(None, month, cal, None, published, name, strict=strict, future=future)
    span = "m" if m.group("m") is not None else "m3"
    return m.start(span), m.end(span), date, prec, reason, True


def _from_numeric(m: re.Match[str], published: dt.date | None, show: Callable[[int, int], str]) -> _Cand:
    first, second, third = _NUMERIC_SEP_RE.split(m.group())
    if len(first) == 4:
        y, mo, d = int(first), int(second), int(third)
        order = "year-month-day"
    else:
        y, mo, d = int(third), int(second), int(first)
        order = "day/month/year"
        if len(third) == 2:
            y = _two_digit_year(y, published)
        if mo > 12 >= d:
            mo, d = d, mo
            order = "month/day/year (month > 12 otherwise)"
    s, e = m.start(), m.end()
    try:
        if 1300 <= y <= 1500:
            return s, e, _hijri_to_date(y, mo, d), 1, f"numeric Hijri date ({order}) converted", False
        return s, e, dt.date(y, mo, d), 1, f"numeric date, {order}", False
    except (ValueError, OverflowError) as exc:
        return s, e, None, 1, f"invalid numeric date: {exc}", False


def _weekday_date(wd: int, published: dt.date, mod: str) -> tuple[dt.date, str]:
    if mod in _NEXT.split("|"):
        delta = (wd - published.weekday() - 1) % 7 + 1
        return published + dt.timedelta(days=delta), "the next such day after publication"
    if mod in _PAST.split("|"):
        delta = (published.weekday() - wd - 1) % 7 + 1
        return published - dt.timedelta(days=delta), f"'{mod}': the latest such day before publication"
    delta = (published.weekday() - wd) % 7
    return published - dt.timedelta(days=delta), "the latest such day on or before publication"


def _from_rel(m: re.Match[str], published: dt.date | None, show: Callable[[int, int], str]) -> _Cand:
    rel = " ".join(m.group("rel").split())
    offset = _RELDAY[rel]
    s, e = m.start("m"), m.end("m")
    cue = show(s, e)
    if published is None:
        return s, e, None, 1, _unresolved(f"'{cue}'"), True
    d = published + dt.timedelta(days=offset)
    gloss = {0: "the publication day", -1: "the day before publication", -2: "two days before publication",
             1: "the day after publication", 2: "two days after publication"}[offset]
    reason = f"'{cue}' = {gloss} ({d.isoformat()})"
    if m.group("wd"):
        wd, wname = _WEEKDAYS[m.group("wd")]
        if d.weekday() != wd:
            # "اليوم (الجمعة)" in an article dated Tuesday: the writer's weekday is better evidence
            # than the metadata (often the crawl or print date). Take that weekday within the week
            # ending the day after the relative date.
            if offset > 0:  # "غدا الأحد": the first such day from the day before the cue on
                named = d - dt.timedelta(days=1) + dt.timedelta(days=(wd - d.weekday() + 1) % 7)
            else:
                named = d + dt.timedelta(days=1) - dt.timedelta(days=(d.weekday() + 1 - wd) % 7)
            reason += f"; the text names {wname}, which disagrees with the publication date: {named.isoformat()} used"
            d = named
    return s, e, d, 1, reason, True


def _from_weekday(m: re.Match[str], published: dt.date | None, show: Callable[[int, int], str]) -> _Cand:
    wd, wname = _WEEKDAYS[m.group("wd")]
    mod = m.group("mod") or ""
    s, e = m.start("m"), m.end("m")
    cue = show(s, e)
    if published is None:
        return s, e, None, 1, _unresolved(f"weekday '{cue}'"), True
    d, how = _weekday_date(wd, published, mod)
    return s, e, d, 1, f"weekday '{cue}': {how} ({d.isoformat()})", True


def _add_months(d: dt.date, months: int) -> dt.date:
    idx = d.year * 12 + d.month - 1 + months
    return dt.date(idx // 12, idx % 12 + 1, 15)


def _from_period(m: re.Match[str], published: dt.date | None, show: Callable[[int, int], str]) -> _Cand:
    kind, amount, prec, gloss = _PERIODS[" ".join(m.group("per").split())]
    s, e = m.start("m"), m.end("m")
    cue = show(s, e)
    if published is None:
        return s, e, None, prec, _unresolved(f"'{cue}'"), True
    if kind == "months":
        d = _add_months(published, amount)
        if amount == 0 and d > published:
            d = published
        return s, e, d, prec, f"'{cue}' = {gloss}: middle of the month ({d.isoformat()})", True
    d = published + dt.timedelta(days=amount)
    middle = "" if prec == 1 else ", middle day"
    return s, e, d, prec, f"'{cue}' = {gloss}{middle} ({d.isoformat()})", True


def _from_ago(m: re.Match[str], published: dt.date | None, show: Callable[[int, int], str]) -> _Cand:
    unit = m.group("unit")
    implied, per_unit, prec = _AGO_UNITS[unit]
    s, e = m.start("m"), m.end("m")
    cue = show(s, e)
    n = parse_number(m.group("n")) if m.group("n") else None
    if n is None and implied:
        n = implied
    if n is None:
        days, prec = _VAGUE_AGO.get(unit, (0, prec))
        how = f"a vague count: about {days} days"
    else:
        days = n * per_unit
        how = f"{n} × {per_unit} days" if per_unit else "hours ago: the publication day"
        if per_unit == 1 and n > 7:
            prec = 2
    if published is None:
        return s, e, None, prec, _unresolved(f"'{cue}'"), True
    d = published - dt.timedelta(days=days)
    return s, e, d, prec, f"'{cue}' = {how} before publication ({d.isoformat()})", True


class _Scoped:
    """A match seen through the group names of one branch of the combined regex."""

    __slots__ = ("m", "suffix")

    def __init__(self, m: re.Match[str], key: str) -> None:
        self.m, self.suffix = m, "_" + key

    def group(self, name: str) -> str | None:
        return self.m.group(name + self.suffix)

    def start(self, name: str) -> int:
        return self.m.start(name + self.suffix)

    def end(self, name: str) -> int:
        return self.m.end(name + self.suffix)


def _scope(pattern: str, key: str) -> str:
    pattern = re.sub(r"\(\?P<(\w+)>", rf"(?P<\1_{key}>", pattern)
    return re.sub(r"\(\?P=(\w+)\)", rf"(?P=\1_{key})", pattern)


# All word-led cues in one regex (one pass over the text instead of seven): at a given position the
# first branch that matches wins, so branches go from the most to the least specific.
_BRANCHES: tuple[tuple[str, str, Callable[..., _Cand]], ...] = (
    ("explicit", _EXPLICIT, _from_explicit),
    ("monthyear", _MONTH_YEAR, _from_month_year),
    ("monthrel", _MONTH_REL, _from_month_rel),
    ("rel", _REL, _from_rel),
    ("weekday", _WEEKDAY_CUE, _from_weekday),
    ("period", _PERIOD, _from_period),
    ("ago", _AGO, _from_ago),
)
_WORD_CUES_RE = re.compile(
    _LEAD + "(?:" + "|".join(f"(?P<{key}>{_scope(body, key)})" for key, body, _ in _BRANCHES) + ")"
)
_BUILDERS = {key: build for key, _, build in _BRANCHES}

# Every word-led cue contains one of these keys. Scanning for the keys alone (a trie regex that re
# can run with its fast first-character scan) and trying the full regex only at the few word
# starts just before a key is about five times cheaper than running the full regex everywhere.
_KEYS = (
    list(_MONTHS) + list(_WEEKDAYS) + list(_RELDAY) + list(_PERIODS)
    + ["امس", "غد", "ليله", "منذ", "قبل"]
)
_FUNCTION_WORDS = frozenset({"ال", "هذا", "بعد", "اول"})


def _key_word(phrase: str) -> str:
    """The word of a cue phrase that marks it: its longest word that is not a function word
    ("القعده" for "ذي القعده": "ذي" is everywhere)."""
    words = [w for w in phrase.split() if w not in _FUNCTION_WORDS] or phrase.split()
    return max(words, key=len)


# What may precede a key inside its word: the key regex has no left boundary (which keeps it
# fast), so "اب" also hits the end of "كتاب"; such hits are dropped unless the rest is a proclitic.
_KEY_PREFIXES = frozenset({"", "و", "ف", "ب", "ل", "ال", "وال", "فال", "بال", "ول", "وب", "فب", "لل", "ولل"})


_KEY_RE = re.compile(_alternation(sorted({_key_word(k) for k in _KEYS})) + r"(?!\w)")
# A weekday named after these is an institution ("صلاة الجمعة" = the Friday prayer), not a date.
_INSTITUTION_RE = re.compile(r"(?:صلاه|لصلاه|بصلاه|خطبه|وخطبه|صلوات)\s+$")
_LOOKBACK = 40  # characters before a key where a cue may start ("يوم الاربعاء ، 12 من شهر مارس")
_WORD_START_RE = re.compile(r"\b\w")  # \b sees the character before ``pos`` too
_NUMERIC_HINT_RE = re.compile(r"\d[/.\-]\d")


def find_dates(text: str, published: dt.date | None) -> list[DateMatch]:
    """Every date cue in ``text`` (original offsets), resolved against ``published``.

    Overlapping cues keep the longest one ("الثلاثاء 12 مارس 2019" over "الثلاثاء"). Relative cues
    without ``published`` come back with ``date=None`` and a reason saying so. Never raises.
    """
    try:
        return _find_dates(text, published)
    except Exception:  # noqa: BLE001 - one odd string must not stop a batch
        return []


def _find_dates(text: str, published: dt.date | None) -> list[DateMatch]:
    if not text:
        return []
    if published is not None and not isinstance(published, dt.date):
        published = None
    if isinstance(published, dt.datetime):
        published = published.date()
    norm, to_orig = norm_mapper(text)

    def show(s: int, e: int) -> str:
        a, b = to_orig(s, e)
        return text[a:b]

    cands: list[_Cand] = []
    if _NUMERIC_HINT_RE.search(norm):
        for m in _NUMERIC_RE.finditer(norm):
            cands.append(_from_numeric(m, published, show))
    covered = 0  # cues found so far end here: keys inside them need no new attempt
    for k in _KEY_RE.finditer(norm):
        ks = k.start()
        if ks < covered:
            continue
        if ks and norm[ks - 1].isalnum():
            ws = ks - 1
            while ws > 0 and ks - ws <= 3 and norm[ws - 1].isalnum():
                ws -= 1
            if (ws and norm[ws - 1].isalnum()) or norm[ws:ks] not in _KEY_PREFIXES:
                continue
        for w in _WORD_START_RE.finditer(norm, max(0, ks - _LOOKBACK, covered), ks + 1):
            m = _WORD_CUES_RE.match(norm, w.start())
            if m is None or m.end() <= ks:
                continue
            key = m.lastgroup
            if key == "weekday" and _INSTITUTION_RE.search(norm, max(0, m.start() - 12), m.start()):
                covered = m.end()  # "صلاة الجمعة", "خطبة الجمعة": the Friday prayer, not a day
                break
            if key is not None:
                cands.append(_BUILDERS[key](_Scoped(m, key), published, show))
                covered = m.end()
            break
    cands.sort(key=lambda c: (c[0], -c[1]))
    out: list[DateMatch] = []
    last_end = -1
    for s, e, date, prec, reason, relative in cands:
        if s < last_end:
            continue
        last_end = e
        a, b = to_orig(s, e)
        b = extend_over_marks(text, b)
        future = bool(published and date and date > published)
        if future:
            reason += "; after the publication date (a plan or forecast, not a past event)"
        out.append(DateMatch(a, b, date, prec, reason, relative, future))
    return out


class DateTagger:
    name = "dates"

    def __call__(self, doc: Document) -> Document:
        text = doc.text or ""
        if not text or doc.meta.get("focus") == []:
            return doc  # empty, or the relevance pass found nothing worth reading
        from rasd.text.segment import sentence_index_of

        starts = [s.start for s in doc.sentences]
        found = find_dates(text, doc.published)
        for m in found:
            doc.mentions.append(
                Mention(
                    start=m.start,
                    end=m.end,
                    text=text[m.start : m.end],
                    label="DATE",
                    value=m.iso,
                    component="text.dates",
                    reason=m.reason,
                    sentence=sentence_index_of(starts, m.start) if starts else -1,
                    attrs={"precision": m.precision, "relative": m.relative, "future": m.future},
                )
            )
        if found:
            # Numbers inside a date ("12 مارس 2019", "منذ 3 أيام") are not counts of anything.
            spans = [(m.start, m.end) for m in found]
            doc.mentions = [
                mn for mn in doc.mentions
                if not (mn.label == "NUMBER" and any(s <= mn.start and mn.end <= e for s, e in spans))
            ]
        return doc


@component("dates")
def make_date_tagger() -> DateTagger:
    return DateTagger()


__all__ = ["DateMatch", "find_dates", "DateTagger"]
