"""The product's vocabularies, each with its one check and its one error code: claim labels,
article stances, roles, a claim's anchor states and where a final label comes from.

Labels and stances are configured (PARALLAX_LABELS, PARALLAX_STANCES: app/config.py reads
them); `check_configuration` refuses, at start-up, a vocabulary the app could not show (a
label named like one of the words the pages use for claims without one, say). Templates get
the labels through one context value and scripts through the page's data attributes: none
of them spells a label.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from flask import current_app

from app import capabilities
from app.errors import UnknownLabel, UnknownRole, UnknownStance
from app.text.anchoring import MOVED, ORPHAN

DEFAULT_LABELS = ("supporting", "contested", "unsourced")
# What the default labels mean (SPEC §2): the codebook's entry until an admin writes one, so
# that a fresh instance's tooltips and exports say what each label is.
DEFAULT_DEFINITIONS = {
    "supporting": "The claim is attributed to a named source or backed by evidence.",
    "contested": "Another source or outlet disputes it.",
    "unsourced": "It is asserted with no attribution.",
}
DEFAULT_STANCES = ("favourable", "neutral", "critical", "hostile", "mixed", "unknown")

# What stands in for a label where there is none to show. Each is a filter value, a CSS class
# and a word scripts test for, so no configured label may be named like one.
NO_FINAL_LABEL = "disputed"  # reviewers disagree and no one has adjudicated
HIDDEN = "hidden"  # blind mode hides the claim's labels from this reader
ATTENTION = "attention"  # the article page's filter: claims that moved or lost their place
RESERVED = frozenset({NO_FINAL_LABEL, HIDDEN, ATTENTION, "none", "all", "any", "stat", "button"})
# Labels go into CSS class names, data attributes and URLs as they are.
_NAME = re.compile(r"[a-z][a-z0-9_]*(?:-[a-z0-9_]+)*")
MAX_LABELS = 9  # tagged with the keys 1 to 9
MAX_NAME = 50  # limits.LABEL and limits.STANCE

# Claim.anchor: None where it was placed; MOVED when a revision changed its words and it
# followed them (a reviewer should check it); ORPHAN when its passage is gone.
ANCHOR_STATES = (MOVED, ORPHAN)

# Where a claim's final label comes from (SPEC §2).
ADJUDICATION, UNANIMITY, DISAGREEMENT = "adjudication", "unanimity", "disagreement"
INCOMPLETE, SINGLE = "incomplete", "single"
FINAL_LABEL_SOURCES = (ADJUDICATION, UNANIMITY, DISAGREEMENT, INCOMPLETE, SINGLE)


def labels() -> tuple[str, ...]:
    """The claim labels in force, in keyboard order (1, 2, 3, ...)."""
    return tuple(current_app.config["PARALLAX_LABELS"])


def stances() -> tuple[str, ...]:
    """The article stances in force."""
    return tuple(current_app.config["PARALLAX_STANCES"])


def label_class(label: str | None) -> str:
    """The CSS classes that show a label: its name, and the tone of its place among the
    labels in force (tone-1 for the first), so a label added to the configuration has its
    colour and line style without a change to the style sheet. A word standing in for a
    label (NO_FINAL_LABEL, HIDDEN) has its own class and no tone."""
    names = labels()
    if label in names:
        return f"label-{label} tone tone-{names.index(label) + 1}"
    return f"label-{label}"


def check_label(value: object) -> str:
    """A label in force, or UnknownLabel (422 unknown_label) naming the ones there are."""
    if value not in labels():
        raise UnknownLabel(f"Unknown label {value!r}; expected one of {', '.join(labels())}.")
    return value  # type: ignore[return-value]


def check_label_filter(value: object) -> str:
    """A final label to filter by: a label, or NO_FINAL_LABEL for claims without one."""
    known = (*labels(), NO_FINAL_LABEL)
    if value not in known:
        raise UnknownLabel(f"Unknown label {value!r}; expected one of {', '.join(known)}.")
    return value  # type: ignore[return-value]


def check_stance(value: object) -> str:
    """A stance in force, or UnknownStance (422 unknown_stance)."""
    if value not in stances():
        raise UnknownStance(f"Unknown stance {value!r}; expected one of {', '.join(stances())}.")
    return value  # type: ignore[return-value]


def check_role(value: object) -> str:
    """A role of the capability table, or UnknownRole (422 unknown_role)."""
    roles = capabilities.ROLES
    if value not in roles:
        raise UnknownRole(f"Unknown role {value!r}; expected one of {', '.join(roles)}.")
    return value  # type: ignore[return-value]


def final_label(
    adjudicated: str | None, given: Sequence[str], k: int = 1
) -> tuple[str | None, str]:
    """A claim's final label and where it comes from (SPEC §2), from its adjudication, the
    labels its reviewers gave and k, how many assessments its event wants (1 outside
    assigned events): the adjudication; else, once there are k assessments, the label they
    all give ("single" where k is 1 and one reviewer spoke, "unanimity" where more agree),
    or none when they disagree; below k, none ("incomplete"): one reviewer of two is no
    agreement to speak of. The one rule: the claim JSON, the pages, the export, search's
    label filter and the statistics all read it (its SQL twin is
    services.claims.final_label.final_label_condition)."""
    if adjudicated:
        return adjudicated, ADJUDICATION
    if not given or len(given) < k:
        return None, INCOMPLETE
    first = given[0]
    if any(label != first for label in given):
        return None, DISAGREEMENT
    return first, SINGLE if len(given) == 1 else UNANIMITY


def check_configuration(config: Mapping) -> None:
    """Refuse, at start-up, labels or stances the app cannot show: ValueError saying which
    and why."""
    for key, most in (("PARALLAX_LABELS", MAX_LABELS), ("PARALLAX_STANCES", None)):
        names = config.get(key)
        if isinstance(names, str) or not isinstance(names, Sequence) or not names:
            raise ValueError(f"{key} must be a list of names, e.g. {list(DEFAULT_LABELS)}.")
        for name in names:
            if not isinstance(name, str) or not _NAME.fullmatch(name) or len(name) > MAX_NAME:
                raise ValueError(
                    f"{key}: {name!r} is not a usable name: lower-case letters, digits, '_' "
                    f"and '-', starting with a letter, at most {MAX_NAME} characters."
                )
        if len(set(names)) != len(names):
            raise ValueError(f"{key} names one value twice: {list(names)}.")
        if most is not None and len(names) > most:
            raise ValueError(f"{key}: at most {most} labels (they are tagged with keys 1-{most}).")
    reserved = sorted(set(config["PARALLAX_LABELS"]) & RESERVED)
    if reserved:
        raise ValueError(
            f"PARALLAX_LABELS: {', '.join(reserved)} cannot be a label: the pages use "
            f"{', '.join(sorted(RESERVED))} for claims without one. Choose another name."
        )
    if "unknown" not in config["PARALLAX_STANCES"]:
        raise ValueError("PARALLAX_STANCES must include 'unknown', every new article's stance.")
