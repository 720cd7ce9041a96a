"""A resume link's secret never reaches a log, whoever logs the request."""

import logging
import logging.config

from django.conf import settings

from gup.log_redaction import hide


def test_the_token_of_a_resume_link_is_hidden():
    line = '"GET /resume/Xy7_secret-Token/ HTTP/1.1" 302 0'

    assert hide(line) == '"GET /resume/[hidden]/ HTTP/1.1" 302 0'


def test_the_development_servers_request_line_is_written_without_the_token(capsys):
    logging.config.dictConfig(settings.LOGGING)
    try:
        logging.getLogger("django.server").info(
            '"%s" %s %s', "GET /resume/Xy7secret/ HTTP/1.1", 302, 0
        )
        logging.getLogger("django.request").warning("Not Found: %s", "/resume/Xy7secret/")
        written = capsys.readouterr().err
    finally:
        with capsys.disabled():
            logging.config.dictConfig(settings.LOGGING)  # as at start-up, on the real stderr

    assert "/resume/[hidden]/" in written
    assert "Xy7secret" not in written
