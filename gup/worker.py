"""The RQ worker GUP runs (``RQ["WORKER_CLASS"]``): RQ's own, warmed up before it forks.

RQ forks a work horse for each job, from the worker as it is. What the worker has not loaded,
every horse loads again and throws away: the URL resolver's reverse table (the SMS callback
address), the phone-number metadata, the SMS backend, the translation catalogues. Loaded once
before the first fork, they cost each job nothing (about a third of an SMS job's time).
"""

from rq import Worker


class WarmWorker(Worker):
    def work(self, *args, **kwargs):
        warm_up()
        return super().work(*args, **kwargs)


def warm_up() -> None:
    import phonenumbers
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation
    from django.utils.translation import gettext

    from gup import jobs
    from gup.sms.backends import get_backend
    from workflows.outbox import RUNNERS

    for runner in RUNNERS.values():
        jobs.resolve(runner.function)
    reverse("sms_delivery_report")
    get_backend()
    phonenumbers.parse("+25779123456")
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            gettext("Dossier filed")
