"""The SMS gateway's callbacks: delivery reports (and, with ``status_by_sms``, inbound SMS).

No session, no CSRF token: the gateway proves itself by signing each body with the shared
secret (``gup.sms.signing``). A bad or missing signature is refused and changes nothing.
"""

import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gup.sms import signing
from workflows import delivery_reports

SIGNATURE_HEADER = "HTTP_X_GUP_SIGNATURE"


def signed_json(request) -> dict | None:
    """The body as JSON if the gateway signed it; None otherwise."""
    header = request.META.get(SIGNATURE_HEADER, "")
    if not signing.verify(request.body, header, settings.GUP_SMS_GATEWAY_SECRET):
        return None
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _refused(reason: str, status: int) -> JsonResponse:
    return JsonResponse({"error": reason}, status=status)


@csrf_exempt
@require_POST
def delivery_report(request):
    body = signed_json(request)
    if body is None:
        return _refused("bad signature", 403)
    reference, status = body.get("reference"), body.get("status")
    if not isinstance(reference, str) or not isinstance(status, str):
        return _refused("expected JSON with the strings 'reference' and 'status'", 400)
    try:
        delivery_reports.record(reference, status, str(body.get("id") or ""))
    except delivery_reports.UnknownReport as unknown:
        return _refused(str(unknown), 404)
    return HttpResponse(status=204)
