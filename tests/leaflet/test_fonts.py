"""Glyph coverage is checked before rendering: names in any script print, tofu is refused."""

from __future__ import annotations

import shutil

import pytest

from counsel.leaflet.errors import LeafletError
from counsel.leaflet.fonts import bundled_coverage, missing_glyphs, printable
from counsel.leaflet.options import LeafletOptions
from counsel.leaflet.render import leaflet_html
from tests.conftest import TODAY, counsel_for

needs_fontconfig = pytest.mark.skipif(shutil.which("fc-list") is None, reason="no fontconfig")


def test_bundled_fonts_cover_latin_and_latin_ext_but_not_cjk() -> None:
    covered = bundled_coverage()
    for ch in "Aa1½°—Łóź":
        assert ord(ch) in covered, ch
    assert ord("王") not in covered
    assert 0x2010 not in covered  # in the package's range but not in the file (see fonts README)


@needs_fontconfig
@pytest.mark.parametrize("name", ["王小明", "अनिल कुमार", "فاطمة الزهراء", "Дмитрий Ковалёв",
                                  "Γιώργος Παπαδόπουλος", "Łódź Ševčík", "Nguyễn Thị Minh Khai"])
def test_names_in_many_scripts_are_printable(name: str) -> None:
    assert missing_glyphs([("patient.name", name)]) == []


@pytest.mark.parametrize(("char", "why"), [("\ue000", "private use"), ("\U000f0001", "private use"),
                                           ("\u0378", "unassigned")])
def test_private_use_and_unassigned_are_reported(char: str, why: str) -> None:
    missing = missing_glyphs([("patient.name", f"Ann{char}a")])
    assert [m.char for m in missing] == [char], why
    assert missing[0].field == "patient.name"
    assert missing[0].code == f"U+{ord(char):04X}"


def test_format_marks_need_no_glyph() -> None:
    assert printable("\u200d") and printable("\u200f") and printable(" ")


def test_render_refuses_a_name_no_font_can_print() -> None:
    result = counsel_for(patient={"name": "Ann\ue000"})
    with pytest.raises(LeafletError) as err:
        leaflet_html(result, LeafletOptions(), today=TODAY)
    message = str(err.value)
    assert message.startswith("patient.name: character U+E000")
    assert "\n" not in message


def test_each_missing_character_is_reported_once_with_its_field() -> None:
    missing = missing_glyphs([("notes", "x\ue000\ue000"), ("pharmacy.name", "\ue000\ue001")])
    assert [(m.field, m.code) for m in missing] == [("notes", "U+E000"), ("pharmacy.name", "U+E001")]
