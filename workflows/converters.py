"""URL parts with a shape of their own: anything else is a 404 before a view runs."""

from django.urls import register_converter

from workflows.numbering import DOCUMENT_NUMBER_PATTERN


class DocumentNumberConverter:
    """``GIT-2026-R000042``: what ``workflows.numbering`` gives documents."""

    regex = DOCUMENT_NUMBER_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DocumentNumberConverter, "document_number")
