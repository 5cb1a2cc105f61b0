"""The demo log-ins as a plain-text table for the terminal (developer output, in English)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import translation

from gilde.demo.selectors import DemoLogin, role_label


def logins_table(logins: Sequence[DemoLogin]) -> str:
    header = ["Role", "Network", "Organisation", "E-mail", "Password"]
    with translation.override("en"):
        rows = [
            [role_label(login.role), login.network, login.organisation, login.email, login.password]
            for login in logins
        ]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(width) for cell, width in zip(cells, widths, strict=True)
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])
