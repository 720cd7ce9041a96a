"""Serving a private file (an upload, an issued document): never cached, never sniffed."""

from django.http import FileResponse, Http404, HttpResponse
from django.template.loader import render_to_string


def private_file(path, *, filename: str, content_type: str, inline: bool = False):
    """The file at ``path``; 404 when it is missing on disk."""
    try:
        handle = open(path, "rb")  # noqa: SIM115  (FileResponse closes it)
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename, content_type=content_type
    )
    return private(response)


def attachment_file(request, attachment, *, viewable: bool = False):
    """An uploaded file of a dossier, or, once the retention period removed it, a page that
    says so (410 Gone) with its name, the day and the hash kept."""
    if attachment.is_purged:
        body = render_to_string("dossiers/file_purged.html", {"file": attachment}, request)
        return private(HttpResponse(body, status=410))
    if viewable:
        return viewable_file(
            attachment.path,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
    return private_file(
        attachment.path, filename=attachment.original_name, content_type=attachment.content_type
    )


# The only types a browser is asked to show itself: it renders them without running anything of
# the file's. Anything else an attachment may hold is only ever downloaded.
VIEWABLE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
# Nothing in the document may fetch, run or frame anything. Chromium's PDF viewer still shows a
# PDF under ``sandbox`` (checked in tests/e2e/test_touch_and_viewer.py); ``plugin-types`` is
# only read by older browsers. Only our own viewer page may frame it, as X-Frame-Options says
# (the site-wide policy, gup/security_headers.py, leaves a response's own policy alone).
VIEWING_POLICY = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
    "plugin-types application/pdf; sandbox; frame-ancestors 'self'"
)


def viewable_file(path, *, filename: str, content_type: str):
    """The file at ``path`` shown in the browser if it is a PDF or an image, else downloaded."""
    if content_type not in VIEWABLE_TYPES:
        response = private_file(
            path, filename=filename, content_type="application/octet-stream", inline=False
        )
    else:
        response = private_file(path, filename=filename, content_type=content_type, inline=True)
    response["Content-Security-Policy"] = VIEWING_POLICY
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def private_pdf(content: bytes, filename: str):
    """A PDF made for this request (a preview), shown in the browser."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return private(response)


def private(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
