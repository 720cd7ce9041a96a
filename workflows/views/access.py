"""Who may open which screen. Deny by default; which dossiers a screen shows is queues' job."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from gup.roles import INSTITUTION_ROLES, OFFICE_ROLES, STAFF_ROLES


def requires_role(roles):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.role not in roles or not user.is_active:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


office_staff_required = requires_role(OFFICE_ROLES)
institution_staff_required = requires_role(INSTITUTION_ROLES)
staff_required = requires_role(STAFF_ROLES)
