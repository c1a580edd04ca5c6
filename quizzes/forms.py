"""Learner account forms: signing up and choosing how much to remember."""

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from quizzes.models import LearnerProfile

MIN_RETENTION = 0.80
MAX_RETENTION = 0.97


class SignupForm(UserCreationForm):
    """Username and password (checked by AUTH_PASSWORD_VALIDATORS), e-mail optional."""

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _("Optional.")


class RetentionForm(forms.ModelForm):
    """How much a learner wants to remember: FSRS schedules reviews to reach it."""

    desired_retention = forms.FloatField(
        label=_("Desired retention"),
        min_value=MIN_RETENTION,
        max_value=MAX_RETENTION,
        help_text=_("Between 0.80 and 0.97: higher means more frequent reviews."),
        error_messages={
            "required": _("Enter a number between 0.80 and 0.97."),
            "invalid": _("Enter a number between 0.80 and 0.97, such as 0.90."),
            "min_value": _("That is too low: choose at least 0.80."),
            "max_value": _("That is too high: choose at most 0.97."),
        },
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )

    class Meta:
        model = LearnerProfile
        fields = ("desired_retention",)
