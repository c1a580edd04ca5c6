"""Admin for the library: markup errors as form errors, a rendered preview, the parsed facts."""

from django.contrib import admin
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from articles.admin_fact_changes import FactChangesMixin
from articles.admin_protection import ArchiveInsteadOfDeleteMixin
from articles.markup import BLANK
from articles.models import Article, Topic
from articles.rendering import render_answer


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "article_count"]
    list_editable = ["order"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, topic):
        return topic.article_count


@admin.register(Article)
class ArticleAdmin(FactChangesMixin, ArchiveInsteadOfDeleteMixin, admin.ModelAdmin):
    list_display = ["title", "topic", "status", "fact_count", "updated_at"]
    list_filter = ["status", "topic"]
    list_select_related = ["topic"]
    search_fields = ["title", "slug", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "author",
        "fact_count",
        "preview",
        "parsed_facts",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "topic", "status", "author", "body"]}),
        (_("Preview"), {"fields": ["preview", "parsed_facts"]}),
        (
            _("History"),
            {"fields": ["fact_count", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]
    actions = ["publish", "archive"]

    class Media:
        css = {"all": ["css/admin-preview.css", "articles/codehilite.css"]}

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("rendered preview"))
    def preview(self, article):
        if not article.pk:
            return _("Save to see the preview.")
        return format_html(
            '<div class="note-preview note-body">{}</div>', mark_safe(article.body_html)
        )

    @admin.display(description=_("parsed key facts"))
    def parsed_facts(self, article):
        if not article.pk:
            return "-"
        facts = [
            {
                "number": number,
                "answer_html": render_answer(fact.answer),
                "sentence": fact.sentence.replace(BLANK, "＿＿"),
                "fact": fact,
            }
            for number, fact in enumerate(article.rendered.facts, start=1)
        ]
        return render_to_string("admin/articles/parsed_facts.html", {"facts": facts})

    @admin.action(description=_("Publish the selected articles"))
    def publish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.PUBLISHED)

    @admin.action(description=_("Archive the selected articles"))
    def archive(self, request, queryset):
        self._set_status(request, queryset, Article.Status.ARCHIVED)

    def _set_status(self, request, queryset, status):
        # Save one by one so each article's facts are re-extracted for its new status.
        for article in queryset:
            article.status = status
            article.save()
        self.message_user(request, _("%(count)d articles updated.") % {"count": len(queryset)})
