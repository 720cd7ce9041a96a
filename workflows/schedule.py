"""The periodic jobs, for RQ's cron scheduler: ``manage.py rqcron workflows.schedule``
(``make worker`` and ``manage.py run_worker`` start it beside the worker).

Times are UTC, which is how RQ reads cron lines; Bujumbura is UTC+2. Every job is safe to run
twice (``workflows.periodic``), so a second scheduler started by mistake sends nothing twice.
"""

from rq import cron

from workflows import periodic

cron.register(periodic.sweep_outbox, "default", interval=60, name="outbox-sweep")
# 01:30 in Bujumbura: drafts, then the citizens' warnings, then spent secrets.
cron.register(periodic.expire_abandoned_drafts, "default", cron="30 23 * * *", name="expire-drafts")
cron.register(periodic.clean_up, "default", cron="45 23 * * *", name="clean-up")
# Every hour: files kept for counter forms that were never sent again.
cron.register(
    periodic.remove_stale_pending_uploads, "default", cron="20 * * * *", name="pending-uploads"
)
# 02:15 in Bujumbura: files of dossiers past the retention period (GUP_ATTACHMENT_RETENTION_DAYS).
cron.register(
    periodic.purge_expired_attachments, "default", cron="15 0 * * *", name="attachment-retention"
)
# 08:00 in Bujumbura, when a citizen reads an SMS and the office is open.
cron.register(periodic.warn_expiring_drafts, "notifications", cron="0 6 * * *", name="drafts-warn")
cron.register(
    periodic.remind_uncollected_documents, "notifications", cron="5 6 * * *", name="collection"
)
# 06:30 in Bujumbura: in staff's mailboxes before the offices open.
cron.register(periodic.send_overdue_digests, "notifications", cron="30 4 * * *", name="digest")

#: Everything above, by name, for ``manage.py run_periodic``.
JOBS = {
    "outbox-sweep": periodic.sweep_outbox,
    "expire-drafts": periodic.expire_abandoned_drafts,
    "clean-up": periodic.clean_up,
    "pending-uploads": periodic.remove_stale_pending_uploads,
    "attachment-retention": periodic.purge_expired_attachments,
    "drafts-warn": periodic.warn_expiring_drafts,
    "collection": periodic.remind_uncollected_documents,
    "digest": periodic.send_overdue_digests,
}
