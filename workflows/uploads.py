"""Uploaded documents: the type is decided by the content, never by the name.

A file is accepted only when its bytes are a PDF, a JPEG or a PNG that the service accepts for
that document, when it is not empty and when it is within ``UPLOAD_MAX_BYTES``. Accepted files are
stored under a generated name below ``UPLOAD_ROOT``, outside the static tree.
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
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from workflows.models.attachment import Attachment, generated_name

TYPE_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}


@dataclass(frozen=True)
class InspectedUpload:
    content: bytes
    content_type: str
    original_name: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


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
    return InspectedUpload(
        content=content,
        content_type=content_type,
        original_name=os.path.basename(uploaded_file.name or "document")[:255],
        sha256=hashlib.sha256(content).hexdigest(),
    )


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
        stored_name = store(inspected)
        self.written.append(stored_name)
        return Attachment.objects.create(
            dossier=dossier,
            document=document,
            original_name=inspected.original_name,
            stored_name=stored_name,
            content_type=inspected.content_type,
            size=inspected.size,
            sha256=inspected.sha256,
            uploaded_by=actor.user if actor is not None else None,
        )

    def keep(self, inspected: InspectedUpload) -> str:
        """Store a file that is not one of the dossier's documents (an objector's evidence);
        return its generated name. Removed again if the event fails."""
        stored_name = store(inspected)
        self.written.append(stored_name)
        return stored_name

    def replace(self, dossier, document) -> None:
        """Remove the dossier's file for ``document``, to make room for a new one."""
        previous = dossier.attachments.filter(document=document)
        self.replaced += list(previous.values_list("stored_name", flat=True))
        previous.delete()

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
