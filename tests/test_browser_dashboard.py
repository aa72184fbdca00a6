"""The dashboard in headless Debian Chromium via Playwright (skipped when either is missing)."""
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
if CHROMIUM is None:
    pytest.skip("chromium not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")

from rasd.api.app import create_app  # noqa: E402
from rasd.store import Store  # noqa: E402
from rasd.store.samples import HOSTILE_TEXT, incident_documents, sample_documents  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(store):
    port = _free_port()
    config = uvicorn.Config(create_app(store=store), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    t.join(5)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("web") / "web.db")
    store.ingest(sample_documents())
    yield from _serve(store)


@pytest.fixture(scope="module")
def incident_server(tmp_path_factory):
    """Two outlets reporting one bombing, a third an unrelated protest: 3 events, 2 incidents."""
    store = Store(tmp_path_factory.mktemp("web-inc") / "web.db")
    store.ingest(incident_documents())
    yield from _serve(store)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Exception as exc:  # a chromium playwright cannot drive
            pytest.skip(f"cannot launch chromium: {exc}")
        yield b
        b.close()


def _page(browser, server):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    dialogs, external = [], []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.on("request", lambda r: None if r.url.startswith(server) else external.append(r.url))
    pg.goto(server + "/")
    pg.wait_for_selector("body[data-ready='1']", timeout=10000)
    yield pg
    assert not dialogs, f"a dialog fired: {dialogs}"
    assert not external, f"requests left the server: {external}"
    ctx.close()


@pytest.fixture
def page(browser, server):
    yield from _page(browser, server)


@pytest.fixture
def incident_page(browser, incident_server):
    yield from _page(browser, incident_server)


def test_loads_and_filters(page):
    assert page.locator("#events tbody tr").count() == 4
    assert page.locator("#total").text_content() == "(4)"
    page.select_option("#f-country", "Egypt")
    page.click("#apply-btn")
    sync_api.expect(page.locator("#total")).to_have_text("(1)")
    assert "Arrests" in page.locator("#events tbody").text_content()
    page.click("#clear")
    sync_api.expect(page.locator("#total")).to_have_text("(4)")
    page.fill("#f-q", "قصف")
    page.click("#apply-btn")
    sync_api.expect(page.locator("#total")).to_have_text("(2)")
    assert "country=" not in page.get_attribute("#x-csv", "href")
    assert "q=" in page.get_attribute("#x-csv", "href")


def test_open_event_highlights_evidence(page):
    page.locator("#events tbody tr", has_text="Shelling").click()
    page.wait_for_selector("#event-panel:not([hidden])")
    art = page.locator("#ev-article")
    assert art.get_attribute("dir") == "rtl"
    marks = page.locator("#ev-article mark.evidence")
    assert marks.count() >= 1
    assert "قصف مدفعي" in marks.first.text_content()
    assert page.locator("#ev-fields tbody").text_content().count("samples") >= 10  # provenance per field
    # clicking a field highlights its own spans
    page.locator("#ev-fields tr[data-field='location']").click()
    assert "كفرنبل" in page.locator("#ev-article .field").first.text_content()
    size = page.evaluate("getComputedStyle(document.querySelector('#ev-article')).fontSize")
    page.click("#font-up")
    bigger = page.evaluate("getComputedStyle(document.querySelector('#ev-article')).fontSize")
    assert float(bigger[:-2]) > float(size[:-2])


def test_map_click_opens_event(page):
    page.click("#zoom-fit")
    # find the projected position of the first placed event from the page's own state
    xy = page.evaluate("""() => { const e = state.mapEvents.find(e => e.latitude != null && e.country === 'Syria');
        return project(e.longitude, e.latitude); }""")
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + xy[0], box["y"] + xy[1])
    page.wait_for_selector("#event-panel:not([hidden])")
    assert page.locator("#ev-article").text_content()


def test_injection_is_inert(page):
    page.locator("#events tbody tr", has_text="<script>alert(1)</script>").first.click()
    page.wait_for_selector("#event-panel:not([hidden])")
    assert page.locator("#ev-article").text_content() == HOSTILE_TEXT  # shown as text
    assert "<img src=x onerror=alert(1)>" in page.locator("#ev-title").text_content()
    assert page.locator("#ev-article script, #ev-article img, #events img, #events script, #ev-title img").count() == 0
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    page.wait_for_timeout(300)  # give any injected handler the chance to fire (the fixture checks dialogs)


def test_timeline_buckets_follow_the_date_span(page):
    # The samples span two weeks: counted per day.
    assert page.locator("#timeline-title").text_content() == "Events per day"
    assert page.evaluate("[bucketFor('2019-01-01', '2019-12-31'), bucketFor('2018-01-01', '2019-06-01'),"
                         " bucketFor('2010-01-01', '2019-12-31'), bucketFor(null, '2019-12-31')]") == \
        ["day", "week", "month", "day"]
    # Dates outside the stored events' span do not count: the timeline only draws stored events.
    page.fill("#f-from", "2001-01-01")
    page.fill("#f-to", "2030-12-31")
    with page.expect_request(lambda r: "/api/counts/day" in r.url) as req:
        page.click("#apply-btn")
    assert "bucket=day" in req.value.url
    sync_api.expect(page.locator("#total")).to_have_text("(4)")
    # Pretend the store spans a decade: a decade of filter asks for months, two years for weeks.
    # (Wait for the facets call that sets the real span first, or it may land after ours.)
    page.wait_for_function("state.dataSpan.min !== null")
    page.evaluate("state.dataSpan = { min: '2010-01-01', max: '2019-12-31' }")
    for date_from, bucket in (("2010-01-01", "month"), ("2018-01-01", "week")):
        page.fill("#f-from", date_from)
        # Match this apply's own request: a slower response of the previous apply may still arrive.
        with page.expect_response(lambda r: "/api/counts/day" in r.url and f"date_from={date_from}" in r.url) as resp:
            page.click("#apply-btn")
        assert f"bucket={bucket}" in resp.value.url and resp.value.ok
        sync_api.expect(page.locator("#timeline-title")).to_have_text(f"Events per {bucket}")
        assert not page.locator("#map-note").text_content().startswith("Error")


def test_events_incidents_toggle(incident_page):
    page = incident_page
    assert page.locator("#events tbody tr").count() == 3
    assert page.get_attribute("#mode-events", "aria-pressed") == "true"
    page.click("#mode-incidents")
    sync_api.expect(page.locator("#total")).to_have_text("(2)")
    assert page.get_attribute("#mode-incidents", "aria-pressed") == "true"
    assert page.locator("#table-title").text_content() == "Incidents"
    assert page.locator("#events thead th").last.text_content() == "Reports"
    sync_api.expect(page.locator("#events tbody tr")).to_have_count(2)
    bombing = page.locator("#events tbody tr", has_text="Suicide bomb")
    assert bombing.locator(".reports").text_content() == "2"
    assert "2 of 2 incidents have coordinates" in page.locator("#map-note").text_content()
    assert page.evaluate("state.mapEvents.length") == 2  # the map draws incidents too
    # the row opens its member events (one per outlet), each opens its article
    bombing.click()
    page.wait_for_selector("#incident-panel:not([hidden])")
    members = page.locator("#inc-members tbody tr")
    assert members.count() == 2
    assert "alpha" in members.nth(0).text_content() and "beta" in members.nth(1).text_content()
    assert "2 report(s) from 2 outlet(s)" in page.locator("#inc-meta").text_content()
    assert "joined" in members.nth(1).text_content()
    members.nth(1).click()
    page.wait_for_selector("#event-panel:not([hidden])")
    sync_api.expect(page.locator("#ev-title")).to_have_text("تسعة قتلى بتفجير قرب سوق في تكريت")
    # filters apply to incidents too; back to events
    page.select_option("#f-type", "Protests")
    page.click("#apply-btn")
    sync_api.expect(page.locator("#total")).to_have_text("(1)")
    page.click("#mode-events")
    sync_api.expect(page.locator("#events thead th").last).to_have_text("Conf.")
    sync_api.expect(page.locator("#total")).to_have_text("(1)")
    page.click("#clear")
    sync_api.expect(page.locator("#total")).to_have_text("(3)")
    assert page.locator("#events tbody img, #events tbody script, #inc-members img").count() == 0
