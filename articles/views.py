"""Reading pages: topics, a topic's articles, an article with its facts highlighted."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from articles.models import Article, Topic


def _visible_count_filter(user):
    if user.is_staff:
        return Q()
    return Q(articles__status=Article.Status.PUBLISHED)


@require_safe
def topic_list(request):
    # Meta.ordering is not applied to aggregate queries: order explicitly.
    topics = Topic.objects.annotate(
        article_count=Count("articles", filter=_visible_count_filter(request.user))
    ).order_by("order", "name")
    return render(request, "articles/topic_list.html", {"topics": topics})


@require_safe
def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    articles = (
        Article.objects.visible_to(request.user)
        .filter(topic=topic)
        .only("title", "slug", "status", "fact_count", "updated_at", "topic_id")
        .order_by("title")
    )
    return render(request, "articles/topic_detail.html", {"topic": topic, "articles": articles})


@require_safe
def article_detail(request, slug):
    article = get_object_or_404(
        Article.objects.visible_to(request.user).select_related("topic"), slug=slug
    )
    return render(request, "articles/article_detail.html", {"article": article})
