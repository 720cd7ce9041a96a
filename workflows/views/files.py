"""Serving a private file (an upload, an issued document): never cached, never sniffed."""

from django.http import FileResponse, Http404, HttpResponse


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


def private_pdf(content: bytes, filename: str):
    """A PDF made for this request (a preview), shown in the browser."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return private(response)


def private(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
