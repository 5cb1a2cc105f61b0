"""Reading a cmi5 course structure (`cmi5.xml`, cmi5 section 13) into the package structure.

The checks follow the specification's requirements for an LMS importing a course: identifiers
are IRIs and unique, AU addresses are valid URLs, a relative AU address names a file in the zip
(and a bare cmi5.xml has only absolute ones), an AU address carries none of the launch
parameters the LMS adds, and the elements come in the order the course structure schema gives.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit
from xml.etree.ElementTree import Element

from django.utils.translation import gettext as _

from gilde.scorm.manifest import (
    PackageRefused,
    ParsedPackage,
    _local,
    attr,
    child,
    children,
)

MOVE_ON = ("Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed", "NotApplicable")
LAUNCH_PARAMETERS = {"endpoint", "fetch", "actor", "registration", "activityId"}
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")
# The order of an AU's elements in the course structure schema.
AU_ORDER = ["title", "description", "objectives", "url", "launchParameters", "entitlementKey"]
BLOCK_ORDER = ["title", "description", "objectives", "au", "block"]


def _langstrings(node: Element | None) -> dict[str, str]:
    if node is None:
        return {}
    found = {}
    for ls in children(node, "langstring"):
        found[attr(ls, "lang") or "und"] = (ls.text or "").strip()
    return found


def _one(strings: dict[str, str]) -> str:
    for lang in ("nl", "nl-NL", "en", "en-US", "en-GB"):
        if strings.get(lang):
            return strings[lang]
    return next((v for v in strings.values() if v), "")


def _check_iri(value: str, what: str) -> str:
    if not value or not _IRI.match(value):
        raise PackageRefused(
            _("The %(what)s id '%(id)s' is not an IRI (it needs a scheme such as https:).")
            % {"what": what, "id": value[:200]}
        )
    return value


def _check_order(node: Element, order: list[str], what: str) -> None:
    last = -1
    for kid in node:
        name = _local(kid.tag)
        if name not in order:
            continue
        position = order.index(name)
        if name in ("au", "block"):
            position = order.index("au")
        if position < last:
            raise PackageRefused(
                _(
                    "In cmi5.xml the %(what)s '%(id)s' has <%(name)s> out of place: the elements "
                    "do not follow the course structure schema."
                )
                % {"what": what, "id": attr(node, "id")[:200], "name": name}
            )
        last = position


def read_cmi5(root: Element, *, files: dict[str, zipfile.ZipInfo] | None) -> ParsedPackage:
    if _local(root.tag) != "courseStructure":
        raise PackageRefused(_("cmi5.xml has no <courseStructure> element at its root."))
    course = child(root, "course")
    if course is None:
        raise PackageRefused(_("cmi5.xml has no <course> element."))
    course_id = _check_iri(attr(course, "id"), "course")
    _check_order(course, ["title", "description"], "course")
    title = _one(_langstrings(child(course, "title")))
    if not title:
        raise PackageRefused(_("The course in cmi5.xml has no title."))
    seen: set[str] = set()
    objectives: dict[str, str] = {}
    for obj_list in children(root, "objectives"):
        for obj in children(obj_list, "objective"):
            oid = _check_iri(attr(obj, "id"), "objective")
            if oid in objectives:
                raise PackageRefused(
                    _("The objective id '%(id)s' occurs twice in cmi5.xml.") % {"id": oid[:200]}
                )
            objectives[oid] = _one(_langstrings(child(obj, "title")))
    counter = {"au": 0, "block": 0}

    def mark(identifier: str, what: str) -> None:
        if identifier in seen or identifier == course_id:
            raise PackageRefused(
                _("The %(what)s id '%(id)s' occurs twice in cmi5.xml.")
                % {"what": what, "id": identifier[:200]}
            )
        seen.add(identifier)

    def objective_refs(node: Element) -> list[str]:
        refs = []
        for obj_list in children(node, "objectives"):
            for obj in children(obj_list, "objective"):
                ref = attr(obj, "idref")
                if ref not in objectives:
                    raise PackageRefused(
                        _("'%(id)s' refers to objective '%(ref)s', which cmi5.xml does not define.")
                        % {"id": attr(node, "id")[:200], "ref": ref[:200]}
                    )
                refs.append(ref)
        return refs

    def au_node(el: Element) -> dict[str, Any]:
        identifier = _check_iri(attr(el, "id"), "AU")
        mark(identifier, "AU")
        _check_order(el, AU_ORDER, "AU")
        url_el = child(el, "url")
        raw_url = (url_el.text or "").strip() if url_el is not None else ""
        if not raw_url:
            raise PackageRefused(
                _("The AU '%(id)s' has no launch address (<url>).") % {"id": identifier[:200]}
            )
        if any(ch.isspace() for ch in raw_url) or any(ch in raw_url for ch in '<>"{}|\\^`'):
            raise PackageRefused(
                _("The launch address '%(url)s' of AU '%(id)s' is not a valid URL.")
                % {"url": raw_url[:200], "id": identifier[:200]}
            )
        parts = urlsplit(raw_url)
        clash = {k for k, _v in parse_qsl(parts.query, keep_blank_values=True)} & LAUNCH_PARAMETERS
        if clash:
            raise PackageRefused(
                _(
                    "The launch address of AU '%(id)s' already has '%(name)s' in its query "
                    "string; that parameter is the LMS's to add."
                )
                % {"id": identifier[:200], "name": sorted(clash)[0]}
            )
        if parts.scheme:
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise PackageRefused(
                    _("The launch address '%(url)s' of AU '%(id)s' is not a valid web address.")
                    % {"url": raw_url[:200], "id": identifier[:200]}
                )
        else:
            if files is None:
                raise PackageRefused(
                    _(
                        "The AU '%(id)s' has a relative launch address, but a cmi5.xml on its "
                        "own has no files: upload the course as a zip."
                    )
                    % {"id": identifier[:200]}
                )
            path = posixpath.normpath(unquote(parts.path)) if parts.path else ""
            if parts.netloc or path.startswith(("../", "/")) or path not in files:
                raise PackageRefused(
                    _("The launch file '%(file)s' of AU '%(id)s' is missing from the zip.")
                    % {"file": (path or raw_url)[:200], "id": identifier[:200]}
                )
        move_on = attr(el, "moveOn") or "NotApplicable"
        if move_on not in MOVE_ON:
            raise PackageRefused(
                _("The AU '%(id)s' has an unknown moveOn value '%(value)s'.")
                % {"id": identifier[:200], "value": move_on[:50]}
            )
        mastery: float | None = None
        if attr(el, "masteryScore"):
            try:
                mastery = float(attr(el, "masteryScore"))
            except ValueError:
                mastery = -1
            if mastery is None or not 0 <= mastery <= 1:
                raise PackageRefused(
                    _("The AU '%(id)s' has a masteryScore outside 0 to 1.")
                    % {"id": identifier[:200]}
                )
        launch_method = attr(el, "launchMethod") or "AnyWindow"
        if launch_method not in ("AnyWindow", "OwnWindow"):
            raise PackageRefused(
                _("The AU '%(id)s' has an unknown launchMethod '%(value)s'.")
                % {"id": identifier[:200], "value": launch_method[:50]}
            )
        title = _one(_langstrings(child(el, "title")))
        index = counter["au"]
        counter["au"] += 1
        launch_parameters = child(el, "launchParameters")
        entitlement = child(el, "entitlementKey")
        return {
            "type": "au",
            "index": index,
            "id": identifier,
            "title": title or identifier,
            "description": _one(_langstrings(child(el, "description"))),
            "url": raw_url,
            "move_on": move_on,
            "mastery_score": mastery,
            "launch_method": launch_method,
            "activity_type": attr(el, "activityType"),
            "launch_parameters": (launch_parameters.text or "").strip()
            if launch_parameters is not None
            else "",
            "entitlement_key": (entitlement.text or "").strip() if entitlement is not None else "",
            "objectives": objective_refs(el),
        }

    def block_node(el: Element, depth: int) -> dict[str, Any]:
        if depth > 20:
            raise PackageRefused(_("The blocks of cmi5.xml are nested more than 20 deep."))
        identifier = _check_iri(attr(el, "id"), "block")
        mark(identifier, "block")
        _check_order(el, BLOCK_ORDER, "block")
        index = counter["block"]
        counter["block"] += 1
        node = {
            "type": "block",
            "index": index,
            "id": identifier,
            "title": _one(_langstrings(child(el, "title"))) or identifier,
            "objectives": objective_refs(el),
            "children": walk(el, depth),
        }
        if not node["children"]:
            raise PackageRefused(_("The block '%(id)s' has no AUs.") % {"id": identifier[:200]})
        return node

    def walk(parent: Element, depth: int) -> list[dict[str, Any]]:
        found = []
        for kid in parent:
            name = _local(kid.tag)
            if name == "au":
                found.append(au_node(kid))
            elif name == "block":
                found.append(block_node(kid, depth + 1))
        return found

    tree = walk(root, 0)
    if counter["au"] == 0:
        raise PackageRefused(_("cmi5.xml has no AU to launch."))
    course_description = _one(_langstrings(child(course, "description")))
    structure: dict[str, Any] = {
        "kind": "cmi5",
        "course": {
            "id": course_id,
            "title": title,
            "description": course_description,
        },
        "objectives": objectives,
        "children": tree,
    }
    return ParsedPackage(
        standard="cmi5",
        edition="cmi5",
        identifier=course_id[:255],
        title=title[:200],
        description=str(course_description),
        structure=structure,
    )


def iter_aus(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every AU in course order."""
    found: list[dict[str, Any]] = []
    for node in nodes:
        if node["type"] == "au":
            found.append(node)
        else:
            found.extend(iter_aus(node["children"]))
    return found


def iter_blocks(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for node in nodes:
        if node["type"] == "block":
            found.append(node)
            found.extend(iter_blocks(node["children"]))
    return found
