"""The SMS gateway's callbacks: delivery reports and inbound SMS.

No session, no CSRF token: the gateway proves itself by signing each body with the shared
secret (``gup.sms.signing``). A bad or missing signature is refused and changes nothing.
The contracts are in ``workflows.delivery_reports`` and ``workflows.status_by_sms``.
"""

import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gup.sms import signing
from workflows import delivery_reports, status_by_sms

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


@csrf_exempt
@require_POST
def inbound(request):
    """An SMS sent to GUP's number: answered through the outbox (``workflows.status_by_sms``)."""
    body = signed_json(request)
    if body is None:
        return _refused("bad signature", 403)
    message_id, sender, text = body.get("id"), body.get("from"), body.get("text")
    if not all(isinstance(value, str) for value in (message_id, sender, text)):
        return _refused("expected JSON with the strings 'id', 'from' and 'text'", 400)
    try:
        status_by_sms.receive(message_id, sender, text)
    except status_by_sms.InvalidInbound as invalid:
        return _refused(str(invalid), 400)
    return JsonResponse({"status": "accepted"})
