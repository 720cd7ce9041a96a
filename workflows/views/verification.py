"""Verifying a document: public pages, no sign-in (``workflows.documents.verification``).

- ``/verify/`` asks for a code; ``/verify/<code>`` and ``/V/<code>`` (what the QR code opens)
  answer GENUINE or NOT VALID with the reason and the sealed facts. Look-ups of codes that name
  no document of ours are counted per client like failed guesses at /track/.
- ``/verify/keys.json`` and ``/verify/revoked.json``: what any verifier needs, as JSON.
- ``/verify/offline/``: the same check in the browser, which keeps working once the network is
  gone (``gup/static/js/verify-offline.js``).
"""

import re

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache

from gup.formatting import moment
from gup.null_bytes import handles_nul
from workflows import public_status
from workflows.documents import keys, kinds, seal, verification
from workflows.views.refusals import too_many_attempts

VERIFY_GROUP = "gup.verify"
CLEAN_CODE = re.compile(rf"[A-Z2-7]{{1,{seal.MAX_CODE_CHARS}}}")


@handles_nul  # a NUL in a pasted code gets "not a GUP verification code"
def start(request):
    """The form; once a code is given, its answer at its own address (``/verify/<code>``)."""
    text = request.GET.get("code", "")
    if not text.strip():
        return render(request, "verify/start.html")
    code = seal.normalize(text)
    if CLEAN_CODE.fullmatch(code):
        return redirect("verify_code", code=code)
    # Not even Base32: answered here, rather than giving it an address of its own.
    return check(request, text)


@handles_nul
@never_cache  # A document may be revoked at any moment: never answer from a cache.
def check(request, code):
    """The answer for one code, whatever was typed: GENUINE, or NOT VALID and why."""
    seconds = public_status.locked_for(request, VERIFY_GROUP)
    if seconds:
        return too_many_attempts(request, seconds, "verify/too_many_attempts.html")
    result = verification.check(code)
    if not result.names_a_document:
        public_status.record_failure(request, VERIFY_GROUP)
    response = render(
        request,
        "verify/result.html",
        {"result": result, "facts": result.shown_facts, "checked_at": timezone.now()},
        status=400 if result.finding == verification.Finding.MALFORMED else 200,
    )
    # The page shows the holder's name: not for search engines, wherever a link is posted.
    response["X-Robots-Tag"] = "noindex"
    return response


@cache_control(public=True, max_age=3600)
def public_keys(request):
    return _public_json(keys.published())


@cache_control(public=True, max_age=300)
def revoked(request):
    return _public_json(verification.revocation_list())


def offline(request):
    """The offline verifier: the keys, the revocation list and the texts, embedded as JSON."""
    now = timezone.now()
    revocations = verification.revocation_list(now)
    as_of = moment(now)
    texts = verification.explanations()
    texts["genuine_offline"] = texts["genuine_offline"] % {"date": as_of}
    return render(
        request,
        "verify/offline.html",
        {
            "as_of": as_of,
            "verifier": {
                "keys": keys.published(),
                "revoked": revocations["revoked"],
                "kinds": {
                    str(number): str(kinds.KINDS[name].title)
                    for name, number in seal.KIND_NUMBERS.items()
                },
                "headlines": {
                    "valid": verification.headline(True),
                    "not_valid": verification.headline(False),
                    "unchecked": _("Not checked"),
                },
                "texts": texts,
                "no_end": _("No end date"),
                "date_format": formats.get_format("DATE_FORMAT"),
                "months": [str(MONTHS[number]) for number in range(1, 13)],
            },
        },
    )


def _public_json(data):
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    # Public data that other verifiers (a bank's own tool, a border post's app) may fetch.
    response["Access-Control-Allow-Origin"] = "*"
    return response
