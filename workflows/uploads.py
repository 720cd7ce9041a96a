"""Uploaded documents: the type is decided by the content, never by the name.

A file is accepted only when its bytes are a PDF, a JPEG or a PNG that the service accepts for
that document, when it is not empty and when it is within ``UPLOAD_MAX_BYTES``. Accepted files are
stored under a generated name below ``UPLOAD_ROOT``, outside the static tree.

Files are made fit to keep before they are stored (``fit_to_keep``): every image is re-encoded
from its pixels (so a file that is both an image and something else is kept as an image only),
downscaled when its longer side exceeds ``UPLOAD_IMAGE_MAX_SIDE`` pixels, and its EXIF metadata
(the phone's GPS position among them) is dropped once its orientation has been applied; a PDF
loses whatever follows its last ``%%EOF``, and a PDF with active content (scripts, automatic
actions, embedded files: ``workflows.active_content``) is refused. Every upload path (the portal,
the counter, relayed answers, hand-overs, objections) goes through ``inspect_upload``, so none
stores a 12-megapixel photo, a citizen's home coordinates or a script.

``upload_help`` is the one sentence that states, beside every upload field, what is accepted
("PDF, JPEG or PNG, up to 10 MB"), from the same setting the checks use.
"""

import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, JpegImagePlugin, UnidentifiedImageError

from workflows import active_content
from workflows.models.attachment import Attachment, generated_name

TYPE_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
ALL_TYPES = tuple(TYPE_NAMES)
#: Quality of a JPEG re-encoded on the server: a phone photo downscaled to 2000 px stays sharp
#: (the browser sends 1600 px at 0.85 already; this only catches what it could not).
JPEG_QUALITY = 85


def type_names(accepted_types) -> str:
    """The accepted types in words: "PDF", "PDF or PNG", "PDF, JPEG or PNG"."""
    names = [TYPE_NAMES[t] for t in accepted_types if t in TYPE_NAMES]
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s or %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _upload_help(accepted_types=ALL_TYPES, each=False) -> str:
    params = {
        "types": type_names(accepted_types),
        "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
    }
    if each:
        return _("%(types)s, up to %(limit)s each.") % params
    return _("%(types)s, up to %(limit)s.") % params


#: The help text of an upload field: ``upload_help(document.accepted_types)``. Lazy, so that a
#: form class may use it at import time and the limit is read when the page is shown.
upload_help = lazy(_upload_help, str)


@dataclass(frozen=True)
class InspectedUpload:
    content: bytes
    content_type: str
    original_name: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)

    def stored_as(self, stored_name: str) -> dict:
        """What a row recording this file once stored (an attachment, a kept upload) holds."""
        return {
            "original_name": self.original_name,
            "stored_name": stored_name,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
        }


def _looks_intact(content: bytes, content_type: str) -> bool:
    if content_type == "application/pdf":
        return b"%%EOF" in content[-2048:]
    try:
        # verify() does not decode JPEG data, so a photo cut off halfway would pass: decode it.
        with Image.open(io.BytesIO(content)) as image:
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    return True


def inspect_upload(uploaded_file, accepted_types) -> InspectedUpload:
    """Read and check an uploaded file; raise ValidationError with a message for the user."""
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded_file.size is not None and uploaded_file.size > limit:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s."),
            code="too_big",
            params={"size": filesizeformat(uploaded_file.size), "limit": filesizeformat(limit)},
        )
    content = uploaded_file.read(limit + 1)
    if not content:
        raise ValidationError(_("This file is empty."), code="empty")
    if len(content) > limit:
        raise ValidationError(
            _("This file is larger than the limit of %(limit)s."),
            code="too_big",
            params={"limit": filesizeformat(limit)},
        )
    accepted_names = ", ".join(TYPE_NAMES[t] for t in accepted_types if t in TYPE_NAMES)
    kind = filetype.guess(content)
    content_type = kind.mime if kind else None
    if content_type not in accepted_types:
        raise ValidationError(
            _("This file is not a %(types)s document, whatever its name says."),
            code="bad_type",
            params={"types": accepted_names},
        )
    if not _looks_intact(content, content_type):
        raise ValidationError(
            _("This %(type)s file is damaged or incomplete. Please scan or save it again."),
            code="damaged",
            params={"type": TYPE_NAMES[content_type]},
        )
    if content_type == "application/pdf":
        _refuse_active_content(content)
    content = fit_to_keep(content, content_type)
    return InspectedUpload(
        content=content,
        content_type=content_type,
        original_name=os.path.basename(uploaded_file.name or "document")[:255],
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _refuse_active_content(content: bytes) -> None:
    """A PDF with scripts, automatic actions or embedded files is refused
    (``workflows.active_content`` says what is looked for and why refusing, not rewriting)."""
    try:
        active_content.check_pdf(content)
    except active_content.ActiveContent as error:
        raise ValidationError(
            _(
                "This PDF contains active content (a script, an automatic action or an embedded "
                "file) that could run when it is opened, so it cannot be accepted. Print it to a "
                "new PDF or scan the paper document, then send it again."
            ),
            code="active_content",
        ) from error
    except active_content.Unreadable as error:
        raise ValidationError(
            _(
                "This PDF is protected by a password, so the office could not open it. Please "
                "send a copy without a password."
            ),
            code="password",
        ) from error


def without_trailing_bytes(content: bytes) -> bytes:
    """A PDF up to its last ``%%EOF`` and the line end after it: whatever was appended behind
    it (an HTML page, a ZIP archive: a polyglot) is not kept. Readers ignore it anyway."""
    end = content.rfind(b"%%EOF") + len(b"%%EOF")
    for line_end in (b"\r\n", b"\n", b"\r"):
        if content.startswith(line_end, end):
            return content[: end + len(line_end)]
    return content[:end]


def fit_to_keep(content: bytes, content_type: str) -> bytes:
    """The bytes to store for an accepted file: a PDF without what follows its end, an image
    re-encoded from its pixels, downscaled when it is too large, without its metadata.

    Every image is re-encoded, in its own format, so that only the image is kept: a PNG or JPEG
    with an HTML page, a ZIP archive or a PDF hidden in a comment, a metadata segment or after
    its end marker (a polyglot) is stored as pixels only. The EXIF orientation is applied to the
    pixels first (the photo stays upright without it), then all EXIF (the phone's GPS position
    among it), comments and text chunks are dropped; the colour profile is kept. A PNG is
    re-encoded losslessly; a JPEG that is not downscaled is re-encoded with its own
    quantisation tables and chroma subsampling, so a scan loses nothing visible. An image whose
    longer side exceeds ``UPLOAD_IMAGE_MAX_SIDE`` is downscaled (JPEG quality ``JPEG_QUALITY``).
    """
    if content_type == "application/pdf":
        return without_trailing_bytes(content)
    if content_type not in ("image/jpeg", "image/png"):
        return content
    max_side = settings.UPLOAD_IMAGE_MAX_SIDE
    with Image.open(io.BytesIO(content)) as image:
        oversized = max_side and max(image.size) > max_side
        image_format = image.format
        icc_profile = image.info.get("icc_profile")
        same_tables = {}
        if image_format == "JPEG" and not oversized:
            same_tables = {
                "qtables": image.quantization,
                "subsampling": JpegImagePlugin.get_sampling(image),
            }
        upright = ImageOps.exif_transpose(image)
        if oversized:
            if upright.mode == "1":
                upright = upright.convert("L")
            elif upright.mode not in ("L", "LA", "RGB", "RGBA", "CMYK"):
                # A palette or 16-bit image is resampled in full colour, so that text stays
                # smooth.
                upright = upright.convert("RGBA" if "transparency" in image.info else "RGB")
            upright.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    # Only what the image needs to be drawn goes back in: not its text chunks or EXIF.
    transparency = upright.info.get("transparency")
    upright.info = {}
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        if upright.mode not in ("L", "RGB", "CMYK"):
            upright = upright.convert("RGB")
        if same_tables and same_tables["subsampling"] == -1:
            del same_tables["subsampling"]
        if same_tables:
            options.update(same_tables, optimize=True)
        else:
            options.update(quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        if transparency is not None and upright.mode in ("P", "L", "RGB", "I", "I;16"):
            options["transparency"] = transparency
        options.update(optimize=True)
    buffer = io.BytesIO()
    upright.save(buffer, image_format, **options)
    return buffer.getvalue()


def store(inspected: InspectedUpload) -> str:
    """Write the bytes under a fresh generated name; return that name."""
    name = generated_name()
    directory = settings.UPLOAD_ROOT / name[:2]
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    with open(path, "xb") as handle:
        handle.write(inspected.content)
    os.chmod(path, 0o600)
    return name


def discard(stored_name: str) -> None:
    """Remove a stored file whose database row was never committed."""
    path = settings.UPLOAD_ROOT / stored_name[:2] / stored_name
    path.unlink(missing_ok=True)


class StoredFiles:
    """The files one event writes and replaces: the only place uploads are stored for a dossier.

    Files are written before the transaction commits (the row needs their name); if the event
    fails they are removed again (``discard_written``). Files a new upload replaces are removed
    only once the transaction has committed, so a failure never loses the old one.
    """

    def __init__(self):
        self.written: list[str] = []
        self.replaced: list[str] = []
        #: Documents the event rendered (``workflows.documents``), by path.
        self.written_paths: list[Path] = []

    def attach(self, dossier, inspected: InspectedUpload, document, actor):
        return self.attach_all(dossier, [(document, inspected)], actor)[0]

    def attach_all(self, dossier, pairs, actor) -> list:
        """Store each ``(document, upload)`` of ``pairs`` and attach them all in one insert, so a
        service asking for more documents costs no more queries."""
        uploaded_by = actor.user if actor is not None else None
        rows = []
        for document, inspected in pairs:
            stored_name = store(inspected)
            self.written.append(stored_name)
            rows.append(
                Attachment(
                    dossier=dossier,
                    document=document,
                    uploaded_by=uploaded_by,
                    **inspected.stored_as(stored_name),
                )
            )
        return Attachment.objects.bulk_create(rows)

    def keep(self, inspected: InspectedUpload) -> str:
        """Store a file that is not one of the dossier's documents (an objector's evidence);
        return its generated name. Removed again if the event fails."""
        stored_name = store(inspected)
        self.written.append(stored_name)
        return stored_name

    def replace(self, dossier, documents) -> set:
        """Remove the dossier's files for ``documents``, to make room for new ones; return the
        documents the dossier's remaining files are for (one read for both)."""
        replaced_ids = {document.pk for document in documents}
        kept, replaced = set(), {}
        for pk, document_id, stored_name in dossier.attachments.values_list(
            "pk", "document_id", "stored_name"
        ):
            if document_id in replaced_ids:
                replaced[pk] = stored_name
            else:
                kept.add(document_id)
        if replaced:
            Attachment.objects.filter(pk__in=replaced).delete()
            self.replaced += replaced.values()
        return kept

    def write(self, path: Path, content: bytes) -> None:
        """Write a new file the event produced (a rendered document) at ``path``."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as handle:
            handle.write(content)
        os.chmod(path, 0o600)
        self.written_paths.append(path)

    def discard_written(self) -> None:
        for name in self.written:
            discard(name)
        for path in self.written_paths:
            path.unlink(missing_ok=True)
        self.written = []
        self.written_paths = []

    def discard_after_commit(self, path: Path) -> None:
        """Remove a file the event replaced (an older rendering), once the event has committed."""
        transaction.on_commit(lambda: path.unlink(missing_ok=True))

    def discard_replaced_after_commit(self) -> None:
        replaced = list(self.replaced)
        if replaced:
            transaction.on_commit(lambda: [discard(name) for name in replaced])
