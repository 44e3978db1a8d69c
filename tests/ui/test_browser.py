"""Whole flows in a real Chromium (selenium, headless) against the app served as a separate process."""

from __future__ import annotations

import re
import shutil
import time
import urllib.request
from collections.abc import Iterator

import pytest

from .served import serve

pytestmark = pytest.mark.browser

CHROMIUM = '/usr/bin/chromium'
CHROMEDRIVER = '/usr/bin/chromedriver'
if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
    pytest.skip('needs Debian chromium and chromedriver (apt-get install chromium chromium-driver)',
                allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope='module')
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp('served')) as (base, _process, _log):
        yield base


@pytest.fixture(scope='module')
def driver() -> Iterator[webdriver.Chrome]:
    options = Options()
    options.binary_location = CHROMIUM
    for flag in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
                 '--window-size=1400,1000'):
        options.add_argument(flag)
    browser = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    yield browser
    browser.quit()


def wait(driver: webdriver.Chrome, script: str, timeout: float = 40.0):
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: d.execute_script(script))


def open_page(driver: webdriver.Chrome, url: str, view: str) -> None:
    driver.get(url)
    wait(driver, f'return !!document.querySelector(\'.ocrw-pane[data-pane="{view}"] > [data-built]\') '
                 '&& window.socket && window.socket.connected')


def shown_view(driver: webdriver.Chrome) -> str:
    return driver.execute_script('''
        const shown = [...document.querySelectorAll('.ocrw-pane')].filter((pane) => pane.offsetHeight > 0);
        return shown.map((pane) => pane.dataset.pane).join(',');''')


def test_a_click_shows_the_page_at_once_and_the_url_and_the_server_follow(driver, base_url) -> None:
    open_page(driver, base_url + '/', 'overview')
    wait(driver, 'return document.querySelectorAll(".ocrw-pane > [data-built]").length === 5')
    # one synchronous script: no websocket message can arrive between the click and the checks
    result = driver.execute_script('''
        document.querySelector('a.ocrw-nav[data-nav="test"]').click();
        const shown = [...document.querySelectorAll('.ocrw-pane')].filter((pane) => pane.offsetHeight > 0);
        const active = document.querySelector('a.ocrw-nav[aria-current="page"]');
        return [location.pathname, shown.map((pane) => pane.dataset.pane), active && active.dataset.nav,
                getComputedStyle(active).fontWeight];''')
    assert result == ['/', ['test'], 'test', '600'], 'the view switched within the click; the URL is not pushed yet'
    wait(driver, 'return location.pathname === "/test"')  # pushed once the frame was painted
    wait(driver, 'return document.title.startsWith("Test ·")')  # and the server heard of it


def test_back_and_reload_land_on_the_right_page_with_the_form_as_left(driver, base_url) -> None:
    open_page(driver, base_url + '/train', 'train')
    field = driver.find_element(By.CSS_SELECTOR, '.ocrw-pane[data-pane="train"] [data-field="exp_name"] input')
    field.send_keys(Keys.CONTROL, 'a')
    field.send_keys('browser_run')
    wait(driver, '''return [...document.querySelectorAll('.ocrw-pane[data-pane="train"] textarea')]
                        .some((area) => area.value.includes('exp_name=browser_run'))''')
    driver.find_element(By.CSS_SELECTOR, 'a.ocrw-nav[data-nav="jobs"]').click()
    assert shown_view(driver) == 'jobs'
    wait(driver, 'return location.pathname === "/jobs"')
    driver.back()
    wait(driver, 'return location.pathname === "/train"')
    assert shown_view(driver) == 'train'
    driver.find_element(By.CSS_SELECTOR, 'a.ocrw-nav[data-nav="predict"]').click()
    time.sleep(0.3)  # let the server record the switch
    driver.refresh()
    open_page(driver, driver.current_url, 'predict')
    assert driver.execute_script('return location.pathname') == '/predict'
    assert shown_view(driver) == 'predict'
    driver.find_element(By.CSS_SELECTOR, 'a.ocrw-nav[data-nav="train"]').click()
    value = wait(driver, '''const input = document.querySelector(
        '.ocrw-pane[data-pane="train"] [data-field="exp_name"] input'); return input && input.value''')
    assert value == 'browser_run', 'the reloaded tab got its form back'


def test_a_cold_load_paints_the_first_section_and_the_rest_follows_with_the_tabs_values(driver, base_url) -> None:
    first_html = urllib.request.urlopen(base_url + '/train', timeout=30).read().decode()
    fields = set(re.findall(r'"data-field"\s*:\s*"(\w+)"', first_html))
    assert 'exp_name' in fields, 'the first section is in the first HTML'
    assert 'seed' not in fields, 'the sections below the first screen are not'
    open_page(driver, base_url + '/train', 'train')
    seed = '.ocrw-pane[data-pane="train"] [data-field="seed"] input'
    wait(driver, f'return !!document.querySelector(\'{seed}\')')
    field = driver.find_element(By.CSS_SELECTOR, seed)
    field.send_keys(Keys.CONTROL, 'a')
    field.send_keys('1234')
    wait(driver, '''return [...document.querySelectorAll('.ocrw-pane[data-pane="train"] textarea')]
                        .some((area) => area.value.includes('seed=1234'))''')
    time.sleep(0.3)  # let the server store the value
    driver.refresh()
    open_page(driver, driver.current_url, 'train')
    value = wait(driver, f'const input = document.querySelector(\'{seed}\'); return input && input.value')
    assert value == '1234', 'the deferred section shows what the tab had set'
    assert not driver.find_elements(By.CSS_SELECTOR, '.ocrw-pane[data-pane="train"] .ocrw-deferred')


def test_a_second_tab_starts_with_its_own_form(driver, base_url) -> None:
    first = driver.current_window_handle
    driver.switch_to.new_window('tab')
    try:
        open_page(driver, base_url + '/train', 'train')
        value = driver.execute_script('''return document.querySelector(
            '.ocrw-pane[data-pane="train"] [data-field="exp_name"] input').value''')
        assert value == 'ocr_training'
    finally:
        driver.close()
        driver.switch_to.window(first)


def test_an_unknown_path_shows_the_404_and_no_page(driver, base_url) -> None:
    driver.get(base_url + '/comparison')
    wait(driver, 'return document.body.innerText.includes("404")')
    assert shown_view(driver) == ''


def test_copy_puts_the_command_on_the_clipboard(driver, base_url) -> None:
    driver.execute_cdp_cmd('Browser.grantPermissions', {
        'origin': base_url, 'permissions': ['clipboardReadWrite', 'clipboardSanitizedWrite']})
    open_page(driver, base_url + '/test', 'test')
    driver.find_element(By.CSS_SELECTOR, '.ocrw-pane[data-pane="test"] .ocrw-copy').click()
    text = ''
    deadline = time.monotonic() + 10
    while not text and time.monotonic() < deadline:  # the copy happens once the server has answered the click
        text = driver.execute_async_script('''const done = arguments[arguments.length - 1];
            navigator.clipboard.readText().then(done, (error) => done('ERR ' + error));''')
        time.sleep(0.1)
    assert text.startswith('python -m ocr.test \\\n  ')


def test_a_switch_started_by_the_server_moves_view_url_and_highlight_together(driver, base_url) -> None:
    open_page(driver, base_url + '/', 'overview')
    driver.find_element(By.XPATH, '//div[@data-pane="overview"]//button[.//span[text()="Test a checkpoint"]]').click()
    wait(driver, 'return location.pathname === "/test"')
    assert shown_view(driver) == 'test'
    assert driver.execute_script('return document.querySelector(\'a.ocrw-nav[aria-current="page"]\').dataset.nav') \
        == 'test'


def drawer_state(driver: webdriver.Chrome) -> dict:
    return driver.execute_script('''
        const drawer = document.querySelector('aside.ocrw-drawer').getBoundingClientRect();
        const content = document.querySelector('.nicegui-content').getBoundingClientRect();
        const toggle = document.querySelector('button[data-ocrw-drawer-toggle]');
        return {drawer_right: Math.round(drawer.right), content_padding: parseFloat(
                    getComputedStyle(document.querySelector('.nicegui-content')).paddingLeft),
                visible: getComputedStyle(document.querySelector('aside.ocrw-drawer')).visibility === 'visible',
                expanded: toggle.getAttribute('aria-expanded'), width: Math.round(content.width)};''')


def test_the_menu_button_hides_and_shows_the_page_drawer(driver, base_url) -> None:
    open_page(driver, base_url + '/train', 'train')
    # set in the first frame after the handshake (the button is mounted by then)
    wait(driver, 'return document.querySelector("button[data-ocrw-drawer-toggle]").hasAttribute("aria-expanded")')
    shown = drawer_state(driver)
    assert shown['visible'] and shown['drawer_right'] == 208 and shown['content_padding'] > 208, shown
    assert shown['expanded'] == 'true'
    driver.find_element(By.CSS_SELECTOR, 'button[data-ocrw-drawer-toggle]').click()
    hidden = drawer_state(driver)
    assert not hidden['visible'] and hidden['content_padding'] < 208 and hidden['expanded'] == 'false', hidden
    driver.find_element(By.CSS_SELECTOR, 'button[data-ocrw-drawer-toggle]').click()
    assert drawer_state(driver)['visible'] and drawer_state(driver)['expanded'] == 'true'


def test_on_a_narrow_window_the_drawer_lies_over_the_page_and_a_pick_closes_it(driver, base_url) -> None:
    driver.set_window_size(800, 1000)
    try:
        open_page(driver, base_url + '/train', 'train')
        closed = drawer_state(driver)
        assert not closed['visible'] and closed['content_padding'] < 208, closed
        driver.find_element(By.CSS_SELECTOR, 'button[data-ocrw-drawer-toggle]').click()
        opened = drawer_state(driver)
        assert opened['visible'] and opened['content_padding'] < 208, 'laid over the page, not beside it'
        driver.find_element(By.CSS_SELECTOR, 'a.ocrw-nav[data-nav="jobs"]').click()
        assert shown_view(driver) == 'jobs'
        assert not drawer_state(driver)['visible'], 'picking a page closes the drawer'
        driver.find_element(By.CSS_SELECTOR, 'button[data-ocrw-drawer-toggle]').click()
        driver.find_element(By.CSS_SELECTOR, 'body').send_keys(Keys.ESCAPE)
        assert not drawer_state(driver)['visible'], 'Escape closes it'
    finally:
        driver.set_window_size(1400, 1000)
