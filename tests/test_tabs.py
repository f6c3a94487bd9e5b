"""The browser tests' lent tabs (tabs.py): a tab given back and lent again is as a fresh one."""

from __future__ import annotations

import pytest
from PIL import Image

from test_site_browser import _Handler, serving

pytestmark = pytest.mark.browser
WINDOW = {"width": 800, "height": 600}
PAGE = """<!doctype html><html><head><link rel="stylesheet" href="style.css"></head>
<body><a id="corner" href="#">top left</a><img src="picture.png" alt=""></body></html>"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tabs-site")
    (folder / "index.html").write_text(PAGE, encoding="utf-8")
    (folder / "style.css").write_text("a:hover { color: red }", encoding="utf-8")
    Image.new("RGB", (40, 30), "white").save(folder / "picture.png")
    with serving(folder) as url:
        yield url


def test_a_tab_lent_again_keeps_nothing_of_the_test_before(tabs, server):
    page = tabs.borrow(WINDOW)
    heard: list[str] = []
    tabs.listen(page, "request", lambda request: heard.append(request.url))
    page.goto(f"{server}/index.html")
    assert heard, "the test's own listener hears its page"
    page.evaluate("() => { localStorage.setItem('search', 'x'); sessionStorage.setItem('s', 'y');"
                  " document.cookie = 'seen=1'; }")
    page.route("**/picture.png", lambda route: route.abort())
    page.emulate_media(media="print")
    page.hover("#corner")
    assert page.evaluate("document.querySelectorAll(':hover').length") > 0
    tabs.give_back(page)

    again = tabs.borrow({"width": 640, "height": 480})
    assert again is page  # the same tab, lent again
    _Handler.sent.clear()
    again.goto(f"{server}/index.html")
    assert again.evaluate("[localStorage.length, sessionStorage.length, document.cookie]") == [0, 0, ""]
    assert again.evaluate("matchMedia('print').matches") is False
    assert again.evaluate("[innerWidth, innerHeight]") == [640, 480]
    assert again.evaluate("document.images[0].naturalWidth") == 40  # not routed any more
    assert again.evaluate("document.querySelectorAll('#corner:hover').length") == 0
    # nothing from the cache: the page, its stylesheet and its picture all asked of the server again
    assert len(_Handler.sent) == 3
    assert len(heard) == 3  # as before the tab was given back: the earlier test's listener is gone
    tabs.give_back(again)


def test_each_kind_of_screen_has_a_tab_of_its_own(tabs):
    one_x = tabs.borrow(WINDOW)
    phone = tabs.borrow(WINDOW, 2, is_mobile=True)
    try:
        assert one_x is not phone
        assert one_x.evaluate("devicePixelRatio") == 1 and phone.evaluate("devicePixelRatio") == 2
    finally:
        tabs.give_back(one_x)
        tabs.give_back(phone)
