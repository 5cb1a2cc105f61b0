"""Navigation, sequencing and rollup over a package's activity tree (SCORM 2004 Sequencing and
Navigation, the parts real packages use; SCORM 1.2 and packages without sequencing information
get the defaults: free choice, continue and previous in tree order).

Supported (docs/scorm.md lists it with what happens to the rest):
- control modes `choice`, `flow`, `forwardOnly` (and `choiceExit` as a no-op);
- precondition rules with the actions `skip`, `disabled`, `hiddenFromChoice` and
  `stopForwardTraversal`; post-condition `exitAll`, `continue`, `previous`, `retry`;
  conditions `satisfied`, `objectiveStatusKnown`, `objectiveMeasureKnown`,
  `objectiveMeasureGreaterThan`, `objectiveMeasureLessThan`, `completed`,
  `activityProgressKnown`, `attempted`, `attemptLimitExceeded`, `always`, with `not` and
  all/any, on the activity's own or a referenced objective;
- `limitConditions attemptLimit`;
- rollup of completion and satisfaction (the default rules, or the package's `rollupRules` with
  all/any/none/atLeastCount/atLeastPercent), `rollupObjectiveSatisfied`,
  `rollupProgressCompletion`, measure rollup weighted by `objectiveMeasureWeight`,
  `tracked`, satisfaction by measure;
- objectives and global objectives through `mapInfo` (read and write of satisfied status and
  normalized measure), shared by every SCO of the learner's registration;
- navigation requests start, resumeAll, continue, previous, choice, jump, exit, exitAll,
  abandon, abandonAll and suspendAll, from the page or from `adl.nav.request`.

State lives in `Registration.state` as plain JSON:
{"activities": {id: {"attempts": n, "completed": bool|None, "satisfied": bool|None,
 "measure": float|None, "progress": float|None}}, "globals": {objective id: {...}}}
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Activity:
    id: str
    title: str
    node: dict[str, Any]
    children: tuple[Activity, ...]
    depth: int

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def seq(self) -> dict[str, Any]:
        return dict(self.node.get("seq") or {})

    @property
    def visible(self) -> bool:
        return bool(self.node.get("visible", True))


class Tree:
    def __init__(self, structure: dict[str, Any]) -> None:
        self.structure = structure
        self.by_id: dict[str, Activity] = {}
        self.parents: dict[str, str | None] = {}
        self.root = self._build(structure["tree"], None, 0)
        self._leaves = [a for a in self.walk() if a.is_leaf]

    def _build(self, node: dict[str, Any], parent_id: str | None, depth: int) -> Activity:
        kids = tuple(self._build(c, node["id"], depth + 1) for c in node.get("children", []))
        activity = Activity(node["id"], node.get("title") or node["id"], node, kids, depth)
        self.by_id[activity.id] = activity
        self.parents[activity.id] = parent_id
        return activity

    def walk(self, start: Activity | None = None) -> Iterator[Activity]:
        start = start or self.root
        yield start
        for child in start.children:
            yield from self.walk(child)

    def leaves(self) -> list[Activity]:
        return list(self._leaves)

    def ancestors(self, activity: Activity) -> list[Activity]:
        """From the activity's parent up to the root."""
        found = []
        parent_id = self.parents.get(activity.id)
        while parent_id is not None:
            found.append(self.by_id[parent_id])
            parent_id = self.parents.get(parent_id)
        return found

    def get(self, activity_id: str) -> Activity | None:
        return self.by_id.get(activity_id)


# --- state ----------------------------------------------------------------------------------


def _activity_state(state: dict[str, Any], activity_id: str) -> dict[str, Any]:
    return state.setdefault("activities", {}).setdefault(
        activity_id,
        {"attempts": 0, "completed": None, "satisfied": None, "measure": None, "progress": None},
    )


def _controls(activity: Activity | None) -> dict[str, Any]:
    seq = activity.seq if activity is not None else {}
    return {
        "choice": seq.get("choice", True),
        "flow": seq.get("flow", False),
        "forward_only": seq.get("forward_only", False),
    }


def _objective_status(
    tree: Tree, state: dict[str, Any], activity: Activity, objective_id: str
) -> tuple[bool | None, float | None]:
    """(satisfied, measure) of the activity's primary objective, or of a named objective of it
    (read through its global map when it has one)."""
    own = _activity_state(state, activity.id)
    seq = activity.seq
    primary = seq.get("primary_objective") or {}
    if not objective_id or objective_id == primary.get("id"):
        satisfied, measure = own.get("satisfied"), own.get("measure")
        objective = primary
    else:
        stored = own.setdefault("objectives", {}).get(objective_id, {})
        satisfied, measure = stored.get("satisfied"), stored.get("measure")
        objective = next((o for o in seq.get("objectives", []) if o.get("id") == objective_id), {})
    for mapping in objective.get("maps", []):
        shared = state.get("globals", {}).get(mapping["target"], {})
        if (
            mapping.get("read_satisfied")
            and shared.get("satisfied") is not None
            and satisfied is None
        ):
            satisfied = shared["satisfied"]
        if mapping.get("read_measure") and shared.get("measure") is not None and measure is None:
            measure = shared["measure"]
    return satisfied, measure


def _condition(tree: Tree, state: dict[str, Any], activity: Activity, cond: dict[str, Any]) -> bool:
    name = cond.get("condition", "")
    own = _activity_state(state, activity.id)
    satisfied, measure = _objective_status(tree, state, activity, cond.get("objective", ""))
    result: bool
    if name == "satisfied":
        result = satisfied is True
    elif name == "objectiveStatusKnown":
        result = satisfied is not None
    elif name == "objectiveMeasureKnown":
        result = measure is not None
    elif name == "objectiveMeasureGreaterThan":
        result = measure is not None and measure > cond.get("threshold", 0.0)
    elif name == "objectiveMeasureLessThan":
        result = measure is not None and measure < cond.get("threshold", 0.0)
    elif name == "completed":
        result = own.get("completed") is True
    elif name == "activityProgressKnown":
        result = own.get("completed") is not None
    elif name == "attempted":
        result = own.get("attempts", 0) > 0
    elif name == "attemptLimitExceeded":
        limit = activity.seq.get("attempt_limit")
        result = limit is not None and own.get("attempts", 0) >= int(limit)
    elif name == "always":
        result = True
    else:
        # Time-limit conditions and unknown ones: treated as not met (docs/scorm.md).
        result = False
    return not result if cond.get("operator") == "not" else result


def rule_action(tree: Tree, state: dict[str, Any], activity: Activity, kind: str) -> list[str]:
    """The actions of the activity's `kind` rules ("pre", "post", "exit") whose conditions hold."""
    actions = []
    for rule in activity.seq.get(kind, []):
        conditions = rule.get("conditions", [])
        if not conditions:
            continue
        results = [_condition(tree, state, activity, c) for c in conditions]
        held = any(results) if rule.get("combination") == "any" else all(results)
        if held:
            actions.append(rule.get("action", ""))
    return actions


def is_disabled(tree: Tree, state: dict[str, Any], activity: Activity) -> bool:
    """Disabled by a precondition (its own or an ancestor's), or out of attempts."""
    for candidate in [activity, *tree.ancestors(activity)]:
        if "disabled" in rule_action(tree, state, candidate, "pre"):
            return True
        limit = candidate.seq.get("attempt_limit")
        if (
            limit
            and candidate.is_leaf
            and _activity_state(state, candidate.id)["attempts"] >= int(limit)
        ):
            return True
    return False


def is_hidden_from_choice(tree: Tree, state: dict[str, Any], activity: Activity) -> bool:
    if not activity.visible:
        return True
    return any(
        "hiddenFromChoice" in rule_action(tree, state, a, "pre")
        for a in [activity, *tree.ancestors(activity)]
    )


def is_skipped(tree: Tree, state: dict[str, Any], activity: Activity) -> bool:
    return "skip" in rule_action(tree, state, activity, "pre")


# --- navigation -----------------------------------------------------------------------------


def _deliverable(tree: Tree, state: dict[str, Any], activity: Activity) -> bool:
    return (
        activity.is_leaf
        and bool(activity.node.get("href"))
        and not is_disabled(tree, state, activity)
        and not is_skipped(tree, state, activity)
    )


def _flow_allowed(tree: Tree, activity: Activity) -> bool:
    """Flow navigation into or within this activity is allowed by every cluster above it.
    Packages without sequencing information (and SCORM 1.2) always allow it: Gilde's continue
    and previous buttons are the flow there."""
    if not tree.structure.get("has_sequencing"):
        return True
    return all(_controls(a)["flow"] for a in tree.ancestors(activity))


def next_activity(tree: Tree, state: dict[str, Any], current_id: str | None) -> Activity | None:
    leaves = tree.leaves()
    ids = [a.id for a in leaves]
    start = ids.index(current_id) + 1 if current_id in ids else 0
    for activity in leaves[start:]:
        if not _flow_allowed(tree, activity):
            return None
        if any(
            "stopForwardTraversal" in rule_action(tree, state, a, "pre")
            for a in tree.ancestors(activity)
        ):
            return None
        if _deliverable(tree, state, activity):
            return activity
        if is_disabled(tree, state, activity) and not is_skipped(tree, state, activity):
            # Flow stops at a disabled activity (it is not skipped over).
            return None
    return None


def previous_activity(tree: Tree, state: dict[str, Any], current_id: str | None) -> Activity | None:
    leaves = tree.leaves()
    ids = [a.id for a in leaves]
    if current_id not in ids:
        return None
    current = leaves[ids.index(current_id)]
    if any(_controls(a)["forward_only"] for a in tree.ancestors(current)):
        return None
    for activity in reversed(leaves[: ids.index(current_id)]):
        if not _flow_allowed(tree, activity):
            return None
        if _deliverable(tree, state, activity):
            return activity
    return None


def choice_allowed(tree: Tree, state: dict[str, Any], target_id: str) -> bool:
    activity = tree.get(target_id)
    if activity is None or is_hidden_from_choice(tree, state, activity):
        return False
    if any(not _controls(a)["choice"] for a in tree.ancestors(activity)):
        return False
    if activity.is_leaf:
        return _deliverable(tree, state, activity)
    # Choosing a cluster starts its first deliverable leaf.
    return first_leaf(tree, state, activity) is not None


def first_leaf(tree: Tree, state: dict[str, Any], start: Activity | None = None) -> Activity | None:
    for activity in tree.walk(start):
        if _deliverable(tree, state, activity):
            return activity
    return None


def start_activity(tree: Tree, state: dict[str, Any], suspended: str = "") -> Activity | None:
    """Where a new launch of the package begins: the suspended activity, else the first activity
    not yet completed that may be delivered, else the first one."""
    if suspended and tree.get(suspended) is not None:
        return tree.get(suspended)
    for activity in tree.leaves():
        if _deliverable(tree, state, activity) and not _activity_state(state, activity.id).get(
            "completed"
        ):
            # Under flow-only sequencing, begin where flow reaches.
            return activity
    return first_leaf(tree, state)


def navigate(
    tree: Tree, state: dict[str, Any], current_id: str | None, request: str, target: str = ""
) -> Activity | None:
    """The activity to deliver after `request`, or None (nothing to deliver: end of the course
    or the request is not allowed)."""
    if request == "continue":
        return next_activity(tree, state, current_id)
    if request == "previous":
        return previous_activity(tree, state, current_id)
    if request in ("choice", "jump"):
        if request == "choice" and not choice_allowed(tree, state, target):
            return None
        activity = tree.get(target)
        if activity is None:
            return None
        return activity if activity.is_leaf else first_leaf(tree, state, activity)
    if request in ("start", "resumeAll"):
        return start_activity(tree, state, state.get("suspended", ""))
    return None


def post_condition(tree: Tree, state: dict[str, Any], activity_id: str) -> str:
    """The navigation a finished activity's post-condition rules ask for ("" for none)."""
    activity = tree.get(activity_id)
    if activity is None:
        return ""
    for candidate in [activity, *tree.ancestors(activity)]:
        for action in rule_action(tree, state, candidate, "post"):
            if action in ("exitAll", "continue", "previous", "retry"):
                return action
    return ""


# --- recording an attempt's results and rolling them up -----------------------------------------


def record_result(
    tree: Tree,
    state: dict[str, Any],
    activity_id: str,
    *,
    completion: str,
    success: str,
    scaled: float | None,
    progress: float | None,
    objectives: list[dict[str, Any]],
    new_attempt: bool = False,
) -> None:
    """Take a SCO's data into the activity's state, write mapped global objectives and roll up."""
    activity = tree.get(activity_id)
    if activity is None:
        return
    own = _activity_state(state, activity_id)
    if new_attempt:
        own["attempts"] = own.get("attempts", 0) + 1
    seq = activity.seq
    threshold = activity.node.get("completion_threshold") or {}
    if threshold.get("completed_by_measure") and progress is not None:
        own["completed"] = progress >= float(threshold.get("min_progress_measure", 1.0))
    elif completion in ("completed", "incomplete", "not attempted"):
        own["completed"] = completion == "completed"
    elif completion in ("passed", "failed"):  # SCORM 1.2 lesson_status
        own["completed"] = True
    own["progress"] = progress
    primary = seq.get("primary_objective") or {}
    if scaled is not None:
        own["measure"] = scaled
    if primary.get("satisfied_by_measure") and scaled is not None:
        own["satisfied"] = scaled >= float(primary.get("min_measure") or 1.0)
    elif success in ("passed", "failed"):
        own["satisfied"] = success == "passed"
    elif completion in ("passed", "failed"):
        own["satisfied"] = completion == "passed"
    _write_maps(state, primary, own.get("satisfied"), own.get("measure"))
    stored = own.setdefault("objectives", {})
    declared = {o.get("id"): o for o in seq.get("objectives", [])}
    for objective in objectives:
        oid = objective.get("id") or ""
        if not oid:
            continue
        satisfied = {"passed": True, "failed": False}.get(objective.get("success", ""))
        measure = objective.get("scaled")
        stored[oid] = {"satisfied": satisfied, "measure": measure}
        if oid in declared:
            _write_maps(state, declared[oid], satisfied, measure)
        elif oid == primary.get("id"):
            _write_maps(state, primary, satisfied, measure)
    rollup(tree, state)


def _write_maps(
    state: dict[str, Any], objective: dict[str, Any], satisfied: bool | None, measure: float | None
) -> None:
    for mapping in objective.get("maps", []):
        shared = state.setdefault("globals", {}).setdefault(mapping["target"], {})
        if mapping.get("write_satisfied") and satisfied is not None:
            shared["satisfied"] = satisfied
        if mapping.get("write_measure") and measure is not None:
            shared["measure"] = measure


def read_objectives(tree: Tree, state: dict[str, Any], activity_id: str) -> list[dict[str, Any]]:
    """The objectives a SCO starts with: its declared ones, with what global objectives say."""
    activity = tree.get(activity_id)
    if activity is None:
        return []
    seq = activity.seq
    found = []
    for objective in [seq.get("primary_objective") or {}, *seq.get("objectives", [])]:
        if not objective.get("id"):
            continue
        satisfied, measure = None, None
        for mapping in objective.get("maps", []):
            shared = state.get("globals", {}).get(mapping["target"], {})
            if mapping.get("read_satisfied") and shared.get("satisfied") is not None:
                satisfied = shared["satisfied"]
            if mapping.get("read_measure") and shared.get("measure") is not None:
                measure = shared["measure"]
        found.append({"id": objective["id"], "satisfied": satisfied, "measure": measure})
    return found


def _tracked(activity: Activity) -> bool:
    return bool(activity.seq.get("tracked", True))


def _rollup_rules(activity: Activity) -> list[dict[str, Any]]:
    return list(activity.seq.get("rollup_rules", []))


def _evaluate_rollup(children: list[dict[str, Any]], rule: dict[str, Any]) -> bool:
    def holds(child: dict[str, Any], cond: dict[str, Any]) -> bool:
        name = cond.get("condition")
        value: bool
        if name == "satisfied":
            value = child.get("satisfied") is True
        elif name == "objectiveStatusKnown":
            value = child.get("satisfied") is not None
        elif name == "objectiveMeasureKnown":
            value = child.get("measure") is not None
        elif name == "completed":
            value = child.get("completed") is True
        elif name == "activityProgressKnown":
            value = child.get("completed") is not None
        elif name == "attempted":
            value = child.get("attempts", 0) > 0
        elif name == "attemptLimitExceeded":
            value = False
        else:
            value = False
        return not value if cond.get("operator") == "not" else value

    def child_holds(child: dict[str, Any]) -> bool:
        results = [holds(child, c) for c in rule.get("conditions", [])]
        if not results:
            return False
        return all(results) if rule.get("combination") == "all" else any(results)

    if not children:
        return False
    flags = [child_holds(c) for c in children]
    kind = rule.get("child_activity_set", "all")
    if kind == "all":
        return all(flags)
    if kind == "any":
        return any(flags)
    if kind == "none":
        return not any(flags)
    if kind == "atLeastCount":
        return sum(flags) >= int(rule.get("minimum_count") or 0)
    if kind == "atLeastPercent":
        return sum(flags) / len(flags) >= float(rule.get("minimum_percent") or 0)
    return False


def rollup(tree: Tree, state: dict[str, Any]) -> None:
    """Roll completion, satisfaction and measure up from the leaves to the root."""
    for activity in reversed(list(tree.walk())):
        if activity.is_leaf:
            continue
        own = _activity_state(state, activity.id)
        kids = [_activity_state(state, c.id) for c in activity.children if _tracked(c)]
        seq = activity.seq
        rules = _rollup_rules(activity)
        # measure: weighted average of the children that have one
        weights = [
            (float(c.seq.get("measure_weight") or 1.0), _activity_state(state, c.id).get("measure"))
            for c in activity.children
            if _tracked(c)
        ]
        total = sum(w for w, m in weights if m is not None)
        if total > 0:
            own["measure"] = sum(w * m for w, m in weights if m is not None) / total
        if seq.get("rollup_satisfied", True):
            primary = seq.get("primary_objective") or {}
            if primary.get("satisfied_by_measure") and own.get("measure") is not None:
                own["satisfied"] = own["measure"] >= float(primary.get("min_measure") or 1.0)
            else:
                own["satisfied"] = _rollup_status(
                    kids,
                    rules,
                    ("satisfied", "notSatisfied"),
                    lambda c: c.get("satisfied") is True,
                    lambda c: c.get("satisfied") is False,
                    own.get("satisfied"),
                )
            _write_maps(state, primary, own.get("satisfied"), own.get("measure"))
        if seq.get("rollup_completion", True):
            own["completed"] = _rollup_status(
                kids,
                rules,
                ("completed", "incomplete"),
                lambda c: c.get("completed") is True,
                lambda c: c.get("completed") is False or c.get("attempts", 0) > 0,
                own.get("completed"),
            )
        if any(c.get("attempts", 0) > 0 for c in kids):
            own["attempts"] = max(own.get("attempts", 0), 1)


def _rollup_status(
    kids: list[dict[str, Any]],
    rules: list[dict[str, Any]],
    actions: tuple[str, str],
    positive: Any,
    negative: Any,
    current: bool | None,
) -> bool | None:
    yes, no = actions
    own_rules = [r for r in rules if r.get("action") in actions]
    if own_rules:
        for rule in own_rules:
            if rule.get("action") == no and _evaluate_rollup(kids, rule):
                return False
        for rule in own_rules:
            if rule.get("action") == yes and _evaluate_rollup(kids, rule):
                return True
        return current if current is not None else None
    # The default rules: all children positive -> yes; any negative (or attempted) -> no.
    if not kids:
        return current
    if all(positive(c) for c in kids):
        return True
    if any(negative(c) for c in kids):
        return False
    return None


def root_status(tree: Tree, state: dict[str, Any]) -> dict[str, Any]:
    return dict(_activity_state(state, tree.root.id))
