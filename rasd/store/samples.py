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


BOMBING_TEXT_A = "قتل سبعة أشخاص على الأقل في تفجير انتحاري استهدف سوقا شعبيا في مدينة تكريت اليوم الأحد، وتبنى تنظيم داعش الهجوم."
BOMBING_TEXT_B = "أفادت مصادر أمنية بمقتل تسعة أشخاص في تفجير انتحاري قرب سوق شرقي تكريت يوم الأحد."
PROTEST_TEXT_C = "تظاهر مئات في مدينة البصرة اليوم الأحد احتجاجا على انقطاع الكهرباء."


def _bombing(t: str, lon: float, fatalities: tuple[int, str], actor1: tuple[str, str, str | None]) -> Event:
    return _event(
        t,
        [t],
        {
            "event_type": ("Explosions/Remote violence", "trigger 'تفجير انتحاري'", "تفجير انتحاري"),
            "sub_event_type": ("Suicide bomb", "trigger 'تفجير انتحاري'", "تفجير انتحاري"),
            "event_date": ("2021-03-14", "'الأحد' resolved against the publication date", "الأحد"),
            "time_precision": (1, "exact day named", "الأحد"),
            "actor1": (actor1[0], actor1[1], actor1[2]),
            "actor2": ("Civilians (Iraq)", "market-goers", "سوق"),
            "country": ("Iraq", "Tikrit is in Iraq", "تكريت"),
            "admin1": ("Salah al-Din", "Tikrit's governorate", "تكريت"),
            "location": ("Tikrit", "gazetteer match for 'تكريت'", "تكريت"),
            "latitude": (34.6071, "gazetteer coordinates", "تكريت"),
            "longitude": (lon, "gazetteer coordinates", "تكريت"),
            "geo_precision": (1, "town named", "تكريت"),
            "fatalities": (fatalities[0], fatalities[1], fatalities[1]),
        },
        0.8,
    )


def incident_documents() -> list[Document]:
    """Two outlets' articles on one suicide bombing in Tikrit (same day, about 3 km apart, one names
    the perpetrator, tolls 7 and 9) and a third article on an unrelated protest in Basra: two incidents,
    the bombing with two reports and 7 killed (the lowest stated toll)."""
    a = Document(
        id="tikrit-alpha-1", text=BOMBING_TEXT_A, title="سبعة قتلى في تفجير انتحاري بتكريت",
        published=dt.date(2021, 3, 14), source="alpha", url="http://example.org/alpha/1",
        events=[_bombing(BOMBING_TEXT_A, 43.6782, (7, "سبعة"), ("Islamic State (Iraq)", "'داعش' claimed it", "داعش"))],
    )
    b = Document(
        id="tikrit-beta-1", text=BOMBING_TEXT_B, title="تسعة قتلى بتفجير قرب سوق في تكريت",
        published=dt.date(2021, 3, 14), source="beta", url="http://example.org/beta/1",
        # ~3 km east of the first report's point; the perpetrator is not named
        events=[_bombing(BOMBING_TEXT_B, 43.7110, (9, "تسعة"), ("", "no perpetrator named", None))],
    )
    t = PROTEST_TEXT_C
    protest = _event(
        t,
        [t],
        {
            "event_type": ("Protests", "trigger 'تظاهر'", "تظاهر"),
            "sub_event_type": ("Peaceful protest", "no intervention reported", "تظاهر"),
            "event_date": ("2021-03-14", "'اليوم الأحد'", "اليوم الأحد"),
            "time_precision": (1, "exact day named", "اليوم الأحد"),
            "actor1": ("Protesters (Iraq)", "'مئات' demonstrated", "مئات"),
            "country": ("Iraq", "Basra is in Iraq", "البصرة"),
            "admin1": ("Basra", "city of Basra", "البصرة"),
            "location": ("Basra", "gazetteer match for 'البصرة'", "البصرة"),
            "latitude": (30.5085, "gazetteer coordinates", "البصرة"),
            "longitude": (47.7804, "gazetteer coordinates", "البصرة"),
            "geo_precision": (1, "city named", "البصرة"),
            "fatalities": (0, "no deaths reported", None),
        },
        0.6,
    )
    c = Document(
        id="basra-gamma-1", text=t, title="احتجاج على انقطاع الكهرباء في البصرة", published=dt.date(2021, 3, 14),
        source="gamma", url="http://example.org/gamma/1", events=[protest],
    )
    return [a, b, c]


__all__ = ["sample_documents", "syria_document", "hostile_document", "no_coordinates_document", "incident_documents",
           "HOSTILE_TITLE", "HOSTILE_TEXT", "HOSTILE_URL"]
