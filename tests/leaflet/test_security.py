"""Patient data prints literally and can make the renderer fetch or embed nothing."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from counsel.leaflet.pdf import html_to_pdf
from counsel.leaflet.render import leaflet_pdf
from counsel.services.leaflet import LeafletOptions
from tests.conftest import TODAY, counsel_for
from tests.leaflet.conftest import flat

pytestmark = pytest.mark.pdf

IMG = '<img src="file:///etc/passwd">'
LINK = '<link rel="attachment" href="file:///etc/hostname">'
SCRIPT = "<script>alert(1)</script>"
TEMPLATE = "{{ 7*7 }}"


def _embedded(pdf: bytes) -> tuple[int, int]:
    """(attachments, images) in the PDF."""
    reader = PdfReader(BytesIO(pdf))
    images = sum(len(page.images) for page in reader.pages)
    return len(reader.attachments), images


@pytest.fixture(scope="module")
def hostile() -> tuple[str, str, bytes]:
    result = counsel_for(
        patient={"name": IMG},
        pharmacy={"name": f"{SCRIPT} {TEMPLATE}", "phone": "0", "address": ""},
        notes=f"{LINK}\n{IMG}\n{SCRIPT}\n{TEMPLATE} {{% include 'x' %}}",
    )
    _, html, pdf = leaflet_pdf(result, LeafletOptions(), today=TODAY)
    return html, flat(" ".join(p.extract_text() or "" for p in PdfReader(BytesIO(pdf)).pages)), pdf


def test_markup_and_template_syntax_print_literally(hostile: tuple[str, str, bytes]) -> None:
    _, text, _ = hostile
    for payload in (IMG, LINK, SCRIPT, TEMPLATE, "{% include 'x' %}"):
        assert payload in text
    assert "For " + IMG in text
    assert "49" not in text


def test_html_escapes_every_payload(hostile: tuple[str, str, bytes]) -> None:
    html, _, _ = hostile
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert "&lt;script&gt;" in html
    assert "<script" not in html and 'rel="attachment"' not in html
    # The only images are the project's own icons (resources/icons), never the payload's.
    imgs = re.findall(r"<img\b[^>]*>", html)
    assert imgs and all(re.fullmatch(r'<img class="icon" src="icons/[a-z0-9-]+\.svg" alt="[^"<>]+">',
                                     img) for img in imgs), imgs


def test_nothing_is_embedded(hostile: tuple[str, str, bytes]) -> None:
    _, _, pdf = hostile
    assert _embedded(pdf) == (0, 0)
    assert b"/EmbeddedFile" not in pdf


def test_the_fetcher_blocks_raw_markup_too() -> None:
    # Second wall: even unescaped markup reaching WeasyPrint cannot read local files.
    html = ('<html lang="en"><head><title>t</title>' + LINK + '</head><body><p>x</p>' + IMG +
            '<p style="background: url(file:///etc/passwd)">y</p>'
            '<object data="file:///etc/hostname"></object></body></html>')
    pdf = html_to_pdf(html, paper="a4", large_print=False, training=False)
    assert _embedded(pdf) == (0, 0)
    assert b"/EmbeddedFile" not in pdf
