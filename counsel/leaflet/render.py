"""The leaflet pipeline: view model -> glyph check -> HTML -> PDF."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from counsel import paths
from counsel.core.rules import Counselling
from counsel.leaflet.environment import render_html
from counsel.leaflet.errors import LeafletError
from counsel.leaflet.fonts import missing_glyphs
from counsel.leaflet.options import PAPERS, LeafletOptions
from counsel.leaflet.pdf import html_to_pdf, stylesheet_files
from counsel.leaflet.readability import prose
from counsel.leaflet.viewmodel import LeafletView, build_view


def case_text_fields(result: Counselling) -> Iterator[tuple[str, str]]:
    """The free-text fields of a case that print on the leaflet, named as in the case file."""
    case = result.case
    yield "patient.name", case.patient.name or ""
    for i, med in enumerate(case.patient.other_medicines):
        yield f"patient.other_medicines.{i}", med
    yield "prescription.prescriber", case.prescription.prescriber or ""
    yield "pharmacy.name", case.pharmacy.name
    yield "pharmacy.phone", case.pharmacy.phone
    yield "pharmacy.address", case.pharmacy.address
    yield "pharmacist", case.pharmacist
    yield "notes", case.notes
    carer = case.patient.carer
    if carer is not None:
        yield "patient.carer.name", carer.name
        yield "patient.carer.relationship", carer.relationship
    pump = case.prescription.pump
    if pump is not None:
        yield "prescription.pump.clinic_name", pump.clinic_name
        yield "prescription.pump.clinic_phone", pump.clinic_phone
        yield "prescription.pump.out_of_hours_phone", pump.out_of_hours_phone


def check_printable(result: Counselling, view: LeafletView) -> None:
    """Refuse (one line) text that would print as empty boxes: no installed font has it."""
    fields = [*case_text_fields(result), *(("leaflet text", s) for s in prose(view)),
              ("provenance", view.provenance),
              *(("sources", title) for title in view.source_titles)]
    missing = missing_glyphs(fields)
    if missing:
        first = missing[0]
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise LeafletError(
            f"{first.field}: character {first.describe()}{more} cannot be printed: no installed "
            f"font has it (install fonts-noto-core / fonts-noto-cjk, or retype it)")


def check_options(options: LeafletOptions) -> None:
    if options.paper not in PAPERS:
        raise LeafletError(f"paper: '{options.paper}' is not one of {', '.join(PAPERS)}")


def leaflet_html(result: Counselling, options: LeafletOptions, *,
                 today: date) -> tuple[LeafletView, str]:
    check_options(options)
    view = build_view(result, options, today=today)
    check_printable(result, view)
    return view, render_html(view)


def standalone_html(html: str, view: LeafletView) -> str:
    """The HTML with links to its stylesheets, so the saved file looks right in a browser.

    (WeasyPrint gets the parsed, cached stylesheets instead.)"""
    links = "".join(f'<link rel="stylesheet" href="{path.as_uri()}">\n'
                    for path in stylesheet_files(large_print=view.large_print,
                                                 training=view.training))
    icons = (paths.RESOURCES_DIR / "icons").as_uri() + "/"
    html = html.replace('<img class="icon" src="icons/', f'<img class="icon" src="{icons}')
    return html.replace("</head>", links + "</head>", 1)


def leaflet_pdf(result: Counselling, options: LeafletOptions, *,
                today: date) -> tuple[LeafletView, str, bytes]:
    view, html = leaflet_html(result, options, today=today)
    pdf = html_to_pdf(html, paper=view.paper, large_print=view.large_print, training=view.training)
    return view, html, pdf
