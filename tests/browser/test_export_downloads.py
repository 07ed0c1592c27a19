"""The download buttons in real Chromium: files are made on click and are what they claim."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from PIL import Image

from tests.browser.conftest import AppServer

TIMEOUT = 90_000  # page load 4–7 s; the first image also starts the export browser


def test_map_png_and_briefing_download_from_the_map_page(demo_db: Path, browser):
    server = AppServer(demo_db)
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(f"{server.url}/?region=632500")
        png = page.get_by_text("PNG 图片").first
        png.wait_for(timeout=TIMEOUT)
        with page.expect_download(timeout=TIMEOUT) as made:
            png.click()
        assert made.value.suggested_filename == "海南藏族自治州各县区负担指数_2025Q4.png"
        image = Image.open(made.value.path())
        assert image.format == "PNG" and image.width >= 1200
        with page.expect_download(timeout=TIMEOUT) as made:
            page.get_by_role("button", name="生成简报").click()
        doc = Document(io.BytesIO(Path(made.value.path()).read_bytes()))
        assert doc.paragraphs[0].text == "海南藏族自治州村级组织负担情况简报"
    finally:
        context.close()
        server.stop()
