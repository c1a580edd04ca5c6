"""The client's address, the one thing every limit is counted against when nobody is signed in."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR; behind a proxy (DJANGO_BEHIND_PROXY=1), the address it appended last to
    X-Forwarded-For: that one the proxy saw itself, every earlier one the client may have made up."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        if _is_address(forwarded):
            return forwarded
    address = request.META.get("REMOTE_ADDR", "")
    return address if _is_address(address) else "0.0.0.0"


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
