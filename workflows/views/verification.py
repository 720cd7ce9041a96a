"""Placeholder while the verification pages are written."""


def start(request):
    raise NotImplementedError


public_keys = revoked = offline = check = start
