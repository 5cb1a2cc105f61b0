"""Readable names for the actions in the audit trail.

The audit row stores a stable code ("membership.end"); people read a sentence in their own
language. A code without a label is shown as it is, so a new action is never hidden.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, Promise] = {
    # networks and organisations (tenancy)
    "network.create": _("Network created"),
    "network.update": _("Network details changed"),
    "network.role_grant": _("Network role given"),
    "network.role_end": _("Network role ended"),
    "coach.assign": _("Coach assigned"),
    "network.add_organisation": _("Organisation added to the network"),
    "network.apply": _("Organisation applied to join the network"),
    "network.approve": _("Application approved"),
    "network.reject": _("Application rejected"),
    "network.leave": _("Organisation left the network"),
    "organisation.create": _("Organisation created"),
    "team.create": _("Team added"),
    "team.rename": _("Team renamed"),
    # memberships (tenancy)
    "membership.create": _("Person added to the organisation"),
    "membership.update": _("Membership details changed"),
    "membership.roles": _("Roles changed"),
    "membership.end": _("Membership ended"),
    # people
    "invitation.create": _("Invitation sent"),
    "invitation.revoke": _("Invitation withdrawn"),
    "invitation.accept": _("Invitation accepted"),
    "person.create": _("Account created"),
    "person.update": _("Name or e-mail address changed"),
    "people.import_upload": _("HR file uploaded"),
    "people.import": _("People imported from an HR file"),
    "people.export": _("People list downloaded"),
    # privacy
    "consent.give": _("Consent given"),
    "consent.withdraw": _("Consent withdrawn"),
    "privacy.export": _("Personal data downloaded"),
    "framework.create": _("Competency framework created"),
    "framework.new_version": _("New framework version started"),
    "framework.publish": _("Framework version published"),
    "framework.import": _("Competency framework imported"),
    "framework.competency_delete": _("Competency removed from a draft"),
    "framework.scale_update": _("Names of the scale levels changed in a draft"),
    "profile.save": _("Function profile saved"),
    "profile.assign": _("Function profile assigned"),
    "person.erase": _("Account erased"),
    "round.create": _("Assessment round started"),
    "round.close": _("Assessment round closed"),
    "round.self_assess": _("Rated themselves in an assessment round"),
    "round.validate": _("Levels validated in an assessment round"),
    "assessment.rate": _("Competency rated"),
    "claim.submit": _("Prior learning claimed (EVC)"),
    "claim.accept": _("Prior learning claim accepted"),
    "claim.reject": _("Prior learning claim not accepted"),
    "competencies.matrix_export": _("Team overview of competencies downloaded"),
    # learning
    "learning.item_create": _("Learning item created"),
    "learning.item_update": _("Learning item changed"),
    "learning.item_publish": _("Learning item published"),
    "learning.item_archive": _("Learning item taken out of the catalogue"),
    "learning.item_competency": _("Competency linked to a learning item"),
    "learning.item_competency_remove": _("Competency removed from a learning item"),
    "learning.enrol": _("Enrolled in a learning item"),
    "learning.withdraw": _("Enrolment ended"),
    "learning.complete": _("Learning item completed"),
    "learning.proposal_accept": _("Level after learning confirmed"),
    "learning.proposal_dismiss": _("Level after learning not confirmed"),
    "learning.path_step_add": _("Step added to a learning path"),
    "learning.path_complete": _("Learning path completed"),
    "learning.lesson_page_add": _("Page added to a lesson"),
    "learning.lesson_page_change": _("Lesson page changed"),
    "learning.lesson_page_move": _("Lesson page moved"),
    "learning.lesson_page_delete": _("Lesson page removed"),
    "learning.lesson_image_add": _("Image added to a lesson"),
    "learning.quiz_add": _("Quiz added to a lesson"),
    "learning.quiz_change": _("Quiz changed"),
    "learning.question_add": _("Question added to a quiz"),
    "learning.question_change": _("Quiz question changed"),
    "learning.question_remove": _("Question taken out of a quiz"),
    "learning.attempt_submit": _("Quiz attempt handed in"),
    "learning.path_create": _("Learning path created"),
    "learning.path_update": _("Learning path changed"),
    "learning.path_publish": _("Learning path published"),
    "learning.path_step_change": _("Step of a learning path changed"),
    "learning.path_step_remove": _("Step removed from a learning path"),
    "learning.path_enrol": _("Enrolled in a learning path"),
    "learning.cohort_create": _("Cohort created"),
    "learning.cohort_update": _("Cohort changed"),
    "learning.cohort_pacing": _("Dates of a cohort's steps set"),
    "learning.cohort_member_add": _("Added to a cohort"),
    "learning.certificate_issue": _("Certificate issued"),
    "learning.certificate_revoke": _("Certificate revoked"),
    # demo data
    "demo.load": _("Demo data loaded"),
    "demo.reset": _("Demo data removed"),
    # operations
    "backup.restore": _("Restored from a backup"),
    "lrs.client_created": _("Learning record store client created"),
    "lrs.client_revoked": _("Learning record store client revoked"),
    "lrs.records_export": _("Learning records downloaded"),
    # events
    "events.series_settings": _("Event settings and targets changed"),
    "events.session_create": _("Event sessions planned"),
    "events.session_update": _("Event session changed"),
    "events.session_cancel": _("Event session cancelled"),
    "events.reservation": _("Places kept for an organisation"),
    "events.register": _("Registered for an event session"),
    "events.promote": _("Given a place from the waiting list"),
    "events.approve": _("Event registration approved"),
    "events.decline": _("Event registration declined"),
    "events.cancel": _("Event registration cancelled"),
    "events.attendance": _("Attendance recorded"),
    "events.feedback": _("Feedback on an event session given"),
    "events.feed_create": _("Private calendar address made"),
    "events.feed_revoke": _("Private calendar address stopped"),
    # development
    "development.plan_create": _("Development plan started"),
    "development.plan_update": _("Development plan changed"),
    "development.goal_save": _("Goal of a development plan saved"),
    "development.goal_delete": _("Goal removed from a development plan"),
    "development.goal_status": _("Status of a goal changed"),
    "development.action_save": _("Action of a development plan saved"),
    "development.action_delete": _("Action removed from a development plan"),
    "development.action_progress": _("Progress of an action changed"),
    "development.action_completed": _("Action ticked off by a completed catalogue item"),
    "development.plan_submit": _("Development plan sent for agreement"),
    "development.plan_comment": _("Comment on a development plan"),
    "development.plan_agree": _("Development plan agreed"),
    "development.plan_close": _("Development plan closed"),
    "development.prompts_save": _("Check-in questions changed"),
    "development.check_in_plan": _("Check-in planned"),
    "development.check_in_held": _("Check-in held"),
    "development.check_in_cancel": _("Check-in cancelled"),
    "development.note_add": _("Note on a check-in written"),
    "development.follow_up": _("Follow-up action from a check-in added to a plan"),
    "development.target_set": _("Development target set"),
    "development.target_remove": _("Development target removed"),
    "development.survey_create": _("Needs analysis survey made"),
    "development.survey_launch": _("Needs analysis survey sent"),
    "development.survey_remind": _("Reminder for a needs analysis survey sent"),
    "development.survey_close": _("Needs analysis survey closed"),
    "development.survey_answer": _("Needs analysis survey answered"),
    "development.survey_export": _("Needs analysis report downloaded"),
    "development.offering_propose": _("Shared offering proposed from a need"),
    "development.offering_link": _("Proposed offering linked to the catalogue"),
    "development.career_start": _("Career plan started; consent asked"),
    "development.career_consent": _("Consent for a career plan given"),
    "development.career_withdraw": _("Consent for a career plan withdrawn"),
    "development.career_update": _("Career plan changed"),
    "development.career_step": _("Step added to a career plan"),
    "development.career_step_done": _("Step of a career plan ticked"),
    "development.career_note": _("Progress note on a career plan"),
    "development.career_close": _("Career plan closed"),
    # packaged e-learning
    "scorm.package_upload": _("E-learning package imported"),
    "scorm.version_upload": _("New version of an e-learning package uploaded"),
    "scorm.au_waive": _("Part of a cmi5 course waived"),
    "scorm.session_abandon": _("cmi5 session marked as abandoned"),
}


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def action_choices(actions: Iterable[str]) -> list[tuple[str, str]]:
    """The given action codes as (code, label), sorted by label in the active language."""
    return sorted(((code, action_label(code)) for code in set(actions)), key=lambda c: c[1])
