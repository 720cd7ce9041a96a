"""Secrets never reach a log: a filter on every handler hides them in what is written.

A resume link opens a dossier; the request line of ``/resume/<token>/`` is logged by the
development server (``django.server``) and by ``django.request`` on errors. The filter rewrites
the token to ``[hidden]`` in the message and its arguments before any handler formats it.

Personal data is masked the same way: a phone number or a national ID number in a message is
written as ``+257 79 ** ** 56`` or ``0412/***.678`` (``gup.personal_data``).
"""

import logging
import re

SECRET_IN_PATH = re.compile(r"(/resume/)[^/\s\"?]+")


def hide(text: str) -> str:
    from gup.personal_data import mask_in_text

    return mask_in_text(SECRET_IN_PATH.sub(r"\1[hidden]", text))


class HideSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = hide(message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True
