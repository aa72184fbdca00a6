"""Small hand-built documents with coded events, for tests, demos and the dashboard screenshot.

These are invented articles (not gold data); offsets are computed from the text so
evidence spans are always true substrings of it. One is hostile on purpose: markup
in title, text and url must come out of every export and UI as inert text.
"""
from __future__ import annotations

import datetime as dt

from rasd.doc import Document, Event, Span

SYRIA_TEXT = (
    "قتل خمسة مدنيين وأصيب آخرون اليوم الثلاثاء في قصف مدفعي لقوات النظام السوري على بلدة كفرنبل "
    "بريف إدلب الجنوبي، بحسب ما أفاد المرصد السوري لحقوق الإنسان. "
    "وقال ناشطون إن القصف استهدف سوقا شعبيا وسط البلدة. "
    "وفي سياق متصل، تظاهر المئات في مدينة إدلب للمطالبة بوقف القصف."
)

HOSTILE_TITLE = '<script>alert(1)</script> عنوان <img src=x onerror=alert(1)>'
HOSTILE_TEXT = (
    "تظاهر العشرات في مدينة حلب <script>alert(1)</script> احتجاجا على انقطاع الكهرباء "
    '<img src=x onerror=alert(1)> وفق ما ذكر ناشطون.'
)
HOSTILE_URL = 'http://example.org/"><script>alert(1)</script><img src=x onerror=alert(1)>'


def _span(text: str, needle: str) -> Span:
    start = text.index(needle)
    return Span(start, start + len(needle), needle)


def _event(text: str, evidence: list[str], fields: dict, confidence: float, component: str = "samples") -> Event:
    ev = Event()
    ev.evidence = [_span(text, e) for e in evidence]
    for k, (value, reason, cue) in fields.items():
        ev.set(k, value, component, reason, [_span(text, cue)] if cue else [])
    ev.confidence = confidence
    return ev


def syria_document() -> Document:
    """A shelling event and a protest in Idlib, Syria."""
    t = SYRIA_TEXT
    s1 = t[: t.index("الإنسان.") + len("الإنسان.")]
    s3 = t[t.index("وفي سياق") :]
    shelling = _event(
        t,
        [s1],
        {
            "event_type": ("Explosions/Remote violence", "trigger 'قصف مدفعي' maps to shelling", "قصف مدفعي"),
            "sub_event_type": ("Shelling/artillery/missile attack", "trigger 'قصف مدفعي'", "قصف مدفعي"),
            "event_date": ("2019-05-21", "'اليوم الثلاثاء' resolved against the publication date", "اليوم الثلاثاء"),
            "time_precision": (1, "exact day named in the text", "اليوم الثلاثاء"),
            "actor1": ("Military Forces of Syria (2000-)", "'قوات النظام السوري' is the Syrian army", "قوات النظام السوري"),
            "actor2": ("Civilians (Syria)", "victims are 'مدنيين'", "مدنيين"),
            "inter1": (1, "state forces", None),
            "inter2": (7, "civilians", None),
            "country": ("Syria", "Idlib governorate is in Syria", "إدلب"),
            "admin1": ("Idleb", "'ريف إدلب' names the governorate", "إدلب"),
            "location": ("Kafr Nabl", "gazetteer match for 'كفرنبل'", "كفرنبل"),
            "latitude": (35.6136, "gazetteer coordinates of Kafr Nabl", "كفرنبل"),
            "longitude": (36.5611, "gazetteer coordinates of Kafr Nabl", "كفرنبل"),
            "geo_precision": (1, "town named", "كفرنبل"),
            "fatalities": (5, "'خمسة مدنيين' killed", "خمسة"),
        },
        0.82,
    )
    protest = _event(
        t,
        [s3],
        {
            "event_type": ("Protests", "trigger 'تظاهر'", "تظاهر"),
            "sub_event_type": ("Peaceful protest", "no intervention reported", "تظاهر"),
            "event_date": ("2019-05-21", "same day as the article's other event", None),
            "time_precision": (1, "exact day", None),
            "actor1": ("Protesters (Syria)", "'المئات' demonstrated", "المئات"),
            "inter1": (6, "protesters", None),
            "country": ("Syria", "Idlib city is in Syria", "إدلب"),
            "admin1": ("Idleb", "city of Idlib", "مدينة إدلب"),
            "location": ("Idleb", "gazetteer match for 'مدينة إدلب'", "مدينة إدلب"),
            "latitude": (35.9306, "gazetteer coordinates of Idlib", "مدينة إدلب"),
            "longitude": (36.6339, "gazetteer coordinates of Idlib", "مدينة إدلب"),
            "geo_precision": (1, "city named", "مدينة إدلب"),
            "fatalities": (0, "no deaths reported", None),
        },
        0.64,
    )
    return Document(
        id="sample-syria-1",
        text=t,
        title="قتلى مدنيون في قصف على ريف إدلب",
        published=dt.date(2019, 5, 21),
        source="sample",
        url="http://example.org/syria/1",
        events=[shelling, protest],
    )


def hostile_document() -> Document:
    """Markup everywhere: a dashboard or export that renders it as HTML is broken."""
    t = HOSTILE_TEXT
    ev = _event(
        t,
        [t],
        {
            "event_type": ("Protests", "trigger 'تظاهر'", "تظاهر"),
            "sub_event_type": ("Peaceful protest", "<b>no</b> intervention", "تظاهر"),
            "event_date": ("2019-06-02", "publication date", None),
            "time_precision": (2, "publication date used", None),
            "actor1": ("<script>alert(1)</script>", "hostile actor name", "<script>alert(1)</script>"),
            "inter1": (6, "protesters", None),
            "country": ("Syria", "Aleppo is in Syria", "حلب"),
            "admin1": ("Aleppo", "city of Aleppo", "حلب"),
            "location": ("<img src=x onerror=alert(1)>", "hostile location", "<img src=x onerror=alert(1)>"),
            "latitude": (36.2021, "gazetteer coordinates of Aleppo", "حلب"),
            "longitude": (37.1343, "gazetteer coordinates of Aleppo", "حلب"),
            "geo_precision": (1, "city named", "حلب"),
            "fatalities": (0, "none reported", None),
        },
        0.5,
    )
    return Document(
        id="sample-hostile-1",
        text=t,
        title=HOSTILE_TITLE,
        published=dt.date(2019, 6, 2),
        source="<script>alert(1)</script>",
        url=HOSTILE_URL,
        events=[ev],
    )


def no_coordinates_document() -> Document:
    """An event the geocoder could not place: exports must still carry it (except GeoJSON)."""
    t = "اعتقلت قوات الأمن ثلاثة ناشطين في العاصمة دون تحديد المكان."
    ev = _event(
        t,
        [t],
        {
            "event_type": ("Strategic developments", "trigger 'اعتقلت'", "اعتقلت"),
            "sub_event_type": ("Arrests", "trigger 'اعتقلت'", "اعتقلت"),
            "event_date": ("2019-05-25", "publication date", None),
            "time_precision": (2, "publication date used", None),
            "actor1": ("Police Forces of Egypt (2014-)", "'قوات الأمن'", "قوات الأمن"),
            "inter1": (1, "state forces", None),
            "country": ("Egypt", "source country", None),
            "fatalities": (0, "none reported", None),
        },
        0.4,
    )
    return Document(
        id="sample-nocoords-1", text=t, title="اعتقال ناشطين", published=dt.date(2019, 5, 25),
        source="sample", url="http://example.org/egypt/1", events=[ev],
    )


def sample_documents() -> list[Document]:
    return [syria_document(), hostile_document(), no_coordinates_document()]


__all__ = ["sample_documents", "syria_document", "hostile_document", "no_coordinates_document",
           "HOSTILE_TITLE", "HOSTILE_TEXT", "HOSTILE_URL"]
