"""The rule of multilevel agreements: a child may tighten what it inherits, never loosen it.

*Tighter* is judged from the side of the party the promise protects:

* a target is tighter when it allows no more time for every key (``by`` value) the parent names and for
  every key the child adds; two durations are comparable when both are fixed lengths (open time on a
  business calendar, wall time on 24x7) or both count working days;
* a goal is tighter when it is at least the parent's;
* service credits are tighter when, at every compliance level, the child owes at least the parent's
  credit (tiers are step functions, so comparing them just below every threshold of either suffices),
  with a cap no lower; per-record compensation keeps its basis and a cap no lower;
* claims are tighter when customers have at least as long to file and the provider no longer to respond.

Each check calls ``fail(message, field_path)`` to build the error at the child's line.
"""

from __future__ import annotations

from collections.abc import Callable

from ukur.errors import AgreementError
from ukur.sla.agreement import TWENTY_FOUR_SEVEN, ClaimsPolicy, Objective, Penalty, Target
from ukur.sla.duration import Duration

__all__ = ["check_claims", "check_objective", "check_penalty", "credit_at", "duration_measure"]

Fail = Callable[[str, tuple[str | int, ...]], AgreementError]


def duration_measure(duration: Duration, *, always_open: bool) -> tuple[str, float]:
    """A comparable reading of a duration: ``("s", seconds)`` for fixed lengths, ``("bd", days)`` for
    working days (plus any extra hours as a fraction of a day, which orders ``1d4h`` after ``1d``)."""
    if duration.seconds is not None and (always_open or duration.business_days is None):
        return ("s", duration.seconds)
    days = duration.business_days or 0
    return ("bd", days + duration.remainder_seconds / 86400.0)


def _not_longer(child: Duration, parent: Duration, *, always_open: bool) -> bool | None:
    """``True``/``False`` when comparable, ``None`` when one counts working days and the other hours."""
    a = duration_measure(child, always_open=always_open)
    b = duration_measure(parent, always_open=always_open)
    if a[0] != b[0]:
        return None
    return a[1] <= b[1]


def check_objective(child: Objective, parent: Objective, parent_id: str, fail: Fail) -> None:
    """Raise when ``child`` (a restated inherited objective) is looser than ``parent``."""
    if child.goal < parent.goal:
        raise fail(
            f"goal {child.goal:.4%} loosens {parent_id!r}'s goal {parent.goal:.4%} (a child may only raise it)",
            ("goal",),
        )
    if child.target is not None and parent.target is not None and child.target != parent.target:
        _check_target(child.target, parent.target, child.calendar == TWENTY_FOUR_SEVEN, parent_id, fail)


def _check_target(child: Target, parent: Target, always_open: bool, parent_id: str, fail: Fail) -> None:
    if child.by is not None and parent.by is not None and child.by != parent.by:
        raise fail(
            f"target by {child.by!r} differs from {parent_id!r}'s target by {parent.by!r}", ("target", "by")
        )
    keys = [k for k, _ in parent.items()] + [k for k, _ in child.items()]
    for key in dict.fromkeys(keys):
        mine = child.for_key(key) if key is not None else child.default
        theirs = parent.for_key(key) if key is not None else parent.default
        if theirs is None:
            continue
        field: tuple[str | int, ...] = (
            ("target",) if child.by is None else ("target", key if key is not None else "default")
        )
        if mine is None:
            raise fail(
                f"{parent_id!r} gives {_key(key)} a target of {theirs.text}; the child must give one too",
                ("target",),
            )
        ok = _not_longer(mine, theirs, always_open=always_open)
        if ok is None:
            raise fail(
                f"cannot tell whether {mine.text!r} is tighter than {parent_id!r}'s {theirs.text!r}; "
                "write both in hours or both in days",
                field,
            )
        if not ok:
            raise fail(
                f"target {mine.text} for {_key(key)} loosens {parent_id!r}'s {theirs.text} "
                "(a child may only shorten targets)",
                field,
            )


def _key(key: str | None) -> str:
    return "every record" if key is None else f"{key!r}"


def credit_at(penalty: Penalty, compliance: float) -> float:
    """The credit (fraction of the fee) owed at ``compliance``: the applicable tier, capped."""
    tier = penalty.tier_for(compliance)
    credit = tier.credit if tier is not None else 0.0
    return min(credit, penalty.cap) if penalty.cap is not None else credit


def check_penalty(child: Penalty, parent: Penalty, parent_id: str, fail: Fail) -> None:
    """Raise when the child's penalty owes less than the parent's at some compliance level."""
    points = {0.0} | {t.below - 1e-9 for t in (*child.credits, *parent.credits)}
    for level in sorted(points):
        if level < 0:
            continue
        mine, theirs = credit_at(child, level), credit_at(parent, level)
        if mine < theirs - 1e-12:
            raise fail(
                f"at {level:.2%} compliance the child owes a credit of {mine:.2%} but {parent_id!r} owes "
                f"{theirs:.2%} (a child may only raise credits)",
                ("cap",) if child.cap is not None and mine == child.cap else ("credits",),
            )
    if parent.per_record is not None:
        mine_p, theirs_p = child.per_record, parent.per_record
        if mine_p is None:
            raise fail(f"{parent_id!r} pays per-record compensation; the child must keep it", ("per_record",))
        if (mine_p.field, mine_p.amount) != (theirs_p.field, theirs_p.amount) and not (
            mine_p.amount is not None and theirs_p.amount is not None and mine_p.amount >= theirs_p.amount
        ):
            raise fail(f"the compensation basis differs from {parent_id!r}'s", ("per_record", "compensation"))
        if (theirs_p.cap is None and mine_p.cap is not None) or (
            theirs_p.cap is not None and mine_p.cap is not None and mine_p.cap < theirs_p.cap
        ):
            raise fail(
                f"cap {mine_p.cap:g} is below {parent_id!r}'s {theirs_p.cap if theirs_p.cap is not None else 'none'}",
                ("per_record", "cap"),
            )


def check_claims(child: ClaimsPolicy, parent: ClaimsPolicy, parent_id: str, fail: Fail) -> None:
    """Raise when the child gives customers less time to file or the provider more time to respond."""
    always_open = child.calendar == TWENTY_FOUR_SEVEN
    if child.calendar != parent.calendar:
        raise fail(f"claims are counted on {parent_id!r}'s calendar {parent.calendar!r}", ("calendar",))
    if child.file_within is not None and parent.file_within is not None:
        ok = _not_longer(parent.file_within, child.file_within, always_open=always_open)
        if ok is False:
            raise fail(
                f"file_within {child.file_within.text} is shorter than {parent_id!r}'s {parent.file_within.text}",
                ("file_within",),
            )
    if child.respond_within is not None and parent.respond_within is not None:
        ok = _not_longer(child.respond_within, parent.respond_within, always_open=always_open)
        if ok is False:
            raise fail(
                f"respond_within {child.respond_within.text} is longer than "
                f"{parent_id!r}'s {parent.respond_within.text}",
                ("respond_within",),
            )
