"""The public catalogue: what each service gives, who decides, what to bring, cost and delay."""

from django.shortcuts import get_object_or_404, render

from services import payment_instructions
from services.models import Office, Service


def catalogue(request):
    services = Service.objects.filter(is_active=True)
    return render(request, "services/catalogue.html", {"services": services})


def service_detail(request, code):
    service = get_object_or_404(
        Service.objects.prefetch_related("documents"), code=code, is_active=True
    )
    rules = service.routing_rules.select_related("institution", "province")
    return render(
        request,
        "services/service.html",
        {
            "service": service,
            "decides": next((rule.institution for rule in rules if rule.province_id is None), None),
            "province_rules": [rule for rule in rules if rule.province_id is not None],
            "ways_to_pay": payment_instructions.ways_offered() if service.fee_bif else "",
            "offices": Office.objects.filter(is_active=True)
            .select_related("province")
            .order_by("province__name", "name"),
        },
    )
