"""Admin for the library: a Markdown editor with a live preview, revisions, the parsed facts."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from articles.admin_preview import MarkdownEditor, no_warnings, preview_context
from articles.admin_revisions import apply_revision, body_diff, changed_fields, recent_revisions
from articles.markup import BLANK
from articles.models import Article, Topic
from articles.rendering import render_answer
from search.results import matching_articles

REVISION_MESSAGE_LENGTH = 100  # django-simple-history's change reason column


class PlainActionCheckbox:
    """The changelist's row checkbox as plain HTML: the admin renders a form widget template
    per row, a third of a 100-row list's time."""

    def action_checkbox(self, obj):
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "article_count"]
    list_editable = ["order"]
    search_fields = ["name", "slug", "description"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, topic):
        return topic.article_count


class ArticleAdminForm(forms.ModelForm):
    revision_message = forms.CharField(
        label=_("revision message"),
        required=False,
        max_length=REVISION_MESSAGE_LENGTH,
        help_text=_("Optional: what this save changes, shown in the list of revisions."),
    )

    class Meta:
        model = Article
        fields = ["title", "slug", "topic", "status", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        restored = getattr(self.instance, "restored_from", None)
        if restored is not None:
            self.initial["revision_message"] = restored_message(restored)


def restored_message(record) -> str:
    when = formats.date_format(record.history_date, "SHORT_DATETIME_FORMAT")
    message = gettext("Restored the revision of %(when)s") % {"when": when}
    return message[:REVISION_MESSAGE_LENGTH]


class ArticleAdmin(PlainActionCheckbox, admin.ModelAdmin):
    """The editor of notes, not registered here: the app that generates questions from the
    notes' facts registers a subclass that adds what saving and deleting do to them."""

    form = ArticleAdminForm
    list_display = ["title", "topic", "status", "fact_count", "updated_at"]
    list_filter = ["status", "topic"]
    list_select_related = ["topic"]
    search_fields = ["title", "slug", "body"]
    readonly_fields = [
        "author",
        "fact_count",
        "preview",
        "parsed_facts",
        "revisions",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "topic", "status", "author", "body", "revision_message"]},
        ),
        (_("Preview"), {"fields": ["preview", "parsed_facts"]}),
        (_("Revisions"), {"fields": ["revisions"]}),
        (
            _("History"),
            {"fields": ["fact_count", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]
    actions = ["publish", "archive"]

    class Media:
        css = {"all": ["css/note.css", "css/admin-preview.css", "articles/codehilite.css"]}
        js = ["django_htmx/htmx-2.min.js", "js/admin-editor.js"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            # The list shows none of the long texts: reading them is most of its cost.
            queryset = queryset.defer("body", "body_html", "fact_list")
        return queryset

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = MarkdownEditor(reverse("admin:articles_article_preview"))
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_urls(self):
        own = [
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="articles_article_preview",
            ),
            path(
                "<path:object_id>/revisions/<int:history_id>/",
                self.admin_site.admin_view(self.revision_view),
                name="articles_article_revision",
            ),
        ]
        return own + super().get_urls()

    # --- saving: who, why ----------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        record_revision_by(obj, request, form.cleaned_data.get("revision_message", ""))
        super().save_model(request, obj, form, change)

    def get_search_results(self, request, queryset, search_term):
        # The notes' search index (Chinese words, weighted fields), not a scan of every body.
        return matching_articles(queryset, search_term), False

    # --- the live preview ----------------------------------------------------------------------

    def fact_warnings(self, body, rendered):
        """Warnings about the facts of unsaved text: none known here, a subclass adds its own."""
        return no_warnings(body, rendered)

    def preview_view(self, request):
        return require_POST(self._preview)(request)

    def _preview(self, request):
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        context = preview_context(request.POST.get("body", ""), self.fact_warnings)
        return render(request, "admin/articles/article/live_preview.html", context)

    # --- revisions -----------------------------------------------------------------------------

    def get_object(self, request, object_id, from_field=None):
        """The article; on the change page with ?revision=N, holding that revision's text, so
        that saving the form restores it like any other edit."""
        article = super().get_object(request, object_id, from_field)
        revision = request.GET.get("revision", "")
        if article is None or request.method != "GET" or not revision.isdigit():
            return article
        record = article.history.filter(history_id=int(revision)).first()
        if record is None:
            return article
        article.restored_from = record
        return apply_revision(article, record)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        article = getattr(response, "context_data", {}).get("original")
        if article is not None and getattr(article, "restored_from", None) is not None:
            messages.warning(
                request,
                _("The form holds the revision of %(when)s: check it and save to restore it.")
                % {"when": formats.date_format(article.restored_from.history_date, "SHORT_DATETIME_FORMAT")},
            )
        return response

    @admin.display(description=_("revisions"))
    def revisions(self, article):
        if not article.pk:
            return "-"
        rows, total = recent_revisions(article)
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        return render_to_string(
            "admin/articles/article/revisions.html",
            {"rows": rows, "total": total, "article": article, "change_url": change_url},
        )

    def revision_view(self, request, object_id, history_id):
        article = self.get_object(request, object_id)
        if article is None or not self.has_view_or_change_permission(request, article):
            raise Http404
        record = article.history.filter(history_id=history_id).select_related("history_user").first()
        if record is None:
            raise Http404
        before = record.prev_record
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "article": article,
            "record": record,
            "before": before,
            "changed": changed_fields(before, record),
            "diff": body_diff(before.body if before else "", record.body),
            "restore_url": reverse("admin:articles_article_change", args=[article.pk])
            + f"?revision={record.history_id}",
            "title": _("Revision of %(title)s") % {"title": article.title},
            "media": self.media,
        }
        return TemplateResponse(request, "admin/articles/article/revision.html", context)

    # --- what the change page shows ------------------------------------------------------------

    @admin.display(description=_("rendered preview"))
    def preview(self, article):
        if not article.pk:
            return _("Save to see the preview.")
        return format_html(
            '<div class="note-preview note-body">{}</div>', mark_safe(article.body_html)
        )

    @admin.display(description=_("parsed key facts"))
    def parsed_facts(self, article):
        if not article.pk or article.is_too_long:  # a refused body is never rendered
            return "-"
        # Kept from the save (Article.fact_list): the change page never parses the body.
        facts = [
            {
                "number": number,
                "answer_html": render_answer(fact["answer"]),
                "sentence": fact["sentence"].replace(BLANK, "＿＿"),
                "fact": fact,
            }
            for number, fact in enumerate(article.fact_list, start=1)
        ]
        return render_to_string("admin/articles/parsed_facts.html", {"facts": facts})

    # --- actions -------------------------------------------------------------------------------

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
            message = gettext("Status: %(status)s") % {"status": article.get_status_display()}
            record_revision_by(article, request, message)
            article.save()
        self.message_user(request, _("%(count)d articles updated.") % {"count": len(queryset)})


def record_revision_by(article: Article, request, message: str) -> None:
    """Who saves and why, for the revision django-simple-history writes on save."""
    article._history_user = request.user
    article._change_reason = message[:REVISION_MESSAGE_LENGTH]
