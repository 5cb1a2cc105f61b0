"""Writes for learning: catalogue items, enrolments, completions and what follows a completion.

Every function takes keyword arguments, runs in one transaction, writes an audit row for changes
that matter and a learning record (xAPI statement, through `learning.records`) for every
learning act. A rule that refuses raises LearningError with a message fit to show; nothing has
changed then.

What a completion does (`complete_item`, then `on_item_completed`):
1. a Completion row with the result and the study hours of the item;
2. the enrolment is completed;
3. a learning record ("completed", "passed" or "attended");
4. the `item_completed` signal, for other apps (a development plan ticks its action), and a
   certificate when the item gives one (`learning.certificates`);
5. proposals of the item's target levels for the manager to accept, only where the person's
   validated level is below the target — a proposal never changes a level by itself;
6. a learning path the enrolment belongs to is completed when its rule is met.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.audit.services import audit_record
from gilde.competencies.access import rater_role_for
from gilde.competencies.evidence import CheckedFile
from gilde.competencies.models import VALIDATING_ROLES, Competency, CurrentLevel
from gilde.competencies.services import CompetencyError, assessment_record, scale_of
from gilde.learning import records
from gilde.learning.access import (
    can_lead,
    can_record_school_result,
    can_withdraw,
    item_reaches_organisation,
    organisations_reaching,
    signer_role,
)
from gilde.learning.certificates import (
    certificate_issue_for_completion,
    certificate_issue_for_path,
)
from gilde.learning.kinds import CompletedBy, CompletionFacts, kind_named, kind_of
from gilde.learning.models import (
    CatalogueItem,
    Completion,
    CompletionResult,
    Enrolment,
    EnrolmentStatus,
    EnrolmentVia,
    ItemCompetency,
    ItemKind,
    ItemStatus,
    LearningPath,
    LevelProposal,
    PathCompletionRule,
    PathEnrolment,
    PathStep,
    ProposalStatus,
    Tag,
)
from gilde.learning.signals import item_completed
from gilde.learning.tags import tags_parse
from gilde.tenancy.models import (
    Network,
    NetworkMembership,
    NetworkMembershipStatus,
    Organisation,
    OrganisationKind,
)
from gilde.tenancy.services import unique_slug


class LearningError(ValueError):
    """A rule refused the change; the message is fit to show to the user."""


# --- catalogue items ----------------------------------------------------------------------------

# Fields every item has, which the item form edits.
COMMON_FIELDS = (
    "title",
    "summary",
    "language",
    "study_load_hours",
    "audience",
    "certificate_enabled",
)


def _audit_item(*, actor: Any, action: str, item: CatalogueItem, **detail: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        organisation=item.organisation,
        network=item.network,
        item=str(item.uuid),
        title=item.title,
        **detail,
    )


def schools_for(
    *, organisation: Organisation | None, network: Network | None
) -> list[Organisation]:
    """Schools an item of this owner can name: the school itself, or schools that are approved
    members of the owning network or of the owning organisation's networks."""
    if network is not None:
        networks = [network.pk]
    elif organisation is not None:
        networks = list(
            organisation.network_memberships.filter(
                status=NetworkMembershipStatus.APPROVED
            ).values_list("network_id", flat=True)
        )
    else:
        return []
    found = Organisation.objects.filter(kind=OrganisationKind.SCHOOL).filter(
        Q(
            network_memberships__network_id__in=networks,
            network_memberships__status=NetworkMembershipStatus.APPROVED,
        )
        | Q(pk=organisation.pk if organisation is not None else 0)
    )
    return list(found.distinct().order_by("name"))


def _check_kind_fields(
    *, kind: str, fields: dict[str, Any], organisation: Organisation | None, network: Network | None
) -> dict[str, Any]:
    """Keep only the kind's own extra fields (others go back to empty) and check the required
    ones."""
    from gilde.learning.kinds import kind_specific_fields

    definition = kind_named(kind)
    cleaned = {name: fields[name] for name in COMMON_FIELDS if name in fields}
    blanks: dict[str, Any] = {
        "provider": "",
        "url": "",
        "price": None,
        "instructions": "",
        "school": None,
    }
    for name in kind_specific_fields():
        if name in definition.form_fields:
            cleaned[name] = fields.get(name, blanks.get(name))
        elif name in blanks:
            cleaned[name] = blanks[name]
    for name in definition.required_fields:
        if cleaned.get(name) in (None, ""):
            raise LearningError(
                _("Fill in '%(field)s' for this kind of item.")
                % {"field": getattr(CatalogueItem._meta.get_field(name), "verbose_name", name)}
            )
    school = cleaned.get("school")
    if school is not None and school not in schools_for(organisation=organisation, network=network):
        raise LearningError(_("Choose a school of your network."))
    if not str(cleaned.get("title", "x")).strip():
        raise LearningError(_("Give the item a title."))
    if Decimal(cleaned.get("study_load_hours") or 0) < 0:
        raise LearningError(_("The study load cannot be negative."))
    return cleaned


def _set_tags(item: CatalogueItem, tags: Iterable[str]) -> None:
    names = tags_parse(",".join(tags))
    existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=n) for n in names if n not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    item.tags.set([existing[n] for n in names])


@transaction.atomic
def item_create(
    *,
    actor: Any,
    kind: str,
    fields: dict[str, Any],
    organisation: Organisation | None = None,
    network: Network | None = None,
    tags: Iterable[str] = (),
) -> CatalogueItem:
    """A new item, as a draft, owned by one organisation (private) or one network (shared).
    The caller has checked that the actor may write for this owner (access.item_owners_for)."""
    if (organisation is None) == (network is None):
        raise LearningError(_("Choose whether the item is for your organisation or the network."))
    if kind not in ItemKind.values:
        raise LearningError(_("Choose a kind of item."))
    cleaned = _check_kind_fields(
        kind=kind, fields=fields, organisation=organisation, network=network
    )
    scope: dict[str, Any] = (
        {"organisation": organisation} if organisation is not None else {"network": network}
    )
    item = CatalogueItem.objects.create(
        kind=kind,
        slug=unique_slug(CatalogueItem, cleaned["title"], max_length=80, **scope),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **scope,
        **cleaned,
    )
    _set_tags(item, tags)
    _audit_item(actor=actor, action="learning.item_create", item=item, kind=kind)
    return item


@transaction.atomic
def item_update(
    *, actor: Any, item: CatalogueItem, fields: dict[str, Any], tags: Iterable[str] = ()
) -> CatalogueItem:
    cleaned = _check_kind_fields(
        kind=item.kind, fields=fields, organisation=item.organisation, network=item.network
    )
    changed = sorted(k for k, v in cleaned.items() if getattr(item, k) != v)
    for name, value in cleaned.items():
        setattr(item, name, value)
    item.updated_at = timezone.now()
    item.save(update_fields=[*cleaned, "updated_at"])
    _set_tags(item, tags)
    _audit_item(actor=actor, action="learning.item_update", item=item, fields=changed)
    return item


@transaction.atomic
def item_publish(*, actor: Any, item: CatalogueItem) -> CatalogueItem:
    item = CatalogueItem.objects.select_for_update().get(pk=item.pk)
    if item.status == ItemStatus.PUBLISHED:
        raise LearningError(_("This item is published already."))
    problem = kind_of(item).publish_problem(item)
    if problem:
        raise LearningError(str(problem))
    item.status = ItemStatus.PUBLISHED
    item.published_at = timezone.now()
    item.updated_at = item.published_at
    item.save(update_fields=["status", "published_at", "updated_at"])
    _audit_item(actor=actor, action="learning.item_publish", item=item)
    return item


@transaction.atomic
def item_archive(*, actor: Any, item: CatalogueItem) -> CatalogueItem:
    """Take an item out of the catalogue. People enrolled keep it and can finish it."""
    item = CatalogueItem.objects.select_for_update().get(pk=item.pk)
    if item.status == ItemStatus.ARCHIVED:
        raise LearningError(_("This item is archived already."))
    item.status = ItemStatus.ARCHIVED
    item.updated_at = timezone.now()
    item.save(update_fields=["status", "updated_at"])
    _audit_item(actor=actor, action="learning.item_archive", item=item)
    return item


def competencies_for_item(item: CatalogueItem) -> Any:
    """Published competencies an item of this owner can aim at: frameworks of the owning
    network, or of the owning organisation and its networks."""
    from gilde.competencies.models import Framework
    from gilde.competencies.selectors_assess import published_competencies

    if item.network_id is not None:
        frameworks = Framework.objects.filter(network_id=item.network_id)
    else:
        networks = NetworkMembership.objects.filter(
            organisation_id=item.organisation_id or 0, status=NetworkMembershipStatus.APPROVED
        ).values("network_id")
        frameworks = Framework.objects.filter(
            Q(organisation_id=item.organisation_id) | Q(network_id__in=networks)
        )
    return published_competencies(frameworks)


@transaction.atomic
def item_competency_set(
    *, actor: Any, item: CatalogueItem, competency: Competency, level: int
) -> ItemCompetency:
    """Aim the item at a competency and the level it helps reach (again: change the level)."""
    if not competencies_for_item(item).filter(pk=competency.pk).exists():
        raise LearningError(_("Choose a competency of a framework your item's owner uses."))
    try:
        scale_of(competency.version).normalise(level)
    except CompetencyError as error:
        raise LearningError(str(error)) from error
    link, _created = ItemCompetency.objects.update_or_create(
        item=item, competency=competency, defaults={"target_level": level}
    )
    _audit_item(
        actor=actor,
        action="learning.item_competency",
        item=item,
        competency=competency.code,
        level=level,
    )
    return link


@transaction.atomic
def item_competency_remove(*, actor: Any, item: CatalogueItem, link: ItemCompetency) -> None:
    if link.item_id != item.pk:
        raise LearningError(_("This competency is not linked to the item."))
    code = link.competency.code
    link.delete()
    _audit_item(actor=actor, action="learning.item_competency_remove", item=item, competency=code)


# --- enrolment ----------------------------------------------------------------------------------


def _check_due_date(due_date: dt.date | None) -> None:
    if due_date is not None and due_date < timezone.localdate():
        raise LearningError(_("The date to be done by cannot be in the past."))


def _enrolment_row(
    *,
    actor: Any,
    person: Any,
    item: CatalogueItem,
    organisation: Organisation,
    via: str,
    due_date: dt.date | None,
    path_enrolment: PathEnrolment | None = None,
) -> Enrolment:
    if Enrolment.objects.filter(person=person, item=item, status=EnrolmentStatus.ACTIVE).exists():
        raise LearningError(_("%(name)s is enrolled already.") % {"name": person.display_name})
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                person=person,
                item=item,
                organisation=organisation,
                via=via,
                enrolled_by=actor if getattr(actor, "is_authenticated", False) else None,
                due_date=due_date,
                path_enrolment=path_enrolment,
            )
    except IntegrityError as error:
        # Two clicks at once: the unique constraint lets one of them through.
        raise LearningError(
            _("%(name)s is enrolled already.") % {"name": person.display_name}
        ) from error
    enrolment.item = item
    enrolment.person = person
    enrolment.organisation = organisation
    records.record_registered(enrolment)
    audit_record(
        actor=actor,
        action="learning.enrol",
        organisation=organisation,
        subject=person,
        item=str(item.uuid),
        title=item.title,
        via=via,
    )
    return enrolment


@transaction.atomic
def enrolment_self_create(
    *, actor: Any, item: CatalogueItem, due_date: dt.date | None = None
) -> Enrolment:
    """The learner enrols in an item of their organisation's or network's catalogue."""
    if item.status != ItemStatus.PUBLISHED:
        raise LearningError(_("Only published items can be taken."))
    if not kind_of(item).self_enrol:
        raise LearningError(_("You cannot enrol in this kind of item yourself; ask your manager."))
    _check_due_date(due_date)
    organisations = organisations_reaching(actor, item)
    if not organisations:
        raise LearningError(_("This item is not in the catalogue of your organisation."))
    return _enrolment_row(
        actor=actor,
        person=actor,
        item=item,
        organisation=organisations[0],
        via=EnrolmentVia.SELF,
        due_date=due_date,
    )


@dataclass
class TeamEnrolment:
    enrolled: list[Enrolment]
    already: list[Any]


@transaction.atomic
def enrolments_create_for_team(
    *,
    actor: Any,
    item: CatalogueItem,
    organisation: Organisation,
    people: Sequence[Any],
    due_date: dt.date | None = None,
) -> TeamEnrolment:
    """A manager (or admin) enrols people they lead at `organisation`. People already enrolled
    are left as they are and reported; anyone the actor does not lead refuses the whole lot."""
    if item.status != ItemStatus.PUBLISHED:
        raise LearningError(_("Only published items can be taken."))
    if not item_reaches_organisation(item, organisation):
        raise LearningError(_("This item is not in the catalogue of your organisation."))
    if not people:
        raise LearningError(_("Choose at least one person."))
    _check_due_date(due_date)
    for person in people:
        if not can_lead(actor, person, organisation):
            raise LearningError(_("You can only enrol people you lead."))
    active = set(
        Enrolment.objects.filter(
            item=item, person__in=people, status=EnrolmentStatus.ACTIVE
        ).values_list("person_id", flat=True)
    )
    result = TeamEnrolment(enrolled=[], already=[])
    for person in people:
        if person.pk in active:
            result.already.append(person)
            continue
        result.enrolled.append(
            _enrolment_row(
                actor=actor,
                person=person,
                item=item,
                organisation=organisation,
                via=EnrolmentVia.MANAGER,
                due_date=due_date,
            )
        )
    return result


@transaction.atomic
def enrolment_for_attendance(
    *, actor: Any, person: Any, item: CatalogueItem, organisation: Organisation | None
) -> Enrolment:
    """The events app enrols a person who attended a session of an event series (nobody enrols
    in an event by hand: the series has its own registration). An open enrolment, say through
    a learning path, is used as it is."""
    if item.kind != ItemKind.EVENT:
        raise LearningError(_("Only events are completed by attendance."))
    active = Enrolment.objects.filter(
        person=person, item=item, status=EnrolmentStatus.ACTIVE
    ).first()
    if active is not None:
        return active
    if organisation is None:
        reaching = organisations_reaching(person, item)
        organisation = reaching[0] if reaching else None
    if organisation is None:
        raise LearningError(_("This item is not in the catalogue of your organisation."))
    return _enrolment_row(
        actor=actor,
        person=person,
        item=item,
        organisation=organisation,
        via=EnrolmentVia.SELF,
        due_date=None,
    )


@transaction.atomic
def enrolment_withdraw(*, actor: Any, enrolment: Enrolment, reason: str) -> Enrolment:
    """Un-enrol, with a reason. Attempts and progress stay; the item can be taken again."""
    reason = reason.strip()
    if not reason:
        raise LearningError(_("Say why, in a few words."))
    enrolment = (
        Enrolment.objects.select_for_update().select_related("item", "person").get(pk=enrolment.pk)
    )
    if enrolment.status != EnrolmentStatus.ACTIVE:
        raise LearningError(_("This enrolment has ended already."))
    if not can_withdraw(actor, enrolment):
        raise LearningError(_("You cannot end this enrolment."))
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.withdrawn_at = timezone.now()
    enrolment.withdrawn_by = actor
    enrolment.withdrawn_reason = reason[:300]
    enrolment.save(update_fields=["status", "withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    audit_record(
        actor=actor,
        action="learning.withdraw",
        organisation=enrolment.organisation,
        subject=enrolment.person,
        item=str(enrolment.item.uuid),
        title=enrolment.item.title,
    )
    return enrolment


# --- completion ---------------------------------------------------------------------------------


def complete_item(
    *,
    actor: Any,
    enrolment: Enrolment,
    facts: CompletionFacts | None = None,
    result: str | None = None,
    score_percent: Decimal | None = None,
    signed_off_by: Any = None,
    proof: CheckedFile | None = None,
    note: str = "",
) -> Completion:
    """Record that an enrolment's item is done, with everything that follows (see the module
    text), in one transaction. The kind's rule decides whether the facts are enough; who may
    call this for which kind is checked by the callers below (and by the lesson player and the
    events app for theirs)."""
    facts = facts or CompletionFacts()
    stored: list[str] = []
    try:
        with transaction.atomic():
            return _complete(
                actor=actor,
                enrolment=enrolment,
                facts=facts,
                result=result,
                score_percent=score_percent,
                signed_off_by=signed_off_by,
                proof=proof,
                note=note,
                stored=stored,
            )
    except Exception:
        # Files are written outside the database transaction: remove them when it fails.
        from django.core.files.storage import default_storage

        for name in stored:
            default_storage.delete(name)
        raise


def _complete(
    *,
    actor: Any,
    enrolment: Enrolment,
    facts: CompletionFacts,
    result: str | None,
    score_percent: Decimal | None,
    signed_off_by: Any,
    proof: CheckedFile | None,
    note: str,
    stored: list[str],
) -> Completion:
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("item", "item__network", "person", "organisation")
        .get(pk=enrolment.pk)
    )
    if enrolment.status != EnrolmentStatus.ACTIVE:
        if enrolment.status == EnrolmentStatus.COMPLETED:
            raise LearningError(_("This item is completed already."))
        raise LearningError(_("This enrolment has ended; enrol again first."))
    item = enrolment.item
    kind = kind_of(item)
    problem = kind.completion_problem(enrolment=enrolment, facts=facts)
    if problem:
        raise LearningError(str(problem))
    now = timezone.now()
    completion = Completion(
        person=enrolment.person,
        item=item,
        enrolment=enrolment,
        organisation=enrolment.organisation,
        completed_at=now,
        result=result or kind.result,
        score_percent=score_percent if score_percent is not None else facts.score_percent,
        study_hours=item.study_load_hours,
        signed_off_by=signed_off_by,
        school_result=facts.school_result.strip()[:50],
        proof_link=facts.proof_link,
        note=note.strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if proof is not None:
        completion.proof_filename = proof.filename
        completion.proof_content_type = proof.kind.content_type
        proof.upload.seek(0)
        completion.proof_file.save(proof.filename, proof.upload, save=False)
        stored.append(completion.proof_file.name)
    completion.save()
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_at = now
    enrolment.progress_percent = 100
    enrolment.last_activity_at = now
    enrolment.save(update_fields=["status", "completed_at", "progress_percent", "last_activity_at"])
    records.record_completed(completion, enrolment)
    audit_record(
        actor=actor,
        action="learning.complete",
        organisation=enrolment.organisation,
        network=item.network,
        subject=enrolment.person,
        item=str(item.uuid),
        title=item.title,
        result=completion.result,
    )
    on_item_completed(completion=completion, enrolment=enrolment)
    return completion


def on_item_completed(*, completion: Completion, enrolment: Enrolment) -> None:
    """The hook point for everything a completion sets in motion (steps 4 to 6 of the module
    text). Runs inside the completion's transaction."""
    item_completed.send(sender=Completion, completion=completion, enrolment=enrolment)
    certificate_issue_for_completion(completion=completion, enrolment=enrolment)
    level_proposals_make(completion=completion, enrolment=enrolment)
    if enrolment.path_enrolment_id is not None:
        path_enrolment_refresh(path_enrolment_id=enrolment.path_enrolment_id)


def external_proof_submit(
    *,
    actor: Any,
    enrolment: Enrolment,
    proof: CheckedFile | None = None,
    link: str = "",
    note: str = "",
) -> Completion:
    """The learner finished an external course and shows it with a file or a link."""
    if enrolment.item.kind != ItemKind.EXTERNAL or enrolment.person_id != actor.pk:
        raise LearningError(_("Only the learner can add proof for an external course."))
    return complete_item(
        actor=actor,
        enrolment=enrolment,
        facts=CompletionFacts(proof_file=proof, proof_link=link),
        proof=proof,
        note=note,
    )


def on_the_job_sign_off(*, actor: Any, enrolment: Enrolment, note: str = "") -> Completion:
    """A workplace mentor or manager signs off an on-the-job assignment."""
    if kind_of(enrolment.item).completed_by != CompletedBy.SIGNER:
        raise LearningError(_("Only on-the-job assignments are signed off."))
    role = signer_role(actor, enrolment)
    return complete_item(
        actor=actor,
        enrolment=enrolment,
        facts=CompletionFacts(signer_role=role),
        signed_off_by=actor,
        note=note,
    )


def school_result_record(
    *, actor: Any, enrolment: Enrolment, school_result: str, note: str = ""
) -> Completion:
    """The school (or the organisation the learner takes the subject for) records the result."""
    if not can_record_school_result(actor, enrolment):
        raise LearningError(_("Only the school or your organisation's admin records the result."))
    return complete_item(
        actor=actor,
        enrolment=enrolment,
        facts=CompletionFacts(school_result=school_result),
        note=note,
    )


# --- proposals of new levels --------------------------------------------------------------------


def level_proposals_make(*, completion: Completion, enrolment: Enrolment) -> list[LevelProposal]:
    """Propose the item's target levels where the person's validated level is lower (or
    unknown). An open proposal for the same competency is raised if the new target is higher."""
    if enrolment.organisation_id is None:
        return []
    links = list(
        ItemCompetency.objects.filter(item_id=completion.item_id).select_related(
            "competency__version"
        )
    )
    made: list[LevelProposal] = []
    for link in links:
        competency = link.competency
        scale = scale_of(competency.version)
        try:
            target = scale.normalise(link.target_level)
        except CompetencyError:
            continue
        current = CurrentLevel.objects.filter(
            person_id=completion.person_id,
            framework_id=competency.version.framework_id,
            code=competency.code,
        ).first()
        validated = current.validated_normalised if current else None
        if validated is not None and validated >= target - 1e-9:
            continue
        open_one = (
            LevelProposal.objects.select_for_update()
            .filter(
                person_id=completion.person_id,
                competency=competency,
                status=ProposalStatus.OPEN,
            )
            .first()
        )
        if open_one is not None:
            if open_one.level < link.target_level:
                open_one.level = link.target_level
                open_one.completion = completion
                open_one.save(update_fields=["level", "completion"])
            made.append(open_one)
            continue
        made.append(
            LevelProposal.objects.create(
                person_id=completion.person_id,
                organisation_id=enrolment.organisation_id,
                competency=competency,
                level=link.target_level,
                completion=completion,
            )
        )
    return made


def can_decide_proposal(actor: Any, proposal: LevelProposal) -> bool:
    if actor.pk == proposal.person_id:
        return False
    return can_lead(actor, proposal.person, proposal.organisation)


@transaction.atomic
def proposal_accept(
    *, actor: Any, proposal: LevelProposal, level: int, comment: str = ""
) -> LevelProposal:
    """The manager agrees (at the proposed level or another): a rating by the manager is
    recorded through the competencies services, which bring the current level up to date."""
    proposal = (
        LevelProposal.objects.select_for_update(of=("self",))
        .select_related("person", "organisation", "competency__version", "completion__item")
        .get(pk=proposal.pk)
    )
    if proposal.status != ProposalStatus.OPEN:
        raise LearningError(_("This proposal has been decided already."))
    if not can_decide_proposal(actor, proposal):
        raise LearningError(_("Only the person's manager or an admin can decide this."))
    role = rater_role_for(actor, proposal.person)
    if role not in VALIDATING_ROLES:
        raise LearningError(_("Only the person's manager or an admin can decide this."))
    text = comment.strip() or _("After completing %(item)s.") % {
        "item": proposal.completion.item.title
    }
    try:
        assessment = assessment_record(
            actor=actor,
            person=proposal.person,
            competency=proposal.competency,
            level=level,
            comment=text,
            organisation=proposal.organisation,
        )
    except CompetencyError as error:
        raise LearningError(str(error)) from error
    proposal.status = ProposalStatus.ACCEPTED
    proposal.decided_at = timezone.now()
    proposal.decided_by = actor
    proposal.assessment = assessment
    proposal.save(update_fields=["status", "decided_at", "decided_by", "assessment"])
    audit_record(
        actor=actor,
        action="learning.proposal_accept",
        organisation=proposal.organisation,
        subject=proposal.person,
        competency=proposal.competency.code,
        level=level,
    )
    return proposal


@transaction.atomic
def proposal_dismiss(*, actor: Any, proposal: LevelProposal) -> LevelProposal:
    proposal = (
        LevelProposal.objects.select_for_update(of=("self",))
        .select_related("person", "organisation", "competency")
        .get(pk=proposal.pk)
    )
    if proposal.status != ProposalStatus.OPEN:
        raise LearningError(_("This proposal has been decided already."))
    if not can_decide_proposal(actor, proposal):
        raise LearningError(_("Only the person's manager or an admin can decide this."))
    proposal.status = ProposalStatus.DISMISSED
    proposal.decided_at = timezone.now()
    proposal.decided_by = actor
    proposal.save(update_fields=["status", "decided_at", "decided_by"])
    audit_record(
        actor=actor,
        action="learning.proposal_dismiss",
        organisation=proposal.organisation,
        subject=proposal.person,
        competency=proposal.competency.code,
    )
    return proposal


# --- learning paths: steps and completion -------------------------------------------------------


def path_items(path: LearningPath) -> list[tuple[int, bool]]:
    """(item id, required) of every step, with the steps of included paths in their place. An
    included path's steps count as required only when the step that includes it is required."""
    steps_by_path: dict[int, list[PathStep]] = {}
    todo = [path.pk]
    while todo:
        rows = list(PathStep.objects.filter(path_id__in=todo).order_by("position", "pk"))
        todo = []
        for step in rows:
            steps_by_path.setdefault(step.path_id, []).append(step)
            if step.included_path_id is not None and step.included_path_id not in steps_by_path:
                steps_by_path.setdefault(step.included_path_id, [])
                todo.append(step.included_path_id)

    out: list[tuple[int, bool]] = []
    seen: set[int] = set()

    def walk(path_id: int, required: bool, trail: frozenset[int]) -> None:
        for step in steps_by_path.get(path_id, []):
            if step.item_id is not None:
                if step.item_id not in seen:
                    seen.add(step.item_id)
                    out.append((step.item_id, required and step.required))
            elif step.included_path_id is not None and step.included_path_id not in trail:
                walk(step.included_path_id, required and step.required, trail | {path_id})

    walk(path.pk, True, frozenset({path.pk}))
    return out


def path_cycle(*, path: LearningPath, included: LearningPath) -> bool:
    """Including `included` in `path` would make a path include itself."""
    if included.pk == path.pk:
        return True
    seen: set[int] = set()
    todo = [included.pk]
    while todo:
        if path.pk in todo:
            return True
        seen.update(todo)
        todo = [
            pk
            for pk in PathStep.objects.filter(
                path_id__in=todo, included_path__isnull=False
            ).values_list("included_path_id", flat=True)
            if pk not in seen
        ]
    return False


@transaction.atomic
def path_step_add(
    *,
    actor: Any,
    path: LearningPath,
    item: CatalogueItem | None = None,
    included_path: LearningPath | None = None,
    required: bool = True,
    position: int | None = None,
) -> PathStep:
    """Add an item, or another path's steps, to a path. A path never includes itself, directly
    or through other paths."""
    if (item is None) == (included_path is None):
        raise LearningError(_("Choose an item or a path to add."))
    if included_path is not None:
        # Lock the path so that two steps added at once cannot close a circle together.
        LearningPath.objects.select_for_update().filter(pk=path.pk).first()
        if path_cycle(path=path, included=included_path):
            raise LearningError(
                _("%(other)s includes %(path)s already, so it cannot be a step of it.")
                % {"other": included_path.title, "path": path.title}
                if included_path.pk != path.pk
                else _("A path cannot be a step of itself.")
            )
        if PathStep.objects.filter(path=path, included_path=included_path).exists():
            raise LearningError(_("This path is a step already."))
    elif PathStep.objects.filter(path=path, item=item).exists():
        raise LearningError(_("This item is a step already."))
    if position is None:
        last = PathStep.objects.filter(path=path).order_by("-position").first()
        position = (last.position + 1) if last else 1
    step = PathStep.objects.create(
        path=path, item=item, included_path=included_path, required=required, position=position
    )
    audit_record(
        actor=actor,
        action="learning.path_step_add",
        organisation=path.organisation,
        network=path.network,
        path=str(path.uuid),
        title=path.title,
    )
    return step


def path_rule_met(path: LearningPath, completed_item_ids: set[int]) -> bool:
    steps = path_items(path)
    if path.completion_rule == PathCompletionRule.AT_LEAST_N:
        done = sum(1 for item_id, _required in steps if item_id in completed_item_ids)
        return done >= (path.required_count or 0)
    required = [item_id for item_id, is_required in steps if is_required]
    return bool(required) and all(item_id in completed_item_ids for item_id in required)


def path_enrolment_refresh(*, path_enrolment_id: int) -> PathEnrolment:
    """Complete a path enrolment when its path's rule is met by the person's completions."""
    path_enrolment = (
        PathEnrolment.objects.select_for_update(of=("self",))
        .select_related("path", "person", "organisation", "path__network")
        .get(pk=path_enrolment_id)
    )
    if path_enrolment.status != EnrolmentStatus.ACTIVE:
        return path_enrolment
    done = set(
        Completion.objects.filter(person_id=path_enrolment.person_id).values_list(
            "item_id", flat=True
        )
    )
    if path_rule_met(path_enrolment.path, done):
        path_enrolment.status = EnrolmentStatus.COMPLETED
        path_enrolment.completed_at = timezone.now()
        path_enrolment.save(update_fields=["status", "completed_at"])
        records.record_path_completed(path_enrolment)
        certificate_issue_for_path(path_enrolment=path_enrolment)
        audit_record(
            actor=None,
            action="learning.path_complete",
            organisation=path_enrolment.organisation,
            network=path_enrolment.path.network,
            subject=path_enrolment.person,
            path=str(path_enrolment.path.uuid),
            title=path_enrolment.path.title,
        )
    return path_enrolment


__all__ = [
    "CompletionResult",
    "LearningError",
    "complete_item",
    "enrolment_for_attendance",
    "enrolment_self_create",
    "enrolment_withdraw",
    "enrolments_create_for_team",
    "external_proof_submit",
    "item_archive",
    "item_competency_remove",
    "item_competency_set",
    "item_create",
    "item_publish",
    "item_update",
    "on_item_completed",
    "on_the_job_sign_off",
    "path_step_add",
    "proposal_accept",
    "proposal_dismiss",
    "school_result_record",
]
