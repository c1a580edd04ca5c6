"""Admin for the term bank: search, filter by category, merge terms, review suggestions."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from terms.curation import SuggestionError, accept, keys_around, merge
from terms.models import Category, Suggestion, Term
from terms.signals import bank_changed


class TermForm(forms.ModelForm):
    aliases_text = forms.CharField(
        label=_("aliases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line, in either language (交并比, Intersection over Union)."),
    )

    class Meta:
        model = Term
        fields = ["name", "category", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aliases_text"].initial = "\n".join(self.instance.aliases)

    def clean(self):
        cleaned = super().clean()
        lines = (cleaned.get("aliases_text") or "").splitlines()
        self.instance.aliases = [line.strip() for line in lines if line.strip()]
        return cleaned


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    search_fields = ["name"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    form = TermForm
    list_display = ["name", "category", "alias_list", "position"]
    list_filter = ["category"]
    list_select_related = ["category"]
    search_fields = ["name", "spellings__key"]
    actions = ["merge_terms"]

    @admin.display(description=_("aliases"))
    def alias_list(self, term):
        return " · ".join(term.aliases)

    def save_model(self, request, obj, form, change):
        before = keys_around([Term.objects.get(pk=obj.pk)]) if change else set()
        super().save_model(request, obj, form, change)
        bank_changed.send(sender=Term, keys=before | keys_around([obj]))

    def delete_model(self, request, obj):
        keys = keys_around([obj])
        super().delete_model(request, obj)
        bank_changed.send(sender=Term, keys=keys)

    def delete_queryset(self, request, queryset):
        keys = keys_around(list(queryset))
        super().delete_queryset(request, queryset)
        bank_changed.send(sender=Term, keys=keys)

    @admin.action(description=_("Merge the selected terms into one"))
    def merge_terms(self, request, queryset):
        terms = list(queryset.select_related("category"))
        if len(terms) < 2:
            self.message_user(request, _("Select at least two terms to merge."), messages.WARNING)
            return None
        chosen = request.POST.get("survivor")
        if "apply" in request.POST:
            survivor = next((term for term in terms if str(term.pk) == chosen), None)
            if survivor is None:
                self.message_user(request, _("Choose the term to keep."), messages.ERROR)
            else:
                merge(survivor, terms)
                self.message_user(
                    request,
                    _("%(count)d terms merged into %(name)s.") % {"count": len(terms), "name": survivor.name},
                )
                return None
        return TemplateResponse(
            request,
            "admin/terms/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Merge terms"),
                "terms": terms,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "target", "evidence", "status", "accept_button"]
    list_filter = ["status", "kind", "category"]
    list_select_related = ["term", "category"]
    search_fields = ["text", "evidence"]
    actions = ["accept_selected", "dismiss_selected"]
    readonly_fields = ["kind", "text", "term", "category", "evidence", "created_at"]

    def has_add_permission(self, request):
        return False  # suggestions come from the library's facts

    @admin.display(description=_("suggested for"))
    def target(self, suggestion):
        if suggestion.kind == Suggestion.Kind.ALIAS:
            return suggestion.term or "-"
        if suggestion.kind == Suggestion.Kind.SIBLING:
            return suggestion.category or "-"
        return _("(no category)")

    @admin.display(description=_("accept"))
    def accept_button(self, suggestion):
        if suggestion.status != Suggestion.Status.PENDING:
            return "-"
        # A submit button of the changelist's own form, which carries the CSRF token.
        return format_html(
            '<button type="submit" name="accept_one" value="{}" class="button">{}</button>',
            suggestion.pk,
            _("Accept"),
        )

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and "accept_one" in request.POST:
            suggestion = Suggestion.objects.filter(pk=request.POST["accept_one"]).first()
            if suggestion is None:
                self.message_user(request, _("That suggestion no longer exists."), messages.ERROR)
            else:
                self._accept(request, [suggestion])
            return redirect(request.get_full_path())
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Accept the selected suggestions"))
    def accept_selected(self, request, queryset):
        self._accept(request, list(queryset.select_related("term", "category")))

    @admin.action(description=_("Dismiss the selected suggestions"))
    def dismiss_selected(self, request, queryset):
        count = queryset.filter(status=Suggestion.Status.PENDING).update(status=Suggestion.Status.DISMISSED)
        self.message_user(
            request,
            ngettext("%(count)d suggestion dismissed.", "%(count)d suggestions dismissed.", count)
            % {"count": count},
        )

    def _accept(self, request, suggestions):
        accepted = 0
        for suggestion in suggestions:
            try:
                accept(suggestion)
                accepted += 1
            except SuggestionError as error:
                self.message_user(request, str(error), messages.ERROR)
        if accepted:
            self.message_user(
                request,
                ngettext("%(count)d suggestion accepted.", "%(count)d suggestions accepted.", accepted)
                % {"count": accepted},
            )
