"""Account forms: logging in, signing up, and the account page's retention and daily habits."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm, UsernameField
from django.utils.translation import gettext_lazy as _

from quizzes.fsrs_terms import MAX_RETENTION, MIN_RETENTION
from quizzes.habits import timezone_names
from quizzes.models import LearnerProfile

# Longer than any password a person types, short enough that hashing it costs nothing extra.
MAX_PASSWORD_LENGTH = 4096


class LoginForm(AuthenticationForm):
    """Django's login form, with its lengths enforced: a username longer than any account's is
    refused as a form error before django-axes or the database sees it."""

    username = UsernameField(
        max_length=150, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=MAX_PASSWORD_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


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


class HabitForm(forms.ModelForm):
    """The daily goal, the learner's time zone (where their days begin) and the reminder e-mail."""

    daily_goal = forms.IntegerField(
        label=_("Daily goal (answers per day)"),
        min_value=1,
        max_value=500,
        error_messages={
            "required": _("Enter a number of answers between 1 and 500."),
            "invalid": _("Enter a whole number of answers, such as 20."),
            "min_value": _("The goal is at least 1 answer a day."),
            "max_value": _("The goal is at most 500 answers a day."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Your days, streak and “not today” begin at midnight here."),
        error_messages={"invalid_choice": _("Choose a time zone from the list.")},
    )
    email_reminders = forms.BooleanField(
        label=_("E-mail me once a day when facts are due"),
        required=False,
        help_text=_("Sent to the e-mail address of your account; off unless you turn it on."),
    )

    class Meta:
        model = LearnerProfile
        fields = ("daily_goal", "timezone", "email_reminders")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = [(name, name) for name in timezone_names()]
