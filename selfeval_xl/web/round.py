"""The collection round: each 单位's status, the deadline, closing, changes to the 单位 list, the audit log.

Why one module: every page and route that moves a 单位 along (an upload, the bureau's 退回 or 通过) or
changes the collection goes through :func:`decide` and the few functions beside it, which check the
move against :data:`MOVES`, keep it and log who did it. The pages only show what this says.

A 单位 goes 未提交 → 已提交 (its first upload) → 已退回 (the bureau, with a comment the 单位 sees) →
已重报 (its next upload) → 已通过 (the bureau); 退回 again is allowed until the collection is closed.
A closed collection takes no upload and no change; its downloads still work.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
import time
from dataclasses import dataclass

from .store import AuditEntry, Collection, RoundState, Store, Unit

UNSUBMITTED, SUBMITTED, RETURNED, RESUBMITTED, ACCEPTED = "未提交", "已提交", "已退回", "已重报", "已通过"
STATUSES = (UNSUBMITTED, SUBMITTED, RETURNED, RESUBMITTED, ACCEPTED)
MOVES = {
    "upload": {UNSUBMITTED: SUBMITTED, SUBMITTED: SUBMITTED, RETURNED: RESUBMITTED, RESUBMITTED: RESUBMITTED},
    "return": {SUBMITTED: RETURNED, RESUBMITTED: RETURNED, ACCEPTED: RETURNED},
    "accept": {SUBMITTED: ACCEPTED, RESUBMITTED: ACCEPTED},
}
"""Which status each event moves a 单位 from, and to: an event from any other status is refused."""
EVENT_NAMES = {"upload": "提交", "return": "退回", "accept": "通过"}
COMMENT_MOST = 2000
NAME_MOST = 100
BUREAU = "财政局"


class RoundError(Exception):
    """A move the round does not allow; the message says why, in Chinese (and English)."""


@dataclass(frozen=True)
class UnitStatus:
    """Where a 单位 stands: its status, the bureau's last comment, whether it is past the deadline."""

    status: str
    comment: str
    overdue: bool


def who(actor: str, address: str | None) -> str:
    """The audit log's 'who': the bureau or a 单位, and the address the request came from."""
    return f"{actor}（{address}）" if address else actor


def is_closed(state: RoundState) -> bool:
    return state.closed is not None


def overdue(deadline: str, status: str, today: dt.date | None = None) -> bool:
    """Past the deadline and still owing a submission (never sent, or sent back)."""
    if not deadline or status not in (UNSUBMITTED, RETURNED):
        return False
    return (today or dt.date.today()) > dt.date.fromisoformat(deadline)


def status_of(store: Store, unit: Unit, deadline: str = "") -> UnitStatus:
    """The 单位's status as last set; without one (a collection from before the round), 已提交 once it
    has sent a file."""
    kept = store.unit_round(unit.id)
    if kept is not None:
        status, comment = kept.status, kept.comment
    else:
        status, comment = (SUBMITTED if store.submissions(unit.id) else UNSUBMITTED), ""
    return UnitStatus(status, comment, overdue(deadline, status))


def active_units(store: Store, collection_id: int) -> list[Unit]:
    """The collection's 单位, without those removed."""
    return [u for u in store.units(collection_id) if not _removed(store, u)]


def _removed(store: Store, unit: Unit) -> bool:
    kept = store.unit_round(unit.id)
    return kept is not None and kept.removed


def _open(store: Store, collection_id: int) -> RoundState:
    state = store.round_state(collection_id)
    if is_closed(state):
        raise RoundError("本次收集已结束，只能查看和下载 / this collection is closed")
    return state


def upload_refusal(store: Store, unit: Unit) -> str | None:
    """Why this 单位 cannot upload now (None: it can)."""
    if is_closed(store.round_state(unit.collection_id)):
        return "本次收集已结束，不再接收文件 / this collection is closed"
    if status_of(store, unit).status not in MOVES["upload"]:
        return "财政局已通过贵单位的材料，不再接收新文件；如需修改请联系财政局 / accepted: no more uploads"
    return None


def decide(store: Store, unit: Unit, comment: str = "", *, event: str, actor: str) -> str:
    """Move the 单位 by ``event`` (upload | return | accept), log it and return the new status;
    :class:`RoundError` when the round does not allow it."""
    _open(store, unit.collection_id)
    comment = comment.strip()[:COMMENT_MOST]
    if event == "return" and not comment:
        raise RoundError("退回时请写明原因，单位会在提交页面看到 / give the reason for returning")
    now = status_of(store, unit).status
    then = MOVES[event].get(now)
    if then is None:
        raise RoundError(f"“{now}”的单位不能{EVENT_NAMES[event]} / not allowed from {now}")
    kept = store.unit_round(unit.id)
    store.set_unit_round(unit.id, then, comment if event == "return" else (kept.comment if kept else ""))
    if then != now or event != "upload":
        store.log(unit.collection_id, unit.id, actor, f"{now} → {then}", comment)
    return then


def start_upload(store: Store, unit: Unit) -> str | None:
    """Before an upload's files are kept: why the 单位 cannot upload now (:func:`upload_refusal`), else
    None, its status as it stands kept first when none was (its submissions say it, and the upload is
    about to add to them: :func:`record_upload` moves it from there)."""
    refusal = upload_refusal(store, unit)
    if refusal is None and store.unit_round(unit.id) is None:
        store.set_unit_round(unit.id, status_of(store, unit).status, "")
    return refusal


def record_upload(store: Store, unit: Unit, actor: str, names: list[str]) -> str | None:
    """The files of one upload, once kept: the 单位 moved by :func:`decide` and the files logged. Why
    after, not before: a client that leaves mid-upload has its work dropped (:mod:`.workers`), and a
    单位 must not stand 已提交 with nothing kept. Returns why the round refused the move (closed or
    accepted since the page was drawn: what was kept stays, the status does not move), else None."""
    if not names:
        return None
    try:
        decide(store, unit, event="upload", actor=actor)
    except RoundError as exc:
        return str(exc)
    store.log(unit.collection_id, unit.id, actor, "上传文件", "、".join(names)[:COMMENT_MOST])
    return None


def set_deadline(store: Store, collection: Collection, deadline: str, *, actor: str) -> None:
    """``YYYY-MM-DD``, or "" for none (RoundError for anything else)."""
    state = _open(store, collection.id)
    deadline = deadline.strip()
    if deadline:
        try:
            deadline = dt.date.fromisoformat(deadline).isoformat()
        except ValueError:
            raise RoundError("截止日期请写成 2025-03-31 的形式 / a date as YYYY-MM-DD") from None
    store.set_round_state(collection.id, deadline, state.closed)
    store.log(collection.id, None, actor, "设定截止日期" if deadline else "取消截止日期", deadline)


def close(store: Store, collection: Collection, *, actor: str) -> None:
    state = _open(store, collection.id)
    store.set_round_state(collection.id, state.deadline, time.time())
    store.log(collection.id, None, actor, "结束收集")


def reopen(store: Store, collection: Collection, *, actor: str) -> None:
    state = store.round_state(collection.id)
    store.set_round_state(collection.id, state.deadline, None)
    store.log(collection.id, None, actor, "重新开放收集")


def _name(text: str) -> str:
    from .unitlist import from_text

    names = from_text(text)
    if len(names) != 1:
        raise RoundError("请填写一个单位名称 / give one 单位 name")
    return names[0][:NAME_MOST]


def add_unit(store: Store, collection: Collection, text: str, *, actor: str) -> Unit:
    _open(store, collection.id)
    name = _name(text)
    try:
        unit = store.add_unit(collection.id, name)
    except sqlite3.IntegrityError:
        raise RoundError(f"已有名为“{name}”的单位 / that 单位 exists") from None
    store.log(collection.id, unit.id, actor, "添加单位", name)
    return unit


def rename_unit(store: Store, unit: Unit, text: str, *, actor: str) -> None:
    _open(store, unit.collection_id)
    name = _name(text)
    try:
        store.rename_unit(unit.id, name)
    except sqlite3.IntegrityError:
        raise RoundError(f"已有名为“{name}”的单位 / that 单位 exists") from None
    store.log(unit.collection_id, unit.id, actor, "单位改名", f"{unit.name} → {name}")


def remove_unit(store: Store, unit: Unit, *, actor: str) -> None:
    """The 单位 leaves the collection: its link stops working, its files are kept (and logged)."""
    _open(store, unit.collection_id)
    current = status_of(store, unit)
    store.revoke_unit(unit.id)
    store.set_unit_round(unit.id, current.status, current.comment, removed=True)
    store.log(unit.collection_id, unit.id, actor, "移除单位", unit.name)


def log_link(store: Store, unit: Unit, actor: str, what: str) -> None:
    """A link renewed or taken back, in the log (the store does the change)."""
    _open(store, unit.collection_id)
    store.log(unit.collection_id, unit.id, actor, what, unit.name)


def audit_view(store: Store, collection_id: int, most: int = 200) -> list[tuple[AuditEntry, str]]:
    """The log's latest entries, each with the name of its 单位 (removed ones too)."""
    names = {u.id: u.name for u in store.units(collection_id)}
    return [(e, names.get(e.unit_id, "") if e.unit_id else "") for e in store.audit(collection_id, most)]
