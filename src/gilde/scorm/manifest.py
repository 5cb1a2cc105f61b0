"""Reading a package: the zip's safety checks, `imsmanifest.xml` (SCORM 1.2 and 2004) and
`cmi5.xml` (cmi5 course structure), into one plain structure the runtime works from.

Nothing here writes anything: `read_package` either returns a `ParsedPackage` or raises
`PackageRefused` with a message that names the problem, before a single file is stored.

Safety rules for the zip (limits in settings, see docs/scorm.md):
- every name is a plain relative path: no absolute paths, drive letters, `..` parts, backslashes
  or control characters, and no name twice;
- no symbolic links (a link in a zip can point anywhere once unpacked);
- a limit on the number of files, on the total unpacked size and on each file's compression
  ratio (a zip bomb unpacks kilobytes into gigabytes);
- XML is parsed with defusedxml: DTDs, entities and external references are refused (XXE,
  "billion laughs").
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import IO, Any
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.conf import settings
from django.utils.translation import gettext as _


class PackageRefused(ValueError):
    """The package cannot be imported; the message says why, in words fit to show."""


# --- limits -------------------------------------------------------------------------------------


def limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_files() -> int:
    return limit("SCORM_MAX_FILES", 10_000)


def max_unpacked_bytes() -> int:
    return limit("SCORM_MAX_UNPACKED_BYTES", 1024 * 1024 * 1024)


def max_upload_bytes() -> int:
    return limit("SCORM_MAX_UPLOAD_BYTES", 500 * 1024 * 1024)


def max_ratio() -> int:
    # Text compresses well (HTML and JavaScript 5-20x, a file of spaces far more); a ratio above
    # this for a file of some size is a bomb, not content.
    return limit("SCORM_MAX_COMPRESSION_RATIO", 200)


# What reading a damaged zip entry raises: a bad header or checksum, corrupt deflate data, a
# compression method flipped to one that does not exist.
DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError)

# Small files may compress extremely (a file of 10 kB of spaces) without harm.
RATIO_FREE_BYTES = 1024 * 1024
MAX_MANIFEST_BYTES = 10 * 1024 * 1024


# --- the parsed result --------------------------------------------------------------------------


@dataclass
class ParsedPackage:
    standard: str  # "scorm12", "scorm2004" or "cmi5"
    edition: str  # "1.2", "2004 2nd Edition", "2004 3rd Edition", "2004 4th Edition", "cmi5"
    identifier: str
    title: str
    description: str
    structure: dict[str, Any]
    # Relative path -> ZipInfo of every file to store (empty for a bare cmi5.xml)
    files: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    unpacked_bytes: int = 0


# --- zip checks ---------------------------------------------------------------------------------

_DRIVE = re.compile(r"^[A-Za-z]:")


def _safe_name(name: str) -> str:
    """The entry's path if it is a safe relative path, else PackageRefused."""
    if not name or any(ord(ch) < 32 for ch in name):
        raise PackageRefused(_("The zip holds a file with an unreadable name."))
    if "\\" in name:
        raise PackageRefused(
            _("The file name '%(name)s' uses backslashes; a package uses '/' between folders.")
            % {"name": name[:200]}
        )
    if name.startswith("/") or _DRIVE.match(name):
        raise PackageRefused(
            _("The file '%(name)s' has an absolute path; every file must be inside the package.")
            % {"name": name[:200]}
        )
    parts = name.split("/")
    if ".." in parts:
        raise PackageRefused(
            _("The file '%(name)s' points outside the package ('..' in its path).")
            % {"name": name[:200]}
        )
    clean = posixpath.normpath(name)
    if clean in (".", "") or clean.startswith("../"):
        raise PackageRefused(
            _("The file '%(name)s' points outside the package.") % {"name": name[:200]}
        )
    return clean


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return info.create_system == 3 and stat.S_ISLNK(mode)


def check_zip(archive: zipfile.ZipFile) -> tuple[dict[str, zipfile.ZipInfo], int]:
    """Every file of the zip by its safe relative path, and the total unpacked size."""
    files: dict[str, zipfile.ZipInfo] = {}
    seen: set[str] = set()
    total = 0
    infos = archive.infolist()
    if len(infos) > max_files():
        raise PackageRefused(
            _("The zip holds %(count)s files; at most %(max)s are allowed.")
            % {"count": len(infos), "max": max_files()}
        )
    for info in infos:
        name = _safe_name(info.filename)
        if _is_symlink(info):
            raise PackageRefused(
                _("The zip holds a symbolic link ('%(name)s'); links are not allowed.")
                % {"name": name[:200]}
            )
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise PackageRefused(_("The zip is protected with a password."))
        if name in seen:
            raise PackageRefused(_("The zip holds '%(name)s' twice.") % {"name": name[:200]})
        seen.add(name)
        total += info.file_size
        if total > max_unpacked_bytes():
            raise PackageRefused(
                _("Unpacked, the package would be larger than %(max)s MB.")
                % {"max": max_unpacked_bytes() // (1024 * 1024)}
            )
        if info.file_size > RATIO_FREE_BYTES and info.file_size > max_ratio() * max(
            info.compress_size, 1
        ):
            raise PackageRefused(
                _(
                    "The file '%(name)s' unpacks to more than %(ratio)s times its packed size: "
                    "this looks like a zip bomb."
                )
                % {"name": name[:200], "ratio": max_ratio()}
            )
        files[name] = info
    return files, total


def _read_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> Element:
    if info.file_size > MAX_MANIFEST_BYTES:
        raise PackageRefused(_("%(file)s is larger than 10 MB.") % {"file": label})
    try:
        data = archive.read(info)
    except DAMAGED_ZIP as error:
        raise PackageRefused(
            _("The zip file is damaged (%(error)s).") % {"error": error}
        ) from error
    return parse_xml(data, label)


def parse_xml(data: bytes, label: str) -> Element:
    try:
        root: Element = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise PackageRefused(
            _(
                "%(file)s uses a DTD, entities or external references, which are refused "
                "because they can be used to attack the server."
            )
            % {"file": label}
        ) from error
    except SafeET.ParseError as error:
        raise PackageRefused(
            _("%(file)s is not valid XML (%(error)s).") % {"file": label, "error": error}
        ) from error
    return root


def read_package(upload: IO[bytes], filename: str = "") -> ParsedPackage:
    """Check a zip (or a bare cmi5.xml) and read its manifest. Raises PackageRefused."""
    head = upload.read(5)
    upload.seek(0)
    if head.lstrip().startswith(b"<") or head.startswith(b"\xef\xbb\xbf"):
        # A cmi5 course structure on its own: every AU lives at an absolute address.
        data = upload.read(MAX_MANIFEST_BYTES + 1)
        if len(data) > MAX_MANIFEST_BYTES:
            raise PackageRefused(_("The XML file is larger than 10 MB."))
        root = parse_xml(data, filename or "cmi5.xml")
        if _local(root.tag) != "courseStructure":
            raise PackageRefused(_("This XML file is not a cmi5 course structure (cmi5.xml)."))
        from gilde.scorm.cmi5_manifest import read_cmi5

        return read_cmi5(root, files=None)
    if not zipfile.is_zipfile(upload):
        raise PackageRefused(
            _("This file is not a zip file. Upload the package as a .zip (or a cmi5.xml).")
        )
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError) as error:
        raise PackageRefused(
            _("The zip file is damaged (%(error)s).") % {"error": error}
        ) from error
    with archive:
        files, total = check_zip(archive)
        if "imsmanifest.xml" in files:
            root = _read_xml(archive, files["imsmanifest.xml"], "imsmanifest.xml")
            parsed = read_scorm(root, files)
        elif "cmi5.xml" in files:
            root = _read_xml(archive, files["cmi5.xml"], "cmi5.xml")
            from gilde.scorm.cmi5_manifest import read_cmi5

            parsed = read_cmi5(root, files=files)
        else:
            nested = [n for n in files if n.endswith(("/imsmanifest.xml", "/cmi5.xml"))]
            if nested:
                raise PackageRefused(
                    _(
                        "The manifest is in a folder ('%(name)s'); it must be at the top of the "
                        "zip. Zip the contents of the folder, not the folder."
                    )
                    % {"name": nested[0]}
                )
            raise PackageRefused(
                _(
                    "The zip has no imsmanifest.xml (SCORM) or cmi5.xml (cmi5) at the top: it is "
                    "not a package Gilde can play."
                )
            )
        parsed.files = files
        parsed.unpacked_bytes = total
        return parsed


# --- XML helpers --------------------------------------------------------------------------------


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _ns(tag: Any) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def children(node: Element, name: str) -> list[Element]:
    return [c for c in node if _local(c.tag) == name]


def child(node: Element, name: str) -> Element | None:
    for c in node:
        if _local(c.tag) == name:
            return c
    return None


def text_of(node: Element | None) -> str:
    return (node.text or "").strip() if node is not None else ""


def attr(node: Element, name: str, default: str = "") -> str:
    """An attribute by local name, whatever its namespace."""
    for key, value in node.attrib.items():
        if _local(key) == name:
            return value.strip()
    return default


def _bool(value: str, default: bool) -> bool:
    if value == "":
        return default
    return value.strip().lower() in ("true", "1")


def _float(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


# --- SCORM --------------------------------------------------------------------------------------

SCHEMA_VERSIONS = {
    "1.2": ("scorm12", "1.2"),
    "cam 1.3": ("scorm2004", "2004 2nd Edition"),
    "2004 2nd edition": ("scorm2004", "2004 2nd Edition"),
    "2004 3rd edition": ("scorm2004", "2004 3rd Edition"),
    "2004 4th edition": ("scorm2004", "2004 4th Edition"),
}
ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
ADLCP_13 = "http://www.adlnet.org/xsd/adlcp_v1p3"


def _scorm_version(root: Element) -> tuple[str, str]:
    metadata = child(root, "metadata")
    schema = text_of(child(metadata, "schema")) if metadata is not None else ""
    version = text_of(child(metadata, "schemaversion")) if metadata is not None else ""
    if version:
        found = SCHEMA_VERSIONS.get(version.lower())
        if found is None:
            raise PackageRefused(
                _(
                    "The manifest names schema version '%(version)s'; Gilde plays SCORM 1.2 and "
                    "SCORM 2004 (2nd, 3rd and 4th edition)."
                )
                % {"version": version[:50]}
            )
        return found
    if schema and schema.upper() not in ("ADL SCORM", "SCORM"):
        raise PackageRefused(
            _("The manifest names schema '%(schema)s'; Gilde plays ADL SCORM packages.")
            % {"schema": schema[:50]}
        )
    # No version given: SCORM 1.2 packages often leave it out; the namespaces tell.
    spaces = {_ns(el.tag) for el in root.iter()} | {_ns(k) for el in root.iter() for k in el.attrib}
    if ADLCP_13 in spaces or any("imsss" in s for s in spaces):
        return ("scorm2004", "2004 3rd Edition")
    if ADLCP_12 in spaces or "http://www.imsproject.org/xsd/imscp_rootv1p1p2" in spaces:
        return ("scorm12", "1.2")
    raise PackageRefused(
        _(
            "The manifest does not say which SCORM version it is (no schemaversion) and its "
            "namespaces do not tell either."
        )
    )


def _join_base(*parts: str) -> str:
    path = ""
    for part in parts:
        if not part:
            continue
        path = part if urlsplit(part).scheme else posixpath.join(path, part) if path else part
    return path


@dataclass
class _Resource:
    identifier: str
    href: str  # as written, relative to the package root after xml:base
    scorm_type: str


def _resources(root: Element) -> dict[str, _Resource]:
    found: dict[str, _Resource] = {}
    resources = child(root, "resources")
    if resources is None:
        return found
    base = _join_base(attr(root, "base"), attr(resources, "base"))
    for res in children(resources, "resource"):
        identifier = attr(res, "identifier")
        href = attr(res, "href")
        full = _join_base(base, attr(res, "base"), href) if href else ""
        scorm_type = (attr(res, "scormtype") or attr(res, "scormType") or "asset").lower()
        found[identifier] = _Resource(identifier, full, scorm_type)
    return found


def _check_identifiers(root: Element) -> None:
    """Identifiers of organizations, items and resources are unique within a manifest."""
    seen: set[str] = set()
    for el in root.iter():
        if _local(el.tag) not in ("organization", "item", "resource"):
            continue
        identifier = attr(el, "identifier")
        if not identifier:
            raise PackageRefused(
                _("A %(what)s in the manifest has no identifier.") % {"what": _local(el.tag)}
            )
        if identifier in seen:
            raise PackageRefused(
                _("The identifier '%(id)s' is used twice in the manifest.")
                % {"id": identifier[:100]}
            )
        seen.add(identifier)


def launch_path(href: str) -> str:
    """The file a launch address names inside the package (without query and fragment)."""
    parts = urlsplit(href)
    return posixpath.normpath(unquote(parts.path)) if parts.path else ""


def read_scorm(root: Element, files: dict[str, zipfile.ZipInfo]) -> ParsedPackage:
    if _local(root.tag) != "manifest":
        raise PackageRefused(_("imsmanifest.xml has no <manifest> element at its root."))
    standard, edition = _scorm_version(root)
    _check_identifiers(root)
    resources = _resources(root)
    organizations = child(root, "organizations")
    orgs = children(organizations, "organization") if organizations is not None else []
    if not orgs:
        raise PackageRefused(
            _("The manifest has no organization: there is no course structure to play.")
        )
    default_id = attr(organizations, "default") if organizations is not None else ""
    if default_id:
        chosen = next((o for o in orgs if attr(o, "identifier") == default_id), None)
        if chosen is None:
            raise PackageRefused(
                _("The default organization '%(id)s' does not exist in the manifest.")
                % {"id": default_id[:100]}
            )
    else:
        chosen = orgs[0]
    collections = _sequencing_collection(root)
    lower_files = {name.lower(): name for name in files}
    sco_count = 0

    def item_node(el: Element, depth: int) -> dict[str, Any]:
        nonlocal sco_count
        if depth > 20:
            raise PackageRefused(_("The course structure is nested more than 20 levels deep."))
        node: dict[str, Any] = {
            "id": attr(el, "identifier"),
            "title": text_of(child(el, "title")) or attr(el, "identifier"),
            "visible": _bool(attr(el, "isvisible"), True),
            "children": [],
        }
        ref = attr(el, "identifierref")
        kids = children(el, "item")
        if ref:
            resource = resources.get(ref)
            if resource is None:
                raise PackageRefused(
                    _("The item '%(item)s' refers to resource '%(res)s', which does not exist.")
                    % {"item": node["id"][:100], "res": ref[:100]}
                )
            if not resource.href:
                raise PackageRefused(
                    _("The resource '%(res)s' has no launch file (href).") % {"res": ref[:100]}
                )
            if urlsplit(resource.href).scheme:
                raise PackageRefused(
                    _(
                        "The launch address of resource '%(res)s' is outside the package "
                        "(%(href)s); SCORM content must be inside the zip."
                    )
                    % {"res": ref[:100], "href": resource.href[:200]}
                )
            path = launch_path(resource.href)
            if path not in files:
                real = lower_files.get(path.lower())
                hint = (
                    _(" (the zip has '%(real)s': names are case-sensitive)") % {"real": real}
                    if real
                    else ""
                )
                raise PackageRefused(
                    _(
                        "The launch file '%(file)s' of resource '%(res)s' is missing from the zip%(hint)s."
                    )
                    % {"file": path[:200], "res": ref[:100], "hint": hint}
                )
            node["href"] = resource.href
            node["parameters"] = attr(el, "parameters")
            node["sco"] = resource.scorm_type == "sco"
            sco_count += 1
            node["data_from_lms"] = text_of(child(el, "datafromlms"))
            node["mastery_score"] = text_of(child(el, "masteryscore"))
            node["max_time_allowed"] = text_of(child(el, "maxtimeallowed"))
            node["time_limit_action"] = text_of(child(el, "timelimitaction"))
            node["prerequisites"] = text_of(child(el, "prerequisites"))
            node["completion_threshold"] = _completion_threshold(el)
        node["seq"] = _sequencing(el, collections)
        node["hide_ui"] = [
            attr(h, "value")
            for p in children(el, "presentation")
            for nav in children(p, "navigationInterface")
            for h in children(nav, "hideLMSUI")
        ]
        for kid in kids:
            node["children"].append(item_node(kid, depth + 1))
        if not ref and not kids:
            raise PackageRefused(
                _("The item '%(item)s' has neither content nor items below it.")
                % {"item": node["id"][:100]}
            )
        return node

    tree: dict[str, Any] = {
        "id": attr(chosen, "identifier"),
        "title": text_of(child(chosen, "title")) or attr(chosen, "identifier"),
        "visible": True,
        "children": [item_node(el, 1) for el in children(chosen, "item")],
        "seq": _sequencing(chosen, collections),
        "hide_ui": [],
    }
    if not tree["children"]:
        raise PackageRefused(_("The organization '%(id)s' has no items.") % {"id": tree["id"]})
    if sco_count == 0:
        raise PackageRefused(_("The course structure has nothing to launch."))
    title = tree["title"]
    metadata_title = ""
    identifier = attr(root, "identifier") or tree["id"]
    has_sequencing = standard == "scorm2004" and any(n.get("seq") for n in _walk_nodes(tree))
    structure = {
        "kind": "scorm",
        "has_sequencing": has_sequencing,
        "organization": tree["id"],
        "objectives_global_to_system": _bool(attr(chosen, "objectivesGlobalToSystem"), True),
        "shared_data_global_to_system": _bool(attr(chosen, "sharedDataGlobalToSystem"), True),
        "tree": tree,
    }
    return ParsedPackage(
        standard=standard,
        edition=edition,
        identifier=identifier[:255],
        title=str(title or metadata_title or identifier)[:200],
        description="",
        structure=structure,
    )


def _walk_nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
    found = [node]
    for kid in node.get("children", []):
        found.extend(_walk_nodes(kid))
    return found


def _completion_threshold(el: Element) -> dict[str, Any] | None:
    node = child(el, "completionThreshold")
    if node is None:
        return None
    value = text_of(node)
    if value:  # 2004 3rd edition: the threshold as the element's text
        return {"completed_by_measure": True, "min_progress_measure": _float(value) or 1.0}
    return {
        "completed_by_measure": _bool(attr(node, "completedByMeasure"), False),
        "min_progress_measure": _float(attr(node, "minProgressMeasure")) or 1.0,
    }


# --- SCORM 2004 sequencing (IMS Simple Sequencing as ADL profiles it) ----------------------------


def _sequencing_collection(root: Element) -> dict[str, Element]:
    found: dict[str, Element] = {}
    for coll in children(root, "sequencingCollection"):
        for seq in children(coll, "sequencing"):
            if attr(seq, "ID"):
                found[attr(seq, "ID")] = seq
    return found


def _rule_conditions(node: Element) -> dict[str, Any]:
    conditions = child(node, "ruleConditions")
    out: dict[str, Any] = {
        "combination": attr(conditions, "conditionCombination", "all")
        if conditions is not None
        else "all",
        "conditions": [],
    }
    if conditions is None:
        return out
    for cond in children(conditions, "ruleCondition"):
        out["conditions"].append(
            {
                "condition": attr(cond, "condition"),
                "operator": attr(cond, "operator", "noOp"),
                "objective": attr(cond, "referencedObjective"),
                "threshold": _float(attr(cond, "measureThreshold")) or 0.0,
            }
        )
    return out


def _objective(node: Element, primary: bool) -> dict[str, Any]:
    maps = []
    for info in children(node, "mapInfo"):
        maps.append(
            {
                "target": attr(info, "targetObjectiveID"),
                "read_satisfied": _bool(attr(info, "readSatisfiedStatus"), True),
                "read_measure": _bool(attr(info, "readNormalizedMeasure"), True),
                "write_satisfied": _bool(attr(info, "writeSatisfiedStatus"), False),
                "write_measure": _bool(attr(info, "writeNormalizedMeasure"), False),
            }
        )
    return {
        "id": attr(node, "objectiveID"),
        "primary": primary,
        "satisfied_by_measure": _bool(attr(node, "satisfiedByMeasure"), False),
        "min_measure": _float(text_of(child(node, "minNormalizedMeasure")) or "1.0"),
        "maps": maps,
    }


def _sequencing(el: Element, collections: dict[str, Element]) -> dict[str, Any]:
    """The item's sequencing information (a collection's first, then the item's own on top)."""
    own = child(el, "sequencing")
    sources: list[Element] = []
    if own is not None and attr(own, "IDRef") and attr(own, "IDRef") in collections:
        sources.append(collections[attr(own, "IDRef")])
    if own is not None:
        sources.append(own)
    seq: dict[str, Any] = {}
    for source in sources:
        control = child(source, "controlMode")
        if control is not None:
            for key, name, default in [
                ("choice", "choice", True),
                ("choice_exit", "choiceExit", True),
                ("flow", "flow", False),
                ("forward_only", "forwardOnly", False),
                ("use_current_objective", "useCurrentAttemptObjectiveInfo", True),
                ("use_current_progress", "useCurrentAttemptProgressInfo", True),
            ]:
                value = attr(control, name)
                if value:
                    seq[key] = _bool(value, default)
        rules = child(source, "sequencingRules")
        if rules is not None:
            for kind, tag in [
                ("pre", "preConditionRule"),
                ("exit", "exitConditionRule"),
                ("post", "postConditionRule"),
            ]:
                found = []
                for rule in children(rules, tag):
                    action = child(rule, "ruleAction")
                    found.append(
                        {
                            **_rule_conditions(rule),
                            "action": attr(action, "action") if action is not None else "",
                        }
                    )
                if found:
                    seq[kind] = found
        limits = child(source, "limitConditions")
        if limits is not None and attr(limits, "attemptLimit"):
            with contextlib.suppress(ValueError):
                seq["attempt_limit"] = int(attr(limits, "attemptLimit"))
        rollup = child(source, "rollupRules")
        if rollup is not None:
            seq["rollup_satisfied"] = _bool(attr(rollup, "rollupObjectiveSatisfied"), True)
            seq["rollup_completion"] = _bool(attr(rollup, "rollupProgressCompletion"), True)
            seq["measure_weight"] = _float(attr(rollup, "objectiveMeasureWeight") or "1.0")
            found_rules = []
            for rule in children(rollup, "rollupRule"):
                conditions = child(rule, "rollupConditions")
                action = child(rule, "rollupAction")
                found_rules.append(
                    {
                        "child_activity_set": attr(rule, "childActivitySet", "all"),
                        "minimum_count": int(_float(attr(rule, "minimumCount") or "0") or 0),
                        "minimum_percent": _float(attr(rule, "minimumPercent") or "0") or 0.0,
                        "combination": attr(conditions, "conditionCombination", "any")
                        if conditions is not None
                        else "any",
                        "conditions": [
                            {
                                "condition": attr(c, "condition"),
                                "operator": attr(c, "operator", "noOp"),
                            }
                            for c in (
                                children(conditions, "rollupCondition")
                                if conditions is not None
                                else []
                            )
                        ],
                        "action": attr(action, "action") if action is not None else "",
                    }
                )
            if found_rules:
                seq["rollup_rules"] = found_rules
        objectives = child(source, "objectives")
        if objectives is not None:
            primary = child(objectives, "primaryObjective")
            if primary is not None:
                seq["primary_objective"] = _objective(primary, True)
            others = [_objective(o, False) for o in children(objectives, "objective")]
            if others:
                seq["objectives"] = others
        delivery = child(source, "deliveryControls")
        if delivery is not None:
            seq["tracked"] = _bool(attr(delivery, "tracked"), True)
            seq["completion_set_by_content"] = _bool(
                attr(delivery, "completionSetByContent"), False
            )
            seq["objective_set_by_content"] = _bool(attr(delivery, "objectiveSetByContent"), False)
        considerations = child(source, "rollupConsiderations")
        if considerations is not None:
            seq["considerations"] = {
                key: attr(considerations, key, "always")
                for key in (
                    "requiredForSatisfied",
                    "requiredForNotSatisfied",
                    "requiredForCompleted",
                    "requiredForIncomplete",
                )
            }
        constrained = child(source, "constrainedChoiceConsiderations")
        if constrained is not None:
            seq["prevent_activation"] = _bool(attr(constrained, "preventActivation"), False)
            seq["constrain_choice"] = _bool(attr(constrained, "constrainChoice"), False)
    return seq
