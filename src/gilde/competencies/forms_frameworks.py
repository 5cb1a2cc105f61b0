"""Forms of the framework and function-profile pages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gilde.competencies.importing import MAX_FILE_BYTES, MAX_LEVELS, MIN_LEVELS
from gilde.competencies.models import (
    Competency,
    FrameworkVersion,
    FunctionProfile,
    Requirement,
    ScaleLevel,
)
from gilde.competencies.services import (
    CATEGORY_MAX,
    CODE_MAX,
    LABEL_MAX,
    NAME_MAX,
    code_problem,
    esco_uri_problem,
)
from gilde.tenancy.access import standing_of
from gilde.tenancy.models import Network, NetworkMembershipStatus, Organisation


@dataclass(frozen=True)
class Owner:
    """Who a framework or profile belongs to: one network or one organisation."""

    key: str
    label: str
    network: Network | None = None
    organisation: Organisation | None = None


def editable_owners(actor: Any) -> list[Owner]:
    """The networks the actor coordinates and the organisations they administer: the owners of
    frameworks and profiles they may make."""
    standing = standing_of(actor)
    owners = [
        Owner(f"network:{n.slug}", _("Network %(name)s") % {"name": n.name}, network=n)
        for n in sorted(standing.coordinated_networks(), key=lambda n: n.name)
    ]
    owners += [
        Owner(f"org:{o.slug}", o.name, organisation=o)
        for o in sorted(standing.admin_organisations(), key=lambda o: o.name)
    ]
    return owners


def profile_owners(actor: Any, version: FrameworkVersion) -> list[Owner]:
    """Owners the actor may make a profile for on this framework: a network framework serves the
    network itself and its member organisations; an organisation's framework only that
    organisation."""
    framework = version.framework
    owners = editable_owners(actor)
    if framework.organisation_id is not None:
        return [
            o for o in owners if o.organisation and o.organisation.pk == framework.organisation_id
        ]
    members = set(
        framework.network.memberships.filter(  # type: ignore[union-attr]
            status=NetworkMembershipStatus.APPROVED
        ).values_list("organisation_id", flat=True)
    )
    return [
        o
        for o in owners
        if (o.network and o.network.pk == framework.network_id)
        or (o.organisation and o.organisation.pk in members)
    ]


class OwnerField(forms.ChoiceField):
    def __init__(self, owners: Sequence[Owner], **kwargs: Any) -> None:
        super().__init__(choices=[(o.key, o.label) for o in owners], **kwargs)
        self.owners = {o.key: o for o in owners}

    def clean(self, value: Any) -> Owner:
        key = super().clean(value)
        return self.owners[key]


SCALE_DEFAULT = "default"
SCALE_CUSTOM = "custom"


def _level_choices() -> list[tuple[int, int]]:
    return [(n, n) for n in range(MIN_LEVELS, MAX_LEVELS + 1)]


class FrameworkCreateForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=NAME_MAX)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    scale = forms.ChoiceField(
        label=gettext_lazy("Scale"),
        choices=[
            (
                SCALE_DEFAULT,
                gettext_lazy("Four levels: beginner, advanced beginner, competent, expert"),
            ),
            (SCALE_CUSTOM, gettext_lazy("Another number of levels")),
        ],
        initial=SCALE_DEFAULT,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("You can change the names of the levels until you publish."),
    )
    levels = forms.TypedChoiceField(
        label=gettext_lazy("Number of levels"),
        choices=_level_choices,
        coerce=int,
        initial=5,
        required=False,
        help_text=gettext_lazy("Only used for “Another number of levels”."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scale") == SCALE_CUSTOM and not data.get("levels"):
            self.add_error("levels", _("Choose how many levels the scale has."))
        return data

    def __init__(self, *args: Any, owners: Sequence[Owner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = OwnerField(
            owners,
            label=_("Belongs to"),
            help_text=_(
                "A framework of a network is shared with all its member organisations; a "
                "framework of an organisation is only for that organisation."
            ),
        )
        self.order_fields(["name", "description", "owner", "scale", "levels"])

    def number_of_levels(self) -> int:
        if self.cleaned_data["scale"] == SCALE_DEFAULT:
            return 4
        return int(self.cleaned_data["levels"])


class NewVersionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What will change"),
        max_length=300,
        help_text=gettext_lazy(
            "A short note for the version history, for example “Two new CAM competencies”."
        ),
    )


class CompetencyForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=CODE_MAX,
        help_text=gettext_lazy(
            "Short and unique, for example CNC-01. The code stays the same in later versions."
        ),
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=NAME_MAX)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    category = forms.CharField(
        label=gettext_lazy("Category"),
        max_length=CATEGORY_MAX,
        required=False,
        help_text=gettext_lazy("Choose a category or type a new one."),
    )
    esco_uri = forms.CharField(
        label=gettext_lazy("ESCO URI"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("For example http://data.europa.eu/esco/skill/… (optional)."),
    )

    def __init__(
        self,
        *args: Any,
        version: FrameworkVersion,
        levels: Sequence[ScaleLevel],
        competency: Competency | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.levels = list(levels)
        others = version.competencies.order_by("position", "code")
        if competency is not None:
            others = others.exclude(pk=competency.pk)
        self.fields["parent"] = forms.ChoiceField(
            label=_("Part of"),
            required=False,
            choices=[("", "—")]
            + [(c.code, f"{c.code} {c.name}") for c in others.only("code", "name")],
            help_text=_("Choose a competency if this one is a part of it."),
        )
        self.category_names = list(version.categories.values_list("name", flat=True))
        self.fields["category"].widget.attrs["list"] = "category-names"
        for level in self.levels:
            self.fields[f"level_{level.value}"] = forms.CharField(
                label=_("Level %(value)d: %(label)s")
                % {"value": level.value, "label": level.label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        problem = code_problem(code)
        if problem:
            raise forms.ValidationError(problem)
        return code

    def clean_esco_uri(self) -> str:
        uri = self.cleaned_data["esco_uri"].strip()
        problem = esco_uri_problem(uri)
        if problem:
            raise forms.ValidationError(problem)
        return uri

    def level_fields(self) -> list[forms.BoundField]:
        return [self[f"level_{level.value}"] for level in self.levels]

    def descriptors(self) -> dict[int, str]:
        return {level.value: self.cleaned_data[f"level_{level.value}"] for level in self.levels}


class ScaleForm(forms.Form):
    def __init__(self, *args: Any, levels: Sequence[ScaleLevel], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.levels = list(levels)
        for level in self.levels:
            self.fields[f"label_{level.value}"] = forms.CharField(
                label=_("Name of level %(value)d") % {"value": level.value},
                max_length=LABEL_MAX,
                initial=level.label,
            )
            self.fields[f"description_{level.value}"] = forms.CharField(
                label=_("What level %(value)d means") % {"value": level.value},
                required=False,
                initial=level.description,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[ScaleLevel, forms.BoundField, forms.BoundField]]:
        return [
            (level, self[f"label_{level.value}"], self[f"description_{level.value}"])
            for level in self.levels
        ]

    def labels(self) -> dict[int, tuple[str, str]]:
        return {
            level.value: (
                self.cleaned_data[f"label_{level.value}"],
                self.cleaned_data[f"description_{level.value}"],
            )
            for level in self.levels
        }


class FrameworkFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> UploadedFile:
        upload: UploadedFile = super().clean(data, initial)
        if upload is not None and (upload.size or 0) > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)d MB. Split it into smaller files.")
                % {"max": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


def _file_field() -> FrameworkFileField:
    return FrameworkFileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "A CSV file (our own columns, or the skills file of the ESCO download) or a JSON "
            "file from an export, at most 20 MB."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.txt,.json,text/csv,application/json"}
        ),
    )


class ImportNewForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the new framework"),
        max_length=NAME_MAX,
        required=False,
        help_text=gettext_lazy("May stay empty for a JSON file: then its own name is used."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    levels = forms.TypedChoiceField(
        label=gettext_lazy("Number of levels"),
        choices=[("", gettext_lazy("As in the file")), *_level_choices()],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=gettext_lazy(
            "“As in the file”: the scale of a JSON file, or as many levels as the CSV file has "
            "level columns (four if it has none)."
        ),
    )

    def __init__(self, *args: Any, owners: Sequence[Owner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field()
        self.fields["owner"] = OwnerField(owners, label=_("Belongs to"))
        self.order_fields(["file", "owner", "name", "description", "levels"])


class ImportIntoForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What changed"),
        max_length=300,
        required=False,
        help_text=gettext_lazy(
            "For the version history. Empty: “Imported from” and the file name."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field()
        self.order_fields(["file", "note"])


# --- profiles ---------------------------------------------------------------------------------


class VersionChoiceForm(forms.Form):
    """Step one of a new profile: the published framework version it is built on."""

    def __init__(self, *args: Any, versions: Iterable[FrameworkVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.ChoiceField(
            label=_("Framework"),
            choices=[
                (
                    f"{v.framework.slug}:{v.number}",
                    _("%(framework)s, version %(number)d")
                    % {"framework": v.framework.name, "number": v.number},
                )
                for v in versions
            ],
            help_text=_("Only published versions can be used."),
        )


class ProfileForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the function"), max_length=NAME_MAX)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        competencies: Sequence[Competency],
        levels: Sequence[ScaleLevel],
        owners: Sequence[Owner] | None = None,
        current: dict[str, Requirement] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"] = OwnerField(owners, label=_("Belongs to"))
        self.competencies = list(competencies)
        level_choices = [("", _("not needed"))] + [
            (str(lv.value), f"{lv.value} {lv.label}") for lv in levels
        ]
        current = current or {}
        for c in self.competencies:
            existing = current.get(c.code)
            self.fields[f"level_{c.pk}"] = forms.TypedChoiceField(
                label=_("Required level for %(code)s") % {"code": c.code},
                choices=level_choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=str(existing.level) if existing else "",
            )
            self.fields[f"weight_{c.pk}"] = forms.IntegerField(
                label=_("Weight for %(code)s") % {"code": c.code},
                min_value=1,
                max_value=10,
                initial=existing.weight if existing else 1,
                widget=forms.NumberInput(attrs={"size": 3, "inputmode": "numeric"}),
            )

    def rows(self) -> list[tuple[Competency, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"level_{c.pk}"], self[f"weight_{c.pk}"]) for c in self.competencies]

    def requirements(self) -> dict[str, tuple[int, int]]:
        chosen: dict[str, tuple[int, int]] = {}
        for c in self.competencies:
            level = self.cleaned_data.get(f"level_{c.pk}")
            if level is not None:
                chosen[c.code] = (int(level), int(self.cleaned_data[f"weight_{c.pk}"]))
        return chosen

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.requirements():
            raise forms.ValidationError(_("Choose a required level for at least one competency."))
        return data


class ProfileChoiceForm(forms.Form):
    """Choose one profile (or none) from a list: a membership's function, one's own target."""

    def __init__(
        self, *args: Any, profiles: Iterable[FunctionProfile], label: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.profiles = {p.slug: p for p in profiles}
        self.fields["profile"] = forms.ChoiceField(
            label=label,
            required=False,
            choices=[("", _("No profile"))]
            + [
                (
                    p.slug,
                    _("%(name)s (%(framework)s)")
                    % {"name": p.name, "framework": p.version.framework.name},
                )
                for p in self.profiles.values()
            ],
        )

    def chosen(self) -> FunctionProfile | None:
        slug = self.cleaned_data.get("profile") or ""
        return self.profiles.get(slug)
