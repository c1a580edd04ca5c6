"""Sent when the term bank changes, so that whatever was chosen from it can be chosen again."""

from django.dispatch import Signal

# keys: the spelling keys whose terms changed (siblings included), or None for "anything".
bank_changed = Signal()
