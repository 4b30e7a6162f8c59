"""PDFs that look the same on every host: one WeasyPrint entry point with bundled Noto fonts.

A PDF a prosecutor prints must not depend on the fonts the server happens to have: without
a font for the script, WeasyPrint falls back to whatever is installed, and Thai, Khmer, Lao
or Burmese text comes out as empty boxes (or as glyphs whose text cannot be extracted). So
the fonts travel with the package (``fonts/``: Noto Sans, Noto Sans Thai, Khmer, Lao and
Myanmar, regular and bold, plus Noto Sans Symbols and Symbols 2; static TrueType; SIL Open
Font License in ``fonts/OFL.txt``) and every PDF is rendered through :func:`render_pdf`,
which declares them with ``@font-face`` rules (``file://`` URLs) in a WeasyPrint
``FontConfiguration``. No system font is needed; system fonts are still used as a last
resort for characters the bundled fonts lack (CJK, for one).

Usage, for any new PDF::

    from npp.pdf import render_pdf

    pdf_bytes = render_pdf("<!doctype html><html lang='th'><head><meta charset='utf-8'>"
                           "<style>@page { size: A4 }</style></head><body>...</body></html>")

Leave ``font-family`` unset (the default stylesheet puts :data:`FONT_STACK` on the root
element) or, when a rule needs it, write ``font-family: {FONT_STACK}``.

This is an adapter module (it imports WeasyPrint); the framework-free core never imports it.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

FONT_DIR = Path(__file__).resolve().parent / "fonts"

#: Every bundled font: (CSS family, CSS weight, file name), in fallback order: Latin (with
#: Greek and Cyrillic) first, then the four ASEAN scripts Noto Sans lacks, then symbols
#: (the risk flags' warning sign, check marks, arrows) so no glyph needs a system font.
FONTS: tuple[tuple[str, int, str], ...] = (
    ("Noto Sans", 400, "NotoSans-Regular.ttf"),
    ("Noto Sans", 700, "NotoSans-Bold.ttf"),
    ("Noto Sans Thai", 400, "NotoSansThai-Regular.ttf"),
    ("Noto Sans Thai", 700, "NotoSansThai-Bold.ttf"),
    ("Noto Sans Khmer", 400, "NotoSansKhmer-Regular.ttf"),
    ("Noto Sans Khmer", 700, "NotoSansKhmer-Bold.ttf"),
    ("Noto Sans Lao", 400, "NotoSansLao-Regular.ttf"),
    ("Noto Sans Lao", 700, "NotoSansLao-Bold.ttf"),
    ("Noto Sans Myanmar", 400, "NotoSansMyanmar-Regular.ttf"),
    ("Noto Sans Myanmar", 700, "NotoSansMyanmar-Bold.ttf"),
    ("Noto Sans Symbols", 400, "NotoSansSymbols-Regular.ttf"),
    ("Noto Sans Symbols 2", 400, "NotoSansSymbols2-Regular.ttf"),
)

#: The CSS ``font-family`` value every PDF uses.
FONT_STACK = ", ".join(dict.fromkeys(f'"{family}"' for family, _, _ in FONTS)) + ", sans-serif"


def font_files() -> list[Path]:
    """Every bundled font file."""
    return [FONT_DIR / name for _, _, name in FONTS]


def font_face_css() -> str:
    """``@font-face`` rules for the bundled fonts, and the font stack as the default."""
    rules = [
        f'@font-face {{ font-family: "{family}"; font-style: normal; font-weight: {weight}; '
        f'src: url("{(FONT_DIR / name).as_uri()}") format("truetype"); }}'
        for family, weight, name in FONTS
    ]
    # The user-agent stylesheet sets code, pre... in "monospace", a host font: not here.
    rules.append(f"html, code, kbd, pre, samp, tt {{ font-family: {FONT_STACK}; }}")
    return "\n".join(rules)


def render_pdf(html: str, *, base_url: str | None = None, stylesheets: Iterable[str] = ()) -> bytes:
    """Render an HTML document to PDF bytes with the bundled fonts.

    ``html`` is a complete document (its own ``<style>`` is honoured). ``base_url`` (a
    ``file://`` directory URL) resolves relative links and images; by default documents are
    self-contained, with images as ``data:`` URLs. ``stylesheets`` are extra CSS texts,
    applied after the font rules as user stylesheets, so the document's own styles win where
    both set the same property.

    Nothing is fetched from the network or from files outside the bundled fonts and
    ``base_url``: a document that carries user-entered text must not be able to pull a
    server file (or a key) into a PDF.
    """
    with warnings.catch_warnings():
        # WeasyPrint warns at import time when the host has no fonts at all ("Expect ugly
        # output"): not true here, the fonts come with the package.
        warnings.filterwarnings("ignore", message=".*FontConfig.*", category=UserWarning)
        from weasyprint import CSS, HTML  # heavy: imported when a PDF is asked for
        from weasyprint.text.fonts import FontConfiguration

    fetcher = _local_fetcher(base_url)
    font_config = FontConfiguration()
    sheets = [CSS(string=font_face_css(), font_config=font_config, url_fetcher=fetcher)]
    sheets += [CSS(string=css, font_config=font_config, url_fetcher=fetcher) for css in stylesheets]
    pdf: bytes = HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(
        stylesheets=sheets, font_config=font_config
    )
    return pdf


def _local_fetcher(base_url: str | None) -> Any:
    """A WeasyPrint URL fetcher for ``data:`` URLs and files under the allowed folders."""
    from weasyprint.urls import URLFetcher

    folders = [FONT_DIR]
    if base_url and base_url.startswith("file:"):
        base = Path(url2pathname(urlsplit(base_url).path)).resolve()
        folders.append(base if base.is_dir() else base.parent)

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("data:"):
                parts = urlsplit(url)
                path = Path(url2pathname(parts.path)).resolve()
                if parts.scheme != "file" or not any(path.is_relative_to(f) for f in folders):
                    raise ValueError(f"not fetched for a PDF (outside the allowed files): {url}")
            return super().fetch(url, headers)

    return LocalOnly(allowed_protocols={"data", "file"})
