"""A NUL character in an address is refused with a 400 before any view or admin page runs.

PostgreSQL refuses NUL (``\\x00``) in text: a dossier number, a search or an admin list filter
that carries one (``/dossiers/GIT%00/``, ``?q=%00``, ``?state__exact=%00``) would reach the
database and end in a server error. No address of ours needs one, so such a request gets the
"could not be read" page (``gup.errors.bad_request``), unless its view says it answers such
input better itself (``@handles_nul``: the verification pages say "not a GUP verification
code"). A cookie holding one (a damaged session or language cookie) is dropped instead, so
that the visitor is not locked out by it. Forms need nothing of this: Django's form fields
already refuse NUL with a message beside the field.
"""

from django.core.exceptions import BadRequest

NUL = "\x00"


def carries_nul(request) -> bool:
    """Whether the path or the query string (its names or its values) holds a NUL."""
    if NUL in request.path_info or NUL in request.path:
        return True
    return any(
        NUL in key or any(NUL in value for value in values) for key, values in request.GET.lists()
    )


def handles_nul(view):
    """Mark a view that reads a NUL in its address as the bad input it is, with its own answer."""
    view.handles_nul = True
    return view


class RefuseNullBytes:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name in [name for name, value in request.COOKIES.items() if NUL in name + value]:
            del request.COOKIES[name]
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if carries_nul(request) and not getattr(view_func, "handles_nul", False):
            raise BadRequest("NUL character in the address")
        return None
