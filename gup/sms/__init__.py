"""Sending SMS: the GSM 03.38 rules that decide what a message costs (``gsm``), and the gateways
that carry it (``backends``), chosen by ``GUP_SMS_BACKEND``."""
