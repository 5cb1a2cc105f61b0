"""The learning catalogue: items, lessons with quizzes, learning paths, cohorts, enrolments,
attempts, completions and certificates.

Ownership follows competency frameworks: an item or path belongs either to a network (shared with
every member organisation) or to one organisation (private). Kind-specific behaviour (how an item
is completed, what the learner does, which fields the form shows) lives in `learning/kinds.py`, one
small class per kind; the model only stores the fields.

Learning records are append-friendly: an attempt is a new row each time, an answer is stored once
per attempt and question, a completion is never overwritten, and a certificate is revoked (with who,
when and why), never deleted.
"""

from __future__ import annotations

import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ONE_OWNER = (Q(network__isnull=False) & Q(organisation__isnull=True)) | (
    Q(network__isnull=True) & Q(organisation__isnull=False)
)


class ItemKind(models.TextChoices):
    LESSON = "lesson", _("e-learning lesson")
    EXTERNAL = "external", _("external course")
    ON_THE_JOB = "on_the_job", _("on-the-job assignment")
    SCHOOL_SUBJECT = "school_subject", _("school subject")
    EVENT = "event", _("event")
    PACKAGE = "package", _("e-learning package (SCORM, cmi5)")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


class ContentLanguage(models.TextChoices):
    """The language an item is given in (not the interface language)."""

    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")
    FRENCH = "fr", _("French")
    POLISH = "pl", _("Polish")
    UKRAINIAN = "uk", _("Ukrainian")
    TURKISH = "tr", _("Turkish")
    ARABIC = "ar", _("Arabic")
    SPANISH = "es", _("Spanish")
    PORTUGUESE = "pt", _("Portuguese")


class SignOffBy(models.TextChoices):
    """Who signs off an on-the-job assignment."""

    MENTOR_OR_MANAGER = "mentor_or_manager", _("workplace mentor or manager")
    MENTOR = "mentor", _("workplace mentor")
    MANAGER = "manager", _("manager")


class Tag(models.Model):
    """A word to find items by. Names are normalised (see `learning.tags.tag_normalise`):
    lower case, single spaces, no commas, so "E-commerce " and "e-commerce" are one tag. A tag
    holds no tenant data; it is only ever shown through the items that carry it."""

    name = models.CharField(_("tag"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ItemQuerySet(models.QuerySet["CatalogueItem"]):
    def published(self) -> ItemQuerySet:
        return self.filter(status=ItemStatus.PUBLISHED)


class CatalogueItem(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        "tenancy.Network",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="catalogue_items",
    )
    organisation = models.ForeignKey(
        "tenancy.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="catalogue_items",
    )
    slug = models.SlugField(max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.DRAFT
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=ContentLanguage.choices, default=ContentLanguage.DUTCH
    )
    study_load_hours = models.DecimalField(
        _("study load in hours"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    audience = models.CharField(_("for whom"), max_length=300, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="items")
    certificate_enabled = models.BooleanField(_("certificate on completion"), default=False)
    # external course
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    price = models.DecimalField(
        _("price in euros"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    # on-the-job assignment
    instructions = models.TextField(_("instructions"), blank=True)
    sign_off_by = models.CharField(
        _("signed off by"),
        max_length=20,
        choices=SignOffBy.choices,
        default=SignOffBy.MENTOR_OR_MANAGER,
    )
    # school subject: the school that teaches it and records the result
    school = models.ForeignKey(
        "tenancy.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="school_subjects",
        verbose_name=_("school"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=ONE_OWNER, name="item_has_one_owner"),
            models.UniqueConstraint(
                fields=["network", "slug"],
                condition=Q(network__isnull=False),
                name="item_slug_per_network",
            ),
            models.UniqueConstraint(
                fields=["organisation", "slug"],
                condition=Q(organisation__isnull=False),
                name="item_slug_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(study_load_hours__gte=0), name="item_study_load_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0), name="item_price_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["network", "status"]),
            models.Index(fields=["organisation", "status"]),
        ]

    def __str__(self) -> str:
        return self.title


class ItemCompetency(models.Model):
    """A competency an item helps reach, and the level it helps reach."""

    item = models.ForeignKey(CatalogueItem, on_delete=models.CASCADE, related_name="competencies")
    competency = models.ForeignKey(
        "competencies.Competency", on_delete=models.PROTECT, related_name="+"
    )
    target_level = models.PositiveSmallIntegerField(_("level it helps reach"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "competency"], name="item_competency_once")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.competency_id}→{self.target_level}"


# --- lesson content -----------------------------------------------------------------------------


class LessonPage(models.Model):
    """One page of an e-learning lesson, written in Markdown (rendered and sanitised on display)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(CatalogueItem, on_delete=models.CASCADE, related_name="pages")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    video_url = models.URLField(_("video link"), max_length=500, blank=True)

    class Meta:
        ordering = ["item", "position", "pk"]
        indexes = [models.Index(fields=["item", "position"])]

    def __str__(self) -> str:
        return self.title


# Images in lessons: checked by content (not by name) when uploaded.
LESSON_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
LESSON_IMAGE_MAX_BYTES = 5 * 1024 * 1024


def lesson_image_path(instance: LessonImage, filename: str) -> str:
    return f"lessons/{instance.item_id}/{instance.uuid}/{filename}"


class LessonImage(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(CatalogueItem, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to=lesson_image_path, max_length=300)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(default=0)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    alt_text = models.CharField(_("description for screen readers"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(size__lte=LESSON_IMAGE_MAX_BYTES), name="lesson_image_size_limit"
            )
        ]

    def __str__(self) -> str:
        return self.filename


class Quiz(models.Model):
    """A quiz at the end of a lesson (page empty) or on one page. Each attempt draws
    `draw_count` questions (all if empty) from the quiz's question bank in random order."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(CatalogueItem, on_delete=models.CASCADE, related_name="quizzes")
    page = models.ForeignKey(
        LessonPage, null=True, blank=True, on_delete=models.CASCADE, related_name="quizzes"
    )
    title = models.CharField(_("title"), max_length=200)
    pass_mark_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: as many as the learner wants."),
    )
    draw_count = models.PositiveSmallIntegerField(
        _("questions per attempt"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: all questions."),
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit in minutes"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "quizzes"
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark_percent__lte=100), name="quiz_pass_mark_percent"
            ),
            models.CheckConstraint(
                condition=Q(max_attempts__isnull=True) | Q(max_attempts__gte=1),
                name="quiz_max_attempts_positive",
            ),
            models.CheckConstraint(
                condition=Q(draw_count__isnull=True) | Q(draw_count__gte=1),
                name="quiz_draw_count_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    TRUE_FALSE = "true_false", _("true or false")
    SHORT_ANSWER = "short_answer", _("short answer")
    ORDERING = "ordering", _("put in order")


class Question(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices)
    prompt = models.TextField(_("question"))
    feedback = models.TextField(_("explanation after answering"), blank=True)
    points = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    position = models.PositiveIntegerField(default=0)
    # Out of the bank: no longer drawn for new attempts. A question that has been answered is
    # taken out this way, never deleted, so that earlier attempts keep their questions.
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["quiz", "position", "pk"]

    def __str__(self) -> str:
        return self.prompt[:60]


class Choice(models.Model):
    """An answer option. For an ordering question `position` is the correct place and `correct`
    is not used; for the other kinds `position` is the order shown to authors."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("answer"), max_length=500)
    correct = models.BooleanField(_("correct"), default=False)
    feedback = models.CharField(_("feedback on this answer"), max_length=500, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["question", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class AcceptedAnswer(models.Model):
    """One accepted answer to a short-answer question, compared after normalising case and
    spaces."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="accepted")
    text = models.CharField(_("accepted answer"), max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "text"], name="accepted_answer_once")
        ]

    def __str__(self) -> str:
        return self.text


# --- learning paths and cohorts -----------------------------------------------------------------


class PathCompletionRule(models.TextChoices):
    ALL_REQUIRED = "all_required", _("all required steps")
    AT_LEAST_N = "at_least_n", _("at least a number of steps")


class LearningPath(models.Model):
    """An ordered or free set of steps (items, or another path's steps) with a completion rule."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        "tenancy.Network",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="learning_paths",
    )
    organisation = models.ForeignKey(
        "tenancy.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="learning_paths",
    )
    slug = models.SlugField(max_length=80)
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.DRAFT
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=ContentLanguage.choices, default=ContentLanguage.DUTCH
    )
    audience = models.CharField(_("for whom"), max_length=300, blank=True)
    ordered = models.BooleanField(
        _("steps in a fixed order"),
        default=True,
        help_text=_("Off: the learner chooses the order."),
    )
    completion_rule = models.CharField(
        _("complete when"),
        max_length=12,
        choices=PathCompletionRule.choices,
        default=PathCompletionRule.ALL_REQUIRED,
    )
    required_count = models.PositiveSmallIntegerField(
        _("number of steps"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("For 'at least a number of steps'."),
    )
    certificate_enabled = models.BooleanField(_("certificate on completion"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=ONE_OWNER, name="path_has_one_owner"),
            models.UniqueConstraint(
                fields=["network", "slug"],
                condition=Q(network__isnull=False),
                name="path_slug_per_network",
            ),
            models.UniqueConstraint(
                fields=["organisation", "slug"],
                condition=Q(organisation__isnull=False),
                name="path_slug_per_organisation",
            ),
            models.CheckConstraint(
                condition=(
                    Q(completion_rule=PathCompletionRule.ALL_REQUIRED)
                    & Q(required_count__isnull=True)
                )
                | (
                    Q(completion_rule=PathCompletionRule.AT_LEAST_N)
                    & Q(required_count__isnull=False)
                    & Q(required_count__gte=1)
                ),
                name="path_rule_has_its_count",
            ),
        ]
        indexes = [
            models.Index(fields=["network", "status"]),
            models.Index(fields=["organisation", "status"]),
        ]

    def __str__(self) -> str:
        return self.title


class PathStep(models.Model):
    """One step of a path: an item, or another path whose steps it includes. A path never
    includes itself, directly or through others (services check this before saving)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="steps")
    item = models.ForeignKey(
        CatalogueItem, null=True, blank=True, on_delete=models.PROTECT, related_name="path_steps"
    )
    included_path = models.ForeignKey(
        LearningPath,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="included_in",
    )
    position = models.PositiveIntegerField(default=0)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["path", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(item__isnull=False) & Q(included_path__isnull=True))
                | (Q(item__isnull=True) & Q(included_path__isnull=False)),
                name="step_is_item_or_path",
            ),
            models.UniqueConstraint(
                fields=["path", "item"], condition=Q(item__isnull=False), name="step_item_once"
            ),
            models.UniqueConstraint(
                fields=["path", "included_path"],
                condition=Q(included_path__isnull=False),
                name="step_path_once",
            ),
            models.CheckConstraint(
                condition=~Q(included_path=models.F("path")), name="step_not_own_path"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.path_id}#{self.position}"


class Cohort(models.Model):
    """A group that runs through a path together from a start date, with a date per step and a
    coordinator or mentors. Run by one organisation (a temp agency, a firm) or by the network."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    path = models.ForeignKey(LearningPath, on_delete=models.PROTECT, related_name="cohorts")
    network = models.ForeignKey(
        "tenancy.Network", null=True, blank=True, on_delete=models.PROTECT, related_name="cohorts"
    )
    organisation = models.ForeignKey(
        "tenancy.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cohorts",
    )
    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_cohorts",
        verbose_name=_("coordinator"),
    )
    mentors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="mentored_cohorts"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(condition=ONE_OWNER, name="cohort_has_one_owner"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="cohort_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CohortStep(models.Model):
    """The pacing of one path step for a cohort: from when and by when."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="pacing")
    step = models.ForeignKey(PathStep, on_delete=models.CASCADE, related_name="cohort_dates")
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    due_date = models.DateField(_("done by"))

    class Meta:
        ordering = ["cohort", "due_date"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "step"], name="cohort_step_once"),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(due_date__gte=models.F("opens_on")),
                name="cohort_step_due_after_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort_id}: {self.step_id} by {self.due_date}"


class CohortMember(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cohort_memberships"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    left_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "person"], name="cohort_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.cohort_id}"


# --- enrolment ----------------------------------------------------------------------------------


class EnrolmentVia(models.TextChoices):
    SELF = "self", _("by the learner")
    MANAGER = "manager", _("by a manager")
    COHORT = "cohort", _("with a cohort")
    PATH = "path", _("through a learning path")


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("in progress")
    COMPLETED = "completed", _("completed")
    WITHDRAWN = "withdrawn", _("withdrawn")


class PathEnrolment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="path_enrolments"
    )
    path = models.ForeignKey(LearningPath, on_delete=models.PROTECT, related_name="enrolments")
    # The organisation in whose name the person follows the path (their employer or the agency);
    # empty for a self-service enrolment in a network path with no single organisation.
    organisation = models.ForeignKey(
        "tenancy.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.PROTECT, related_name="enrolments"
    )
    via = models.CharField(max_length=8, choices=EnrolmentVia.choices, default=EnrolmentVia.SELF)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enrolled_at = models.DateTimeField(default=timezone.now)
    due_date = models.DateField(_("done by"), null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "path"],
                condition=Q(status="active"),
                name="one_active_path_enrolment",
            )
        ]
        indexes = [models.Index(fields=["path", "status"])]

    def __str__(self) -> str:
        return f"{self.person_id} in path {self.path_id} ({self.status})"


class Enrolment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments"
    )
    item = models.ForeignKey(CatalogueItem, on_delete=models.PROTECT, related_name="enrolments")
    # The organisation in whose name the person learns (see PathEnrolment.organisation).
    organisation = models.ForeignKey(
        "tenancy.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    path_enrolment = models.ForeignKey(
        PathEnrolment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="item_enrolments",
    )
    via = models.CharField(max_length=8, choices=EnrolmentVia.choices, default=EnrolmentVia.SELF)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enrolled_at = models.DateTimeField(default=timezone.now)
    due_date = models.DateField(_("done by"), null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    # Where the learner was, to resume: the last page opened, and how far they got.
    current_page = models.ForeignKey(
        LessonPage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    progress_percent = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)]
    )
    last_activity_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "item"],
                condition=Q(status="active"),
                name="one_active_enrolment",
            ),
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100), name="enrolment_progress_percent"
            ),
        ]
        indexes = [
            models.Index(fields=["person", "status"]),
            models.Index(fields=["item", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.item_id} ({self.status})"


class Attempt(models.Model):
    """One go at a quiz. Each attempt is a new row; a finished attempt is never changed.
    `question_ids` keeps the questions drawn for this attempt, in the order shown."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="attempts")
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    question_ids = models.JSONField(default=list)
    started_at = models.DateTimeField(default=timezone.now)
    deadline_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["enrolment", "quiz", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "quiz", "number"], name="attempt_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"attempt {self.number} at {self.quiz_id}"


class Answer(models.Model):
    """The learner's answer to one question in one attempt; stored once (a second post of the
    same answer changes nothing). `response` holds choice ids, the typed text or the order."""

    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    response = models.JSONField(default=dict)
    correct = models.BooleanField(null=True, blank=True)
    points = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="answer_once")]

    def __str__(self) -> str:
        return f"answer to {self.question_id} in {self.attempt_id}"


# --- completion and certificates ----------------------------------------------------------------


class CompletionResult(models.TextChoices):
    COMPLETED = "completed", _("completed")
    PASSED = "passed", _("passed")
    ATTENDED = "attended", _("attended")
    SIGNED_OFF = "signed_off", _("signed off")


def completion_proof_path(instance: Completion, filename: str) -> str:
    return f"learning-proof/{instance.person_id}/{instance.uuid}/{filename}"


class Completion(models.Model):
    """An item done: the result, the study hours credited and, per kind, the proof, the sign-off
    or the school's result. Never overwritten; doing an item again makes a new completion."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="completions"
    )
    item = models.ForeignKey(CatalogueItem, on_delete=models.PROTECT, related_name="completions")
    enrolment = models.OneToOneField(
        Enrolment, null=True, blank=True, on_delete=models.PROTECT, related_name="completion"
    )
    organisation = models.ForeignKey(
        "tenancy.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(default=timezone.now)
    result = models.CharField(max_length=12, choices=CompletionResult.choices)
    score_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    study_hours = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("0"))
    # on-the-job: who signed it off
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # school subject: the result as the school gives it ("7,5", "voldoende")
    school_result = models.CharField(_("result"), max_length=50, blank=True)
    # external course: proof of completion
    proof_file = models.FileField(upload_to=completion_proof_path, blank=True, max_length=300)
    proof_filename = models.CharField(max_length=255, blank=True)
    proof_content_type = models.CharField(max_length=100, blank=True)
    proof_link = models.URLField(_("link to the proof"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["person", "completed_at"]),
            models.Index(fields=["item", "completed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} completed {self.item_id}"


# Unambiguous characters for a code a person may type from paper: no 0/O, 1/I/L.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def verification_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class Certificate(models.Model):
    """A certificate for a completed item or path. What it says is kept as issued (title, study
    load, competencies), so later edits to the item do not change a certificate already given.
    The public verification page shows only whether the code is valid or revoked."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(max_length=14, unique=True, default=verification_code, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    item = models.ForeignKey(
        CatalogueItem, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    path = models.ForeignKey(
        LearningPath, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    completion = models.ForeignKey(
        Completion, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    path_enrolment = models.ForeignKey(
        PathEnrolment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    title = models.CharField(max_length=200)
    issued_at = models.DateTimeField(default=timezone.now)
    issuer_organisation = models.ForeignKey(
        "tenancy.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates_issued",
    )
    network = models.ForeignKey(
        "tenancy.Network", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    study_load_hours = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("0"))
    # ["CNC-01 Programming a 5-axis machine (level 3)", ...] as on the day of issue
    competencies = models.JSONField(default=list)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(item__isnull=False) & Q(path__isnull=True))
                | (Q(item__isnull=True) & Q(path__isnull=False)),
                name="certificate_for_item_or_path",
            ),
        ]
        indexes = [models.Index(fields=["person", "issued_at"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


# --- effects of a completion on competencies ----------------------------------------------------


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("waiting for the manager")
    ACCEPTED = "accepted", _("accepted")
    DISMISSED = "dismissed", _("not accepted")


class LevelProposal(models.Model):
    """After a completed item: a proposal that the person may now have reached the item's target
    level on a competency. Only a manager (or admin) turns it into a rating, through the
    competencies services; until then nothing changes on the person's levels."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="level_proposals"
    )
    # The organisation whose manager or admin decides (the one the person learned for).
    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    competency = models.ForeignKey(
        "competencies.Competency", on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField()
    completion = models.ForeignKey(
        Completion, on_delete=models.PROTECT, related_name="level_proposals"
    )
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessment = models.ForeignKey(
        "competencies.Assessment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "competency"],
                condition=Q(status="open"),
                name="one_open_proposal_per_competency",
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.competency_id}→{self.level} ({self.status})"
