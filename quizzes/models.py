"""Key facts, their questions, quizzes, answers, scores and spaced-repetition cards."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, Func, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.markup import BLANK
from articles.models import Article, Topic
from quizzes import fsrs_terms, grading, kinds, selection
from quizzes.fsrs_terms import DEFAULT_RETENTION, MAX_RETENTION, MIN_RETENTION
from quizzes.grading import Blank


def _choices(base: type[models.Choices], name: str, labels: dict) -> type[models.Choices]:
    """Django choices over a plain enum: its members and values, with labels for people."""
    return base(name, [(member.name.upper(), (member.value, label)) for member, label in labels.items()])


class KeyFactQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class KeyFact(models.Model):
    """One `{{...}}` span of an article; its identity survives edits that keep it."""

    Kind = _choices(
        models.TextChoices,
        "Kind",
        {
            kinds.Kind.NUMBER: _("number"),
            kinds.Kind.LATIN: _("Latin term"),
            kinds.Kind.CHINESE: _("Chinese term"),
            kinds.Kind.CODE: _("code"),
            kinds.Kind.FORMULA: _("formula"),
            kinds.Kind.MIXED: _("mixed"),
        },
    )
    Script = _choices(
        models.TextChoices,
        "Script",
        {
            kinds.Script.LATIN: _("Latin"),
            kinds.Script.HAN: _("Chinese characters"),
            kinds.Script.MIXED: _("mixed"),
            kinds.Script.OTHER: _("other"),
        },
    )

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="facts", verbose_name=_("article")
    )
    # Denormalised from the article so that topic-wide selection needs no join (a moved article
    # moves its facts, see quizzes.topic_moves).
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="facts", verbose_name=_("topic")
    )
    # The fact's key within its article: a hash of its first version's answer and sentence, kept
    # through every edit that continues the fact (quizzes.identity decides which do).
    fingerprint = models.CharField(_("fingerprint"), max_length=40)
    position = models.PositiveIntegerField(_("position"), default=0)
    answer = models.CharField(_("answer"), max_length=500)
    alternatives = models.JSONField(_("alternatives"), default=list, blank=True)
    wrong_options = models.JSONField(_("wrong options"), default=list, blank=True)
    hint = models.CharField(_("hint"), max_length=200, blank=True)
    sentence = models.TextField(_("sentence"))
    # The sentence as sanitised inline HTML, its BLANK left in (articles.rendering.sentence_html):
    # rendered when the fact is saved, so no question or feedback runs Markdown.
    sentence_html = models.TextField(editable=False, blank=True, default="")
    # The sentence before, when the sentence leans on it (articles.markup.Fact.context).
    context = models.TextField(_("context"), blank=True, default="")
    anchor = models.CharField(_("anchor"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    script = models.CharField(_("script"), max_length=10, choices=Script.choices)
    # An editor's switch, kept across edits like a disabled question.
    is_exact = models.BooleanField(
        _("exact form"),
        default=False,
        db_default=False,  # rows written in bulk by SQL (the benchmark) need not name it
        help_text=_(
            "Accept only this way of writing the answer: no other spelling of its number "
            "(0.15 for 15%, 三 for 3, a unit after it) and no rewriting of its formula."
        ),
    )
    # What would give the question away (quizzes.giveaways): [{line, column, message, ...}].
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    objects = KeyFactQuerySet.as_manager()

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "fingerprint"], name="fact_identity")
        ]
        indexes = [models.Index(fields=["topic", "is_active"])]
        verbose_name = _("key fact")
        verbose_name_plural = _("key facts")

    def __str__(self):
        return self.answer

    def get_absolute_url(self):
        """The fact's paragraph on its article's page."""
        return self.article.get_absolute_url() + (f"#{self.anchor}" if self.anchor else "")

    @property
    def blank(self) -> Blank:
        """The sentence around the blank and the exact switch: what grading reads of the fact."""
        preceding, _, following = self.sentence.partition(BLANK)
        return Blank(preceding=preceding, following=following, exact=self.is_exact)


# A question quizzes may ask, as far as its own row tells: the partial index below holds these.
ENABLED_QUESTION = Q(is_generated=True, is_disabled=False)


class QuestionQuerySet(models.QuerySet):
    def usable(self):
        """Questions a quiz may ask: generated, not disabled by an editor, of an active fact."""
        return self.filter(ENABLED_QUESTION, fact__is_active=True)


class Question(models.Model):
    class Type(models.TextChoices):
        FILL_IN = selection.FILL_IN, _("fill-in")
        MULTIPLE_CHOICE = selection.MULTIPLE_CHOICE, _("multiple choice")

    fact = models.ForeignKey(
        KeyFact, on_delete=models.CASCADE, related_name="questions", verbose_name=_("key fact")
    )
    type = models.CharField(_("type"), max_length=8, choices=Type.choices)
    # The three wrong options of a multiple-choice question (empty for fill-in).
    wrong_options = models.JSONField(_("wrong options"), default=list, blank=True)
    # Where each wrong option came from (quizzes.distractors.Source), in the same order.
    option_sources = models.JSONField(default=list, blank=True)
    # Generated questions come and go with their fact; an editor's "disabled" stays.
    is_generated = models.BooleanField(_("generated"), default=True)
    is_disabled = models.BooleanField(_("disabled"), default=False)
    times_asked = models.PositiveIntegerField(_("times asked"), default=0)
    times_correct = models.PositiveIntegerField(_("times correct"), default=0)
    discrimination = models.FloatField(_("discrimination"), null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fact", "type"], name="one_question_per_type")
        ]
        indexes = [
            # Starting a quiz reads a topic's usable questions (id, fact, type): without this
            # covering index PostgreSQL scans every question (bench large: 60-100 ms -> 9 ms).
            models.Index(
                fields=["fact", "type", "id"],
                condition=ENABLED_QUESTION,
                name="usable_question_by_fact",
            )
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return f"{self.get_type_display()}: {self.fact.answer}"

    @property
    def share_correct(self):
        return self.times_correct / self.times_asked if self.times_asked else None


IS_OPEN = Q(finished_at__isnull=True, abandoned_at__isnull=True)


class QuizQuerySet(models.QuerySet):
    def open(self):
        """Quizzes still being taken: neither finished nor abandoned."""
        return self.filter(IS_OPEN)

    def open_or_ended_since(self, since):
        """Quizzes that can hold answers given from `since` on: still open, or ended since.

        A quiz ends no earlier than its last answer (see `end_after_last_answer`), so a
        learner's answers since a moment are found among their few recent quizzes, however
        long their history.
        """
        return self.filter(IS_OPEN | Q(finished_at__gte=since) | Q(abandoned_at__gte=since))


class Quiz(models.Model):
    """A fixed list of questions for one learner: a topic quiz, a review, or a retry of misses."""

    class Mode(models.TextChoices):
        TOPIC = "topic", _("topic quiz")
        REVIEW = "review", _("review")
        RETRY = "retry", _("retry of missed questions")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quizzes"
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="quizzes"
    )
    mode = models.CharField(max_length=6, choices=Mode.choices, default=Mode.TOPIC)
    item_count = models.PositiveSmallIntegerField()
    answered_count = models.PositiveSmallIntegerField(default=0)
    correct_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Ended by the learner before the last answer: its answers count, it is no longer offered.
    abandoned_at = models.DateTimeField(null=True, blank=True)
    # The finished quiz whose missed questions this one asks again.
    retry_of = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="retry"
    )

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "topic", "finished_at"])]
        constraints = [
            # Starting again resumes: two tabs or a double click never open a second quiz.
            models.UniqueConstraint(
                fields=["user", "topic"],
                condition=models.Q(mode="topic", finished_at__isnull=True, abandoned_at__isnull=True),
                name="one_open_quiz_per_topic",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(mode="review", finished_at__isnull=True, abandoned_at__isnull=True),
                name="one_open_review",
            ),
        ]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self):
        subject = self.topic or self.get_mode_display()
        return f"{self.user} · {subject} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self):
        return self.finished_at is not None

    @property
    def is_abandoned(self):
        return self.abandoned_at is not None

    @property
    def is_open(self):
        return not self.is_finished and not self.is_abandoned

    @property
    def score(self):
        """Share of questions answered correctly (typos count), once finished."""
        return self.correct_count / self.item_count if self.item_count else 0.0


class QuizItemQuerySet(models.QuerySet):
    def answered_by(self, user, since):
        """The learner's answers from `since` on (every answer is one answered item)."""
        return self.filter(quiz__user=user, answered_at__gte=since)

    def answered_lately_by(self, user, since):
        """answered_by(user, since), looked up among the learner's few quizzes open or ended
        since then: for a recent `since` (their midnight), a handful of quizzes are read, not
        every quiz of their history."""
        quizzes = Quiz.objects.filter(user=user).open_or_ended_since(since)
        return self.filter(quiz__in=quizzes, answered_at__gte=since)

    def for_display(self):
        """Items with what a question, its feedback or a summary row shows, in order.

        The article comes along for its URL only: its body and HTML are large and unused.
        """
        return (
            self.select_related("question", "fact__article")
            .defer("fact__article__body", "fact__article__body_html")
            .order_by("position")
        )

    def wrong_fill_in_answers(self, facts):
        """(fact id, typed answer, learner id) of every wrong fill-in answer to these facts."""
        return (
            self.filter(
                fact__in=facts,
                question__type=Question.Type.FILL_IN,
                verdict=QuizItem.Verdict.WRONG,
            )
            .exclude(response="")
            .values_list("fact_id", "response", "quiz__user_id")
            .distinct()
        )


class QuizItem(models.Model):
    """One question of a quiz, with its options fixed at the start and, later, its answer."""

    Verdict = _choices(
        models.TextChoices,
        "Verdict",
        {
            grading.Verdict.CORRECT: _("correct"),
            grading.Verdict.TYPO: _("correct, with a typo"),
            grading.Verdict.WRONG: _("wrong"),
        },
    )

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="quiz_items")
    fact = models.ForeignKey(KeyFact, on_delete=models.PROTECT, related_name="quiz_items")
    # Multiple choice: the four options in the order shown; fill-in: empty.
    options = models.JSONField(default=list, blank=True)
    response = models.CharField(max_length=500, blank=True)
    verdict = models.CharField(max_length=7, choices=Verdict.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = QuizItemQuerySet.as_manager()

    class Meta:
        ordering = ["quiz", "position"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "position"], name="one_item_per_position")
        ]
        indexes = [
            models.Index(fields=["fact", "answered_at"]),
            # A learner's answers today (the navigation's count after every answer): per quiz,
            # an index range instead of every item read.
            models.Index(fields=["quiz", "answered_at"]),
        ]

    def __str__(self):
        return f"{self.quiz_id}#{self.position}"

    @property
    def is_answered(self):
        return self.answered_at is not None

    @property
    def is_correct(self):
        return self.verdict in (self.Verdict.CORRECT, self.Verdict.TYPO)


class TopicScoreQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)


class TopicScore(models.Model):
    """Running totals per learner and topic, updated with each answer (never recomputed)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_scores"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="scores")
    answered = models.PositiveIntegerField(default=0)
    correct = models.PositiveIntegerField(default=0)
    quizzes_done = models.PositiveIntegerField(default=0)
    last_score = models.FloatField(null=True, blank=True)
    best_score = models.FloatField(null=True, blank=True)
    # The last ten finished quiz scores, oldest first: the trend line on the scores page.
    recent_scores = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TopicScoreQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="one_score_per_topic")
        ]

    def __str__(self):
        return f"{self.user} · {self.topic}"

    @property
    def accuracy(self):
        return self.correct / self.answered if self.answered else None


def end_after_last_answer(now):
    """When a quiz ends (finished or abandoned): `now`, or its last answer's time if later.

    An answer carries the time it was sent, and one that waited for the quiz's lock may be
    recorded after a later-sent one; the quiz's end must still come after every answer in it.
    For `Quiz.objects.filter(...).update()`.
    """
    last = (
        QuizItem.objects.filter(quiz_id=OuterRef("pk"))
        .order_by()
        .values("quiz_id")
        .annotate(last=Max("answered_at"))
        .values("last")
    )
    return Greatest(Value(now), Coalesce(Subquery(last), Value(now)))


def count_of(queryset) -> Subquery:
    """A COUNT(*) of `queryset` as a subquery, for rows that use OuterRef()."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=models.IntegerField())


def in_play_at(now) -> Q:
    """Cards the learner still studies: not suspended, not buried until later."""
    return Q(suspended=False) & ~Q(buried_until__gt=now)


def due_at(now) -> Q:
    """Cards in play whose review has come: with active(), the review queue."""
    return in_play_at(now) & Q(due__lte=now)


class CardQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def active(self):
        """Cards of facts still taught (a retired fact's card stays, out of every count).

        Written as "no retired fact" rather than a join to the active ones: retired facts are
        few, so a learner's count reads their cards and a short list, not a fact per card.
        """
        return self.filter(~Exists(KeyFact.objects.filter(pk=OuterRef("fact_id"), is_active=False)))

    def in_play(self, now):
        return self.filter(in_play_at(now))

    def due(self, now):
        return self.filter(due_at(now))


class Card(models.Model):
    """A learner's FSRS memory state for one fact."""

    State = _choices(
        models.IntegerChoices,
        "State",
        {
            fsrs_terms.State.Learning: _("learning"),
            fsrs_terms.State.Review: _("review"),
            fsrs_terms.State.Relearning: _("relearning"),
        },
    )

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cards"
    )
    fact = models.ForeignKey(KeyFact, on_delete=models.CASCADE, related_name="cards")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="cards")
    state = models.PositiveSmallIntegerField(choices=State.choices, default=State.LEARNING)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    reviews = models.PositiveIntegerField(default=0)
    # Times answered wrong: "most often missed" without counting the whole history.
    misses = models.PositiveIntegerField(default=0)
    # Recognised or recalled last time: the next question is fill-in (recall), else multiple choice.
    fill_in_next = models.BooleanField(default=False)
    # "I know this": never asked again until the learner takes it back.
    suspended = models.BooleanField(default=False)
    # "Not today": left out until this moment (the learner's next midnight).
    buried_until = models.DateTimeField(null=True, blank=True)

    objects = CardQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "fact"], name="one_card_per_fact")]
        indexes = [
            # The review queue, and the navigation's count of due reviews after every answer,
            # which on PostgreSQL reads this index alone: the columns it filters on are in it.
            models.Index(
                fields=["user", "due"], include=["fact", "suspended", "buried_until"], name="card_user_due"
            ),
            models.Index(fields=["user", "topic", "due"]),
            models.Index(fields=["user", "-misses"]),
        ]

    def __str__(self):
        return f"{self.user} · {self.fact}"

    @property
    def is_buried(self):
        return self.buried_until is not None and self.buried_until > timezone.now()

    def is_due(self, now) -> bool:
        """due_at(now) for this card in memory."""
        buried = self.buried_until is not None and self.buried_until > now
        return self.due <= now and not self.suspended and not buried


class ReviewLog(models.Model):
    """Every rating given to a card, kept so FSRS parameters can be optimised later."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="logs")
    rating = models.PositiveSmallIntegerField()
    reviewed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    # The card's memory state just before this rating, so that a rating corrected later (an
    # appeal) can be re-applied from there (scheduling.rerate). Null for older logs.
    previous = models.JSONField(null=True, blank=True)

    def __str__(self):
        return f"{self.card} · {self.rating} · {self.reviewed_at:%Y-%m-%d %H:%M}"


def default_timezone() -> str:
    return settings.TIME_ZONE


class LearnerProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_profile"
    )
    daily_goal = models.PositiveSmallIntegerField(
        _("daily goal"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("Answers per day; a day that reaches it keeps your streak going."),
    )
    # Where the learner's days begin and end: streaks, "today" and burying count in it.
    timezone = models.CharField(_("time zone"), max_length=64, default=default_timezone)
    email_reminders = models.BooleanField(_("daily e-mail reminder"), default=False)
    # The learner's local day of the last reminder sent: at most one a day.
    last_reminded_on = models.DateField(null=True, blank=True)
    desired_retention = models.FloatField(
        _("desired retention"),
        default=DEFAULT_RETENTION,
        validators=[MinValueValidator(MIN_RETENTION), MaxValueValidator(MAX_RETENTION)],
        help_text=_("Between 0.80 and 0.97: higher means more frequent reviews."),
    )

    def __str__(self):
        return f"{self.user} · {self.desired_retention}"


class KnownTerm(models.Model):
    """Every answer, alternative and wrong option ever written, normalised.

    A typed answer one letter away from the right one is a typo, unless it is itself a
    term the library knows (`Adam` for `AdamW`): this table answers that in one query.
    """

    text = models.CharField(max_length=500, unique=True)

    def __str__(self):
        return self.text


class Appeal(models.Model):
    """A learner's "I was right" on a typed answer graded wrong: it counts as correct for them."""

    item = models.OneToOneField(QuizItem, on_delete=models.CASCADE, related_name="appeal")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appeals"
    )
    fact = models.ForeignKey(KeyFact, on_delete=models.CASCADE, related_name="appeals")
    response = models.CharField(max_length=500)  # as typed
    # The typed answer in the grader's comparison form: appeals of one answer group by it.
    normalised = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["fact", "normalised"])]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self):
        return f"{self.user} · {self.fact} · {self.response}"


class AppealRuling(models.Model):
    """An editor's decision on one appealed answer of one fact; accepted ones became an
    alternative in the article, rejected ones refuse further appeals of that answer."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    fact = models.ForeignKey(KeyFact, on_delete=models.CASCADE, related_name="appeal_rulings")
    normalised = models.CharField(max_length=500)
    response = models.CharField(max_length=500)
    decision = models.CharField(max_length=8, choices=Decision.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fact", "normalised"], name="one_ruling_per_answer")
        ]

    def __str__(self):
        return f"{self.fact} · {self.response} · {self.decision}"


class LibraryAlias(models.Model):
    """One accepted spelling of a fact with alternatives in a published article.

    Such a fact teaches the grader a synonym everywhere: `{{交并比|IoU}}` means a fact whose
    answer is `IoU` also accepts `交并比`. Rows of one fact share `group`.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    group = models.CharField(max_length=32, db_index=True)
    text = models.CharField(max_length=500)
    normalised = models.CharField(max_length=500, db_index=True)

    def __str__(self):
        return self.text
