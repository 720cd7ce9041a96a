"""How fast, how big and how hungry the documents are: what ``manage.py bench_pdf`` measures.

A document's render time is what issuing spends once the database has been read: the template
rendered to HTML, and WeasyPrint (``samples.Sample.render``). It is compared with a bare
WeasyPrint render (default settings, no fonts of ours) of a one-page plain text document of
similar length, in the same process and the same run. The rounds are interleaved: each renders
every document and the bare page once, in an order that rotates, so that a busy machine slows
them all alike and the ratio stays meaningful when the milliseconds are not.

Percentiles are nearest-rank: the 95th of 20 renders is the 19th fastest, a time that was
actually measured.
"""

import base64
import contextlib
import datetime
import gc
import html
import math
import resource
import statistics
import time
from html.parser import HTMLParser
from pathlib import Path

import segno
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connections
from django.test import override_settings

from workflows.documents import keys, qr, seal

#: A document may take at most twice the bare render, and weigh less than 100 KB.
TARGET_RATIO = 2.0
TARGET_BYTES = 100_000
#: Resident memory may grow by at most this much over a thousand renders.
TARGET_GROWTH_MB = 10.0
BARE = "bare"


class DatabaseTouched(RuntimeError):
    """A measured render queried the database (a template reading a relation lazily)."""


def percentile(values, fraction: float) -> float:
    """The nearest-rank percentile of ``values`` (``fraction`` 0.5 is the median of odd counts)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure(samples, *, rounds: int, warmup: int) -> dict:
    """Times, ratios to bare and sizes of ``samples``, as ``bench_pdf --json`` prints them."""
    bare_html, bare_chars = bare_page(samples)
    renders = {BARE: lambda: render_bare(bare_html)}
    renders.update({sample.kind.name: sample.render for sample in samples})
    names = list(renders)
    timings = {name: [] for name in names}
    sizes = {}
    with no_database():
        for round_number in range(warmup + rounds):
            # Rotate the order: no document always follows the bare page (or another document).
            shift = round_number % len(names)
            for name in names[shift:] + names[:shift]:
                started = time.perf_counter()
                pdf = renders[name]()
                elapsed = time.perf_counter() - started
                if round_number >= warmup:
                    timings[name].append(elapsed * 1000)
                sizes[name] = len(pdf)
    bare = _figures(timings[BARE], sizes[BARE])
    documents = {}
    for sample in samples:
        name = sample.kind.name
        figures = _figures(timings[name], sizes[name])
        figures["ratio"] = round(figures["p50_ms"] / bare["p50_ms"], 2)
        figures["chars"] = _length(visible_lines(sample.html()))
        figures["meets_targets"] = (
            figures["ratio"] <= TARGET_RATIO and figures["bytes"] < TARGET_BYTES
        )
        documents[name] = figures
    return {
        "rounds": rounds,
        "warmup": warmup,
        "font_subsetter": font_subsetter(),
        "bare": {**bare, "chars": bare_chars},
        "documents": documents,
    }


def _figures(milliseconds, size) -> dict:
    return {
        "p50_ms": round(statistics.median(milliseconds), 2),
        "p95_ms": round(percentile(milliseconds, 0.95), 2),
        "bytes": size,
    }


@contextlib.contextmanager
def no_database():
    """Refuse every query: the renders measured must not include (or need) the database."""

    def refuse(execute, sql, params, many, context):
        raise DatabaseTouched(
            "A document's template queried the database while it was measured: the context "
            "should hold what the template prints. Query: " + sql[:200]
        )

    with contextlib.ExitStack() as stack:
        for connection in connections.all(initialized_only=True):
            stack.enter_context(connection.execute_wrapper(refuse))
        yield


# --- The bare page ------------------------------------------------------------------------------


class _TextOnly(HTMLParser):
    """The text a reader sees: not the head, the style sheet or the QR code's drawing."""

    HIDDEN = {"head", "style", "svg", "title", "script"}

    def __init__(self):
        super().__init__()
        self.hidden_depth = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden_depth += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data):
        if not self.hidden_depth:
            self.parts.append(data)


def visible_lines(document_html: str) -> list[str]:
    parser = _TextOnly()
    parser.feed(document_html)
    text = "".join(parser.parts)
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def bare_page(samples) -> tuple[str, int]:
    """(HTML, characters): the text of the median-length document, a paragraph per line, on one
    page."""
    texts = sorted((visible_lines(sample.html()) for sample in samples), key=_length)
    lines = texts[(len(texts) - 1) // 2]
    while True:
        page = "<!doctype html><html><body>{}</body></html>".format(
            "".join(f"<p>{html.escape(line)}</p>" for line in lines)
        )
        if len(lines) <= 1 or _page_count(page) == 1:
            return page, _length(lines)
        lines = lines[:-1]


def _length(lines) -> int:
    return len(" ".join(lines))


def render_bare(page: str) -> bytes:
    """WeasyPrint as it comes: default settings, default fonts, default URL fetcher.

    Its default is a new font configuration per render, which keeps some 200 KB each for good
    (``render.py`` shares one): harmless for the few dozen renders measured here.
    """
    import weasyprint

    return weasyprint.HTML(string=page).write_pdf()


def _page_count(page: str) -> int:
    import weasyprint

    return len(weasyprint.HTML(string=page).render().pages)


def font_subsetter() -> str:
    """Which library WeasyPrint subsets the embedded fonts with: HarfBuzz (fast) or fontTools."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    if harfbuzz_subset is not None and harfbuzz.hb_version_atleast(4, 1, 0):
        return "harfbuzz"
    return "fonttools"


# --- Memory -------------------------------------------------------------------------------------


#: The first renders of a process fill WeasyPrint's and the allocator's caches: resident memory
#: rises by some 15 MB over about 30 renders, once, and then barely moves. Growth is counted
#: after this many renders, so that it shows what would pile up in a worker, not that start.
MEMORY_WARMUP_RENDERS = 50


def memory(samples, renders: int) -> dict:
    """Resident memory after warming up, and after ``renders`` more renders (cycling kinds)."""
    with no_database():
        for number in range(MEMORY_WARMUP_RENDERS):
            samples[number % len(samples)].render()
        gc.collect()
        after_warmup = resident_mb()
        for number in range(renders):
            samples[number % len(samples)].render()
        gc.collect()
        at_end = resident_mb()
    growth = at_end - after_warmup
    return {
        "renders": renders,
        "warmup_renders": MEMORY_WARMUP_RENDERS,
        "rss_after_warmup_mb": round(after_warmup, 1),
        "rss_end_mb": round(at_end, 1),
        "growth_mb": round(growth, 1),
        # The target is per thousand renders; fewer renders are held to the same amount.
        "meets_target": growth <= TARGET_GROWTH_MB * max(renders, 1000) / 1000,
    }


def resident_mb() -> float:
    """The process's resident set size now (VmRSS), or its peak where /proc is missing."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- QR code sizes ------------------------------------------------------------------------------

QR_PRINTED_MM = 25
QR_PUBLIC_URL = "https://gup.gov.bi"


def qr_sizes() -> list[dict]:
    """The QR code of a worst-case seal in our encoding and in the two usual alternatives.

    Worst case: a payment receipt GIT-2026-R000123 of dossier GIT-2026-000123-H, a holder's
    name at the cap of ``seal.HOLDER_MAX_BYTES``, a validity date, the public URL
    https://gup.gov.bi; level M, never boosted (``qr.make``).
    """
    private_key = Ed25519PrivateKey.generate()
    issued_on = datetime.date(2026, 3, 16)
    facts = seal.SealedFacts(
        kind="payment_receipt",
        number="GIT-2026-R000123",
        tracking_number="GIT-2026-000123-H",
        # Longer than the cap: the seal keeps its first 48 bytes.
        holder="Jean-Bosco Nshimirimana Ndayishimiye Irakoze Hakizimana",
        issued_on=issued_on,
        valid_until=issued_on + datetime.timedelta(days=730),
        key_id=keys.key_id(private_key.public_key()),
    )
    code = seal.seal(facts, private_key)
    raw = base64.b32decode(code + "=" * (-len(code) % 8))
    with override_settings(GUP_PUBLIC_URL=QR_PUBLIC_URL):
        ours = qr.verification_url(code)
    url = QR_PUBLIC_URL + "/V/"
    base45 = encode_base45(raw)
    base64url = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return [
        _qr_row("Base32, URL in upper case (ours)", code, qr.make(ours), ours),
        _qr_row("Base45, byte mode", base45, _byte_mode(url + base45), url + base45),
        _qr_row("Base64url, byte mode", base64url, _byte_mode(url + base64url), url + base64url),
    ]


def _byte_mode(text: str):
    return segno.make_qr(text, error=qr.ERROR_CORRECTION, boost_error=False, mode="byte")


def _qr_row(encoding, code, symbol, text) -> dict:
    modules = symbol.symbol_size(border=0)[0]
    return {
        "encoding": encoding,
        "mode": symbol.mode,
        "code_chars": len(code),
        "text_chars": len(text),
        "version": symbol.version,
        "modules": modules,
        "module_mm": round(QR_PRINTED_MM / modules, 3),
    }


BASE45_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def encode_base45(data: bytes) -> str:
    """RFC 9285: two bytes become three characters, a last odd byte two."""
    characters = []
    for index in range(0, len(data) - len(data) % 2, 2):
        value = data[index] * 256 + data[index + 1]
        characters += [value % 45, value // 45 % 45, value // 45**2]
    if len(data) % 2:
        characters += [data[-1] % 45, data[-1] // 45]
    return "".join(BASE45_ALPHABET[value] for value in characters)
