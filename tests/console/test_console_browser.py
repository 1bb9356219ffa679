"""The console in a real browser: Debian's headless Chromium, driven by Selenium through
Debian's chromedriver (``make browser`` installs both; nothing is downloaded at test
time), against the real ``exam-sandbox serve``.

One tenant, one page, the way a demo goes: a call made through a vendor's client
appears in the live journal without a reload; Freeze freezes the tenant's clock; a
setting toggled makes the vendor refuse; Complete writes the result row. Screenshots
at 1280x800 are written to ``$EXAM_SANDBOX_SCREENSHOTS`` (``make screenshots``: docs/),
else to the test's temporary folder.
"""

from __future__ import annotations

import os
import shutil
import struct
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from exam_sandbox.client.core.errors import ApiError
from exam_sandbox.pytest_plugin import serve_sandbox

pytestmark = pytest.mark.store_independent  # the served sandbox keeps a SQLite folder
SIZE = (1280, 800)
# Generous: the journal polls every 0.5 s; a loaded CI machine may be slow to render.
WAIT = 10
SCREENSHOTS_ENV = "EXAM_SANDBOX_SCREENSHOTS"


def _chromium() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not (browser and driver):
        pytest.fail("the console tests need Chromium and chromedriver: `make browser`")
    return browser, driver


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    sandbox = serve_sandbox(tmp_path_factory.mktemp("console-browser"), workers=1, threads=8)
    yield sandbox
    sandbox.stop()


@pytest.fixture(scope="module")
def chrome():
    binary, driver_path = _chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", f"--window-size={SIZE[0]},{SIZE[1]}",
                     "--hide-scrollbars", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    try:
        driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    except WebDriverException as error:
        pytest.fail(f"Chromium would not start under chromedriver: {error.msg}")
    # The page's viewport, not the window (whose frame takes some of it): 1280x800.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": SIZE[0], "height": SIZE[1], "deviceScaleFactor": 1, "mobile": False})
    yield driver
    driver.quit()


@pytest.fixture()
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get(SCREENSHOTS_ENV) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


# The script replaces the panels after a button or a new call: an element found a moment
# ago may be gone; a wait looks again.
IGNORED = (NoSuchElementException, StaleElementReferenceException)


def wait(chrome, condition, timeout: float = WAIT):
    return WebDriverWait(chrome, timeout, poll_frequency=0.1,
                         ignored_exceptions=IGNORED).until(condition)


def journal_paths(chrome) -> list[str]:
    return [e.text for e in chrome.find_elements(By.CSS_SELECTOR, "#journal-entries .path")]


def click(chrome, css: str) -> None:
    def clicked(driver) -> bool:
        button = driver.find_element(By.CSS_SELECTOR, css)
        if not (button.is_displayed() and button.is_enabled()):
            return False
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        button.click()  # stale if the panels were replaced meanwhile: found again
        return True

    wait(chrome, clicked)


def clock_now(chrome) -> str:
    return wait(chrome, lambda d: d.find_element(By.ID, "clock").get_attribute("data-now"))


def test_a_demo_in_the_console(served, chrome, shots):
    tenant = served.create_tenant()
    chrome.get(f"{served.url}/console/tenants/{tenant.id}")
    assert chrome.find_element(By.CSS_SELECTOR, ".tenant-page").get_attribute("data-tenant") \
        == tenant.id
    assert chrome.find_element(By.ID, "journal-empty").is_displayed()

    # 1. A call through a vendor's client appears in the live journal, no reload.
    surpass = tenant.client("surpass")
    booked = surpass.schedule_test(test="MATHS-FND", centre="CEN001", candidate="CAND00021",
                                   start_date="01/07/2030", start_time="0900", end_time="1700")
    wait(chrome, lambda d: any("/api/v2/TestSchedule" in p for p in journal_paths(d)))
    entry = chrome.find_element(By.CSS_SELECTOR, "#journal-entries li.entry")
    assert "POST" in entry.text and "200" in entry.text
    entry.find_element(By.TAG_NAME, "summary").click()
    bodies = entry.find_element(By.CSS_SELECTOR, ".bodies")
    assert "MATHS-FND" in bodies.text and booked.keycode in bodies.text
    # ... and the session it booked in Surpass's panel, refreshed by the script.
    wait(chrome, lambda d: booked.keycode in d.find_element(By.ID, "vendor-surpass").text)

    # 2. Freeze: the tenant's clock stops, and the button becomes Run.
    assert tenant.clock.frozen is False
    click(chrome, 'button[data-name="freeze"]')
    wait(chrome, lambda d: d.find_element(By.ID, "clock-state").text == "frozen")
    assert tenant.clock.frozen is True
    assert chrome.find_elements(By.CSS_SELECTOR, 'button[data-name="run"]')
    before = clock_now(chrome)
    click(chrome, 'button[data-name="advance-86400"]')
    wait(chrome, lambda d: d.find_element(By.ID, "clock").get_attribute("data-now") != before)
    assert tenant.clock.now().isoformat()[:19] == clock_now(chrome)[:19]

    # 3. A setting toggled: Surpass now requires a purchase order, and refuses without.
    click(chrome, "#settings-surpass > summary")
    click(chrome, '#settings-surpass input[name="purchaseOrderRequired"]')
    wait(chrome, lambda d: tenant.settings("surpass")["purchaseOrderRequired"] is True)
    with pytest.raises(ApiError) as refused:
        surpass.schedule_test(test="MATHS-FND", centre="CEN001", candidate="CAND00022",
                              start_date="01/07/2030", start_time="0900", end_time="1700")
    assert refused.value.status == 400
    assert [e.code for e in refused.value.errors] == [2010]
    wait(chrome, lambda d: d.find_elements(By.CSS_SELECTOR, "#journal-entries .code.s4xx"))
    newest = chrome.find_element(By.CSS_SELECTOR, "#journal-entries li.entry")
    assert "400" in newest.text and "/api/v2/TestSchedule" in newest.text
    assert wait(chrome, lambda d: d.find_element(
        By.CSS_SELECTOR, '#settings-surpass input[name="purchaseOrderRequired"]'
    ).is_selected())

    # 4. Complete a Janison booking: its result row appears.
    janison = tenant.client("janison")
    schedule = janison.schedule_test(test_package="ENG-GEN-4S", centre="CTR001",
                                     candidates=["CAN0002"], date="2030-07-01")
    row = f'#vendor-janison table[data-table="schedules"] tr[data-key="{schedule.id}"]'
    wait(chrome, lambda d: d.find_elements(By.CSS_SELECTOR, f'{row} button[data-name="complete"]'))
    results_before = janison_results(chrome)
    click(chrome, f'{row} button[data-name="complete"]')
    wait(chrome, lambda d: janison_results(d) > results_before)
    notice = chrome.find_element(By.ID, "notice")
    assert notice.is_displayed() and "done" in notice.text

    chrome.execute_script("window.scrollTo(0, 0)")
    top = shots / "console.png"
    chrome.save_screenshot(str(top))
    chrome.execute_script("document.getElementById('vendor-janison').scrollIntoView()")
    janison_panel = shots / "console-janison.png"
    chrome.save_screenshot(str(janison_panel))
    assert png_size(top) == png_size(janison_panel) == SIZE


def janison_results(chrome) -> int:
    """Janison's enrolments that have a result."""
    css = '#vendor-janison table[data-table="enrolments"] td[data-column="result"] code'
    return len(chrome.find_elements(By.CSS_SELECTOR, css))


def test_the_index_makes_a_tenant_and_opens_its_page(served, chrome, shots):
    chrome.get(f"{served.url}/console")
    before = set(served.admin("GET", "/tenants").json()["tenants"])
    click(chrome, 'button[data-name="create-tenant"]')
    wait(chrome, lambda d: "/console/tenants/" in d.current_url)
    made = chrome.current_url.rsplit("/", 1)[1]
    assert made not in before and made in served.admin("GET", "/tenants").json()["tenants"]
    assert chrome.find_element(By.CSS_SELECTOR, ".tenant-page").get_attribute("data-tenant") \
        == made


def test_a_refused_control_is_said_on_the_page(served, chrome):
    tenant = served.create_tenant()
    chrome.get(f"{served.url}/console/tenants/{tenant.id}")
    tenant.delete()  # the page is now of a tenant that is gone
    click(chrome, 'button[data-name="freeze"]')
    notice = wait(chrome, lambda d: d.find_element(By.CSS_SELECTOR, "#notice.error"))
    assert "404" in notice.text and f"No tenant '{tenant.id}'" in notice.text
