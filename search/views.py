"""The results page: a plain GET form, and under htmx the results alone as the query is typed."""

from django.http import HttpRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from search.results import Results, search
from search.words import MAX_QUERY_CHARS


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@require_GET
def results(request: HtmxHttpRequest):
    query = request.GET.get("q", "").replace("\x00", "").strip()
    too_long = len(query) > MAX_QUERY_CHARS
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 1000))
    except ValueError:
        page = 1
    found = Results(query=query) if too_long else search(query, request.user, page)
    template = "search/results.html"
    if request.htmx:
        template += "#results"
    context = {"results": found, "search_query": query, "too_long": too_long, "max_chars": MAX_QUERY_CHARS}
    return render(request, template, context, status=400 if too_long else 200)
