"""Active content in an uploaded PDF: found, and the file refused.

A PDF may carry more than pages: scripts (``/JavaScript``, ``/JS``), actions that run when it is
opened or when a page or field is touched (``/OpenAction``, ``/AA``) and that launch programs,
open other files or send form data (``/Launch``, ``/GoToR``, ``/GoToE``, ``/SubmitForm``,
``/ImportData``), embedded files (``/EmbeddedFile``, ``/EF``), Flash or video (``/RichMedia``),
XML forms (``/XFA``) and links to ``javascript:`` or ``file:`` addresses. A clerk opening such a
file in a desktop PDF reader could run it. A scan, a photo saved as PDF or a letter printed to
PDF needs none of it, so a file that has any is **refused**, with a message saying how to make a
clean one (print it to a new PDF, or scan the paper). Rewriting it without the active parts was
the other choice; it was not taken because the office would then keep a file the citizen never
sent (another hash, perhaps another look), and because a rewrite that misses one place is
worse than a refusal.

Two readings, and a file must pass both:

- **structured** (pypdf): every object of the file, those packed in object streams included and
  with names already decoded (``/J#61vaScript`` is ``/JavaScript``), is looked at as a
  dictionary: its keys, its action type ``/S``, the address of a ``/URI`` action. Automatic
  actions that only move within the document (``/OpenAction [3 0 R /Fit]``, a ``/GoTo``) and
  ``http``/``https``/``mailto`` links are harmless and pass.
- **raw**: the names written in the bytes, and in every Flate stream the file holds, decoded,
  against the names above. It catches an object the cross-reference table hides (readers repair
  broken files and find it). When pypdf cannot read the file at all (a minimal PDF without a
  cross-reference table, which readers still open), the raw reading alone decides, and is
  stricter: any ``/OpenAction`` or ``/AA``, and any ``javascript:``, is then refused too.

A PDF protected by a password that we cannot open (no empty user password) is refused as well:
nobody at the office could read it, and what it holds cannot be checked.
"""

import io
import logging
import re
import zlib

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

#: Dictionary keys whose mere presence means active content.
ACTIVE_KEYS = frozenset(
    {"/JavaScript", "/JS", "/EmbeddedFile", "/EmbeddedFiles", "/EF", "/RichMedia", "/XFA"}
)
#: Action types (``/S``) that run something, open something outside or send something.
ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        "/RichMediaExecute",
        "/Rendition",
        "/Movie",
        "/Sound",
    }
)
#: Link addresses a reader may open: anything else (``javascript:``, ``file:``, ``data:``, a
#: UNC path that leaks the clerk's Windows password hash) is active.
SAFE_URI_SCHEMES = ("http://", "https://", "mailto:", "tel:")
#: The names the raw reading looks for (the keys and action types above, without the slash).
RAW_NAMES = frozenset(name[1:] for name in ACTIVE_KEYS | ACTIVE_ACTIONS)
#: Added to the raw reading when pypdf cannot read the file.
RAW_NAMES_UNREAD = RAW_NAMES | {"OpenAction", "AA"}
#: How much one Flate stream may inflate to in the raw reading; a bomb stops there.
INFLATE_LIMIT = 16 * 1024 * 1024
INFLATE_TOTAL_LIMIT = 64 * 1024 * 1024

NAME = re.compile(rb"/([^\x00\t\n\f\r /<>\[\]()%{}]+)")
HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
STREAM = re.compile(rb"stream\r?\n")
JAVASCRIPT_URI = re.compile(rb"j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t\s*:", re.IGNORECASE)


class ActiveContent(Exception):
    """The PDF holds active content; ``reason`` names what (for the logs and the tests)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Unreadable(Exception):
    """The PDF is protected by a password we cannot open."""


def check_pdf(content: bytes) -> None:
    """Raise ``ActiveContent`` or ``Unreadable`` for a PDF that must not be kept."""
    reader = _reader(content)
    if reader is None:
        _check_raw(content, RAW_NAMES_UNREAD, javascript_uri=True)
        return
    _check_raw(content, RAW_NAMES, javascript_uri=False)
    _check_structure(reader)


def _reader(content: bytes) -> PdfReader | None:
    # pypdf warns on every small defect of a scanner's file; they are not ours to log.
    pypdf_logger = logging.getLogger("pypdf")
    level = pypdf_logger.level
    pypdf_logger.setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as error:  # an unsupported cipher: what it holds cannot be checked
                raise Unreadable from error
            if not opened:
                raise Unreadable
        return reader
    except Unreadable:
        raise
    except Exception:  # noqa: BLE001 (pypdf raises many kinds on files readers still open)
        return None
    finally:
        pypdf_logger.setLevel(level)


def _objects(reader: PdfReader):
    """Every object the file declares, those in object streams included, then the trailer."""
    numbers = {(number, 0) for number in reader.xref_objStm}
    for generation, entries in reader.xref.items():
        numbers.update((number, generation) for number in entries)
    for number, generation in sorted(numbers):
        try:
            yield reader.get_object(IndirectObject(number, generation, reader))
        except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError):
            continue
    yield reader.trailer


def _check_structure(reader: PdfReader) -> None:
    for obj in _objects(reader):
        _check_value(obj, depth=0)


def _check_value(value, depth: int) -> None:
    """Look into a dictionary or an array (not through references: every object is visited)."""
    if depth > 64:
        return
    if isinstance(value, DictionaryObject):
        _check_dictionary(value)
        for item in value.values():
            _check_value(item, depth + 1)
    elif isinstance(value, ArrayObject):
        for item in value:
            _check_value(item, depth + 1)


def _check_dictionary(dictionary: DictionaryObject) -> None:
    for key in dictionary:
        if key in ACTIVE_KEYS:
            raise ActiveContent(f"key {key}")
    action = dictionary.get("/S")
    if isinstance(action, NameObject) and action in ACTIVE_ACTIONS:
        raise ActiveContent(f"action {action}")
    if "/URI" in dictionary:
        address = dictionary.get("/URI")
        if isinstance(address, IndirectObject):
            address = address.get_object()
        text = address.decode("latin-1") if isinstance(address, bytes) else str(address)
        cleaned = "".join(ch for ch in text if ch > " " and ch != "\x7f").lower()
        if not cleaned.startswith(SAFE_URI_SCHEMES):
            raise ActiveContent(f"link to {cleaned[:20]!r}")


def _inflated_streams(content: bytes):
    """The decompressed bytes of every Flate stream written in the file, within the limits."""
    total = 0
    view = memoryview(content)
    for match in STREAM.finditer(content):
        if total >= INFLATE_TOTAL_LIMIT:
            return
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(view[match.end() :], INFLATE_LIMIT)
        except zlib.error:
            continue
        total += len(data)
        yield data


def _names(data: bytes):
    for match in NAME.finditer(data):
        yield HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))


def _check_raw(content: bytes, names: frozenset, *, javascript_uri: bool) -> None:
    wanted = {name.encode() for name in names}
    for data in (content, *_inflated_streams(content)):
        for name in _names(data):
            if name in wanted:
                raise ActiveContent(f"name /{name.decode('latin-1')}")
        if javascript_uri and JAVASCRIPT_URI.search(data):
            raise ActiveContent("javascript: address")
