"""One log line per refused request: client errors are logged without their traceback.

Django logs a request it refuses as suspicious (a bad Host, a body past the upload limit, too
many fields, a broken multipart body) with the whole traceback, some thirty lines each: a flood
of such requests costs the attacker nothing and floods the log. The traceback says nothing a
client error needs; server errors (5xx) keep theirs.
"""

import logging


class ClientErrorsOnOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        client_error = record.name.startswith("django.security.") or (status is not None and status < 500)
        if client_error:
            record.exc_info = None
            record.exc_text = None
        return True
