"""HEAD answered as HTTP says: the GET's headers, Content-Length included, and no body.

Django leaves dropping the body to the server; gunicorn does, and logs a warning for every HEAD
it had to cut, a log line any client can multiply. The body is dropped here instead, after
CommonMiddleware has set Content-Length from it (so put this before CommonMiddleware).
"""


class HeadWithoutBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD" and not response.streaming:
            length = response.get("Content-Length", str(len(response.content)))
            response.content = b""
            response["Content-Length"] = length
        return response
