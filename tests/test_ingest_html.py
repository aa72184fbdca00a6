"""HTML pages to (title, text, published), never raising."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rasd.ingest.html import html_to_article

SAMPLE = Path(__file__).parents[1] / "samples" / "tunisia_sbeitla_protest.html"


def test_news_page_keeps_the_article_and_drops_the_furniture() -> None:
    title, text, published = html_to_article(SAMPLE.read_text(encoding="utf-8"))
    assert "سبيطلة" in title
    assert published == dt.date(2021, 1, 18)
    assert "الغاز المسيل للدموع" in text
    for furniture in ("المغرب العربي", "اتصل بنا", "سياسة الخصوصية", "gtag", "جميع الحقوق محفوظة", "الترجي", "+A"):
        assert furniture not in text


def test_fallback_keeps_text_of_a_fragment_and_drops_scripts() -> None:
    html = "<html><head><title>عنوان</title><script>var x = 'شارك';</script></head><body><div>سطر أول</div>سطر ثان</body>"
    title, text, _ = html_to_article(html)
    assert "سطر أول" in text and "سطر ثان" in text
    assert "var x" not in text


@pytest.mark.parametrize(
    "html",
    ["", "   ", "<<<>>>", "<html><body><p>غير مغلق", "\x00\x01\x02", "<p>" * 3000, "<?xml version='1.0'?><a><b>", "<!-- -->"],
)
def test_broken_html_never_raises(html: str) -> None:
    title, text, published = html_to_article(html)
    assert isinstance(title, str) and isinstance(text, str)
    assert published is None or isinstance(published, dt.date)
