"""How long a one-time code is valid: one number for the rule (``one_time_codes``) and for the
SMS that states it (``workflows.messages.access``), in a module that imports nothing."""

LIFETIME_MINUTES = 10
