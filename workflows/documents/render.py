"""The one WeasyPrint wrapper: HTML in, PDF bytes out, nothing fetched from anywhere.

- WeasyPrint is imported on first use (it takes a second and most requests never print), and
  one font configuration serves the whole process: fonts are loaded once, not per document
  (WeasyPrint's default, a configuration per render, also keeps some 200 KB of each).
- The fonts ship with the project (``assets/fonts``, Noto Sans, SIL Open Font License), so a
  document looks the same on every machine, whatever fonts it has.
- The garbage collector waits for the end of a render (``_collecting_once_at_the_end``).
- ``ProjectFilesOnly`` is the URL fetcher: it serves files under ``assets/`` and refuses every
  other URL (``file://`` elsewhere, ``http(s)://``, ``data:``...) by stopping the render. The
  templates escape every value, so hostile text in a field (markup, ``<img src=...>``) prints
  as text and never reaches the fetcher; if a template ever asks for something else, the render
  fails loudly instead of reading the disk or the network.
- Bidirectional control characters are dropped from the page (``plain_text``).
- Each PDF stream is compressed once (``_compressing_streams_once``): for PDF/A, pydyf
  compressed every stream (the fonts, the page, the colour profile) a second time to hash the
  file for its identifier.
- The user agent style sheet is WeasyPrint's without its footnote and note rules
  (``user_agent_css``): documents have neither, and those rules gave every element five
  pseudo-element styles to build at every render.
"""

import contextlib
import ctypes.util
import functools
import gc
import logging
import re
import threading
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from workflows.documents import qr
from workflows.documents.plain_text import without_direction_controls

ASSETS = Path(__file__).resolve().parent / "assets"
#: The PDF/A flavour of archival documents: PDF/A-3b, the one WeasyPrint produces for any
#: content (level "a" needs tagged structure, "u" adds nothing a reader of these needs).
ARCHIVAL_VARIANT = "pdf/a-3b"

_lock = threading.Lock()
logger = logging.getLogger(__name__)


class Engine(NamedTuple):
    weasyprint: object
    #: ``weasyprint.HTML`` with our user agent style sheet (``user_agent_css``).
    html: type
    fetcher: type
    #: The one instance the renders use (under ``_lock``): building a fetcher (urllib's
    #: opener and its nine handlers) took 0.5 ms, at every render.
    url_fetcher: object
    stylesheets: list
    framed_stylesheets: list
    font_config: object
    finisher: object


@functools.cache
def engine() -> Engine:
    """WeasyPrint, imported and set up once per process."""
    import weasyprint
    from PIL import ImageFile
    from weasyprint.css.counters import CounterStyle
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    # Importing WeasyPrint makes Pillow accept truncated images, for the whole process: uploads
    # would then take a photo cut off halfway for a good one. Documents embed no images.
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    class Refused(FatalURLFetchingError):
        """Stops the render: a document never fetches anything outside the project."""

    class ProjectFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            qr_image = qr.png_for(url)
            if qr_image is not None:
                return URLFetcherResponse(url, qr_image, {"Content-Type": "image/png"})
            path = project_file(url)
            if path is None:
                raise Refused(f"A document may not fetch {url[:80]!r}")
            return super().fetch(path.as_uri(), headers)

    if not harfbuzz_subset_installed():
        logger.warning(
            "libharfbuzz-subset is missing: every PDF document renders about ten times slower. "
            "Install the Debian package libharfbuzz-subset0."
        )
    font_config = FontConfiguration()
    url_fetcher = ProjectFilesOnly()
    stylesheets = [
        weasyprint.CSS(
            filename=str(ASSETS / name), url_fetcher=url_fetcher, font_config=font_config
        )
        for name in ("fonts.css", "document.css", "certificate.css")
    ]
    finisher = _streams_compressed_once()
    # Its @counter-style rules go to a collection of their own, as WeasyPrint's did when it
    # parsed them first (the documents count with WeasyPrint's, ``_ua_counter_style``).
    user_agent = weasyprint.CSS(string=user_agent_css(), counter_style=CounterStyle())

    class DocumentHTML(weasyprint.HTML):
        # A WeasyPrint method, not its API: should it be renamed, WeasyPrint's own style sheet
        # applies again, and documents render as before, only slower.
        def _ua_stylesheets(self, forms=False):
            return [user_agent]

    return Engine(
        weasyprint,
        DocumentHTML,
        ProjectFilesOnly,
        url_fetcher,
        stylesheets[:2],
        stylesheets,
        font_config,
        finisher,
    )


#: The rules of WeasyPrint's user agent style sheet for footnotes and notes (``::footnote-call``,
#: ``::note-marker``...): one line each, every one a pseudo-element of every element.
NOTE_RULE = re.compile(r"^::(footnote|note)-[a-z]+ *\{[^}]*\}\n", re.MULTILINE)


def user_agent_css() -> str:
    """WeasyPrint's user agent style sheet (``html5_ua.css``) without its footnote and note rules.

    They apply to every element: WeasyPrint built five pseudo-element styles per element of
    every document, a few percent of each render, for footnotes and notes that no template
    has (``float: footnote``). Every other rule, ``@page`` areas included, stays as it is.
    """
    from weasyprint.html import UA

    css, dropped = NOTE_RULE.subn("", UA)
    if not dropped:
        logger.warning("WeasyPrint's user agent style sheet has no footnote rules any more.")
    return css


def harfbuzz_subset_installed() -> bool:
    return ctypes.util.find_library("harfbuzz-subset") is not None


def project_file(url: str) -> Path | None:
    """The file under ``assets/`` that ``url`` names, or None for any other URL."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(ASSETS) or not path.is_file():
        return None
    return path


def render_pdf(html: str, *, archival: bool = False, framed: bool = False) -> bytes:
    """The PDF of ``html`` (a whole page from ``templates/pdf/``); PDF/A when ``archival``, on
    the framed page of the issued documents when ``framed`` (``assets/certificate.css``).

    Bidirectional control characters are dropped first (see above).
    """
    # The font configuration is shared: one render at a time per process.
    with _lock, _collecting_once_at_the_end():
        return _write_pdf(html, archival, framed)


def _write_pdf(html: str, archival: bool, framed: bool = False) -> bytes:
    # A function of its own: once it returns, nothing of the render is referenced any more,
    # so the collection that follows frees all of it.
    _, html_class, _, url_fetcher, stylesheets, framed_stylesheets, font_config, finisher = engine()
    html = without_direction_controls(html)
    document = html_class(string=html, base_url=ASSETS.as_uri() + "/", url_fetcher=url_fetcher)
    return document.write_pdf(
        stylesheets=framed_stylesheets if framed else stylesheets,
        font_config=font_config,
        pdf_variant=ARCHIVAL_VARIANT if archival else None,
        finisher=finisher,
    )


def _streams_compressed_once():
    """A WeasyPrint finisher: every stream of the PDF is serialized (and compressed) once.

    pydyf serializes a stream (zlib, level 9) each time its ``data`` is read. It reads it to
    write the file, and for PDF/A, whose trailer needs an identifier, a second time to hash
    the whole file: the fonts, the page and the colour profile were compressed twice, some
    5 ms of an archival document's render. The finisher runs when the PDF is complete and
    about to be written: each stream keeps the bytes of its first serialization. The file
    is byte for byte the same.
    """
    import pydyf

    serialized_once = {}  # a stream class: its subclass whose data is the bytes kept

    def finisher(document, pdf):
        for pdf_object in pdf.objects:
            if isinstance(pdf_object, pydyf.Stream):
                pdf_object.serialized = pdf_object.data
                cls = type(pdf_object)
                if cls not in serialized_once:
                    serialized_once[cls] = type(
                        cls.__name__, (cls,), {"data": property(lambda self: self.serialized)}
                    )
                pdf_object.__class__ = serialized_once[cls]

    return finisher


@contextlib.contextmanager
def _collecting_once_at_the_end():
    """Collect the render's garbage once, at the end, instead of during the render.

    A render allocates objects by the hundred thousand, most of them short-lived. With the
    collector on, some ten young collections run meanwhile and promote whatever is alive at
    that moment; every tenth render or so, the promoted objects trigger a full collection,
    which walks every object of the process (Django's and WeasyPrint's, some 140,000) and
    takes 30 to 80 ms: half a render, on one render in ten (``manage.py bench_pdf`` showed
    it as a 95th percentile twice the median). Collecting the young generation once at the
    end frees the render's reference cycles all the same, and promotes only what lasts.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)
