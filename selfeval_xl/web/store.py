"""Where the web face keeps what it is given: collections, 单位 and their links, submissions, files.

Why one small interface (:class:`Store`): a bureau starts on one office PC with SQLite and files under
``--data`` (:class:`SqliteStore`); a later server database implements the same methods and nothing else
changes. Files are kept by content hash (``blobs/ab/abcdef….xlsx``), never at a path made from a
client's file name; the name a client gave is only ever shown, after escaping.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

TOKEN_BYTES = 24
"""``secrets.token_urlsafe(24)``: 192 bits, unguessable."""


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """The bureau's password and sessions are stored hashed, and so are the links (see :class:`SqliteStore`)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


HASHED = "h:"
"""A stored link that starts so is the hash of the link; older stores hold the link itself, still read."""


@dataclass(frozen=True)
class Collection:
    id: int
    year: int
    system: str
    title: str


@dataclass(frozen=True)
class Unit:
    id: int
    collection_id: int
    name: str
    revoked: bool
    token: str | None           # the 单位's upload link; None once revoked


@dataclass(frozen=True)
class Submission:
    """One uploaded file and what the check said about it. ``result`` is the page's data (JSON-able):
    the check's FileReport as a dict, the tables' grids, the scores; ``scored`` the hash and suffix of
    the scored workbook (``<sha256>.xlsx``), if one could be written. ``table_key`` says which table
    this is a version of."""

    id: int
    unit_id: int | None
    token: str                  # the result page's own link (the department page has no 单位)
    filename: str
    blob: str
    suffix: str
    uploaded: float
    table_key: str
    result: dict[str, Any]
    scored: str | None


@dataclass(frozen=True)
class RoundState:
    """A collection's round: its deadline (``YYYY-MM-DD``, "" for none) and when it was closed."""

    deadline: str
    closed: float | None


@dataclass(frozen=True)
class UnitRound:
    """A 单位's place in the round as last set (None: never set; its submissions say)."""

    status: str
    comment: str
    changed: float
    removed: bool


@dataclass(frozen=True)
class AuditEntry:
    id: int
    collection_id: int
    unit_id: int | None
    at: float
    who: str
    what: str
    detail: str


@dataclass(frozen=True)
class ReviewDraw:
    """A draw of the 复核 tab: who made it and when, its seed and size, the draw as recorded
    (:meth:`selfeval_xl.review.Draw.to_json`) and the 底稿 written for it (``<sha256>.xlsx``)."""

    id: int
    collection_id: int
    at: float
    who: str
    seed: int
    n: int
    record: str
    sheet: str


@dataclass(frozen=True)
class ReviewReport:
    """A filled 底稿 read back: the upload (``filled``), the 复核报告 written (``report``, both
    ``<sha256>.xlsx``) and what the page shows of it (``summary``, JSON-able)."""

    id: int
    draw_id: int
    at: float
    who: str
    filename: str
    filled: str
    report: str
    summary: dict[str, Any]


@dataclass(frozen=True)
class Publication:
    """A 单位's 复核结论 as the bureau published it to the 单位's page: a copy of that 单位's part of
    one report (``content``, JSON-able), kept as published whatever later reports say."""

    unit_id: int
    report_id: int
    at: float
    who: str
    content: dict[str, Any]


@dataclass(frozen=True)
class Job:
    """A zip unpacked and checked in the background: ``done`` of ``total`` files."""

    id: int
    unit_id: int
    total: int
    done: int
    state: str                  # running | finished | failed
    message: str


class Store(Protocol):
    """What the web face needs from storage, and nothing more."""

    def put_file(self, data_path: Path, suffix: str) -> str: ...
    def file_path(self, digest: str, suffix: str) -> Path: ...
    def discard_file(self, digest: str, suffix: str) -> None: ...
    def scratch(self) -> Path: ...

    def setting(self, key: str) -> str | None: ...
    def set_setting(self, key: str, value: str) -> None: ...

    def create_collection(self, year: int, system: str, title: str, units: list[str]) -> tuple[Collection, dict[str, str]]: ...
    def collections(self) -> list[Collection]: ...
    def collection(self, collection_id: int) -> Collection | None: ...
    def units(self, collection_id: int) -> list[Unit]: ...
    def unit_by_token(self, token: str) -> Unit | None: ...
    def renew_unit_token(self, unit_id: int) -> str: ...
    def revoke_unit(self, unit_id: int) -> None: ...

    def add_submission(self, unit_id: int | None, filename: str, blob: str, suffix: str, table_key: str,
                       result: dict[str, Any], scored: str | None) -> Submission: ...
    def submission_by_token(self, token: str) -> Submission | None: ...
    def replace_result(self, submission_id: int, result: dict[str, Any]) -> None: ...
    def submissions(self, unit_id: int) -> list[Submission]: ...

    def start_job(self, unit_id: int, total: int) -> Job: ...
    def advance_job(self, job_id: int, done: int, state: str = "running", message: str = "",
                    total: int | None = None) -> None: ...
    def jobs(self, unit_id: int) -> list[Job]: ...
    def end_running_jobs(self, message: str) -> None: ...

    def new_session(self) -> str: ...
    def session_valid(self, token: str) -> bool: ...
    def end_session(self, token: str) -> None: ...
    def end_sessions(self) -> None: ...

    def round_state(self, collection_id: int) -> RoundState: ...
    def set_round_state(self, collection_id: int, deadline: str, closed: float | None) -> None: ...
    def unit_round(self, unit_id: int) -> UnitRound | None: ...
    def set_unit_round(self, unit_id: int, status: str, comment: str, removed: bool = False) -> None: ...
    def add_unit(self, collection_id: int, name: str) -> Unit: ...
    def rename_unit(self, unit_id: int, name: str) -> None: ...
    def log(self, collection_id: int, unit_id: int | None, who: str, what: str, detail: str = "") -> None: ...
    def audit(self, collection_id: int, most: int = -1) -> list[AuditEntry]: ...

    def purge_before(self, cutoff: float) -> int: ...

    def add_draw(self, collection_id: int, who: str, seed: int, n: int, record: str, sheet: str) -> ReviewDraw: ...
    def draws(self, collection_id: int) -> list[ReviewDraw]: ...
    def add_review_report(self, draw_id: int, who: str, filename: str, filled: str, report: str,
                          summary: dict[str, Any]) -> ReviewReport: ...
    def review_reports(self, draw_id: int) -> list[ReviewReport]: ...
    def publish(self, unit_id: int, report_id: int, who: str, content: dict[str, Any]) -> Publication: ...
    def withdraw(self, unit_id: int) -> None: ...
    def publication(self, unit_id: int) -> Publication | None: ...


SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS collections (id INTEGER PRIMARY KEY, year INTEGER NOT NULL, system TEXT NOT NULL,
    title TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS units (id INTEGER PRIMARY KEY, collection_id INTEGER NOT NULL REFERENCES collections(id),
    name TEXT NOT NULL, token TEXT UNIQUE, revoked INTEGER NOT NULL DEFAULT 0, UNIQUE (collection_id, name));
CREATE TABLE IF NOT EXISTS submissions (id INTEGER PRIMARY KEY, unit_id INTEGER REFERENCES units(id),
    token TEXT UNIQUE NOT NULL, filename TEXT NOT NULL, blob TEXT NOT NULL,
    suffix TEXT NOT NULL, uploaded REAL NOT NULL, table_key TEXT NOT NULL, result TEXT NOT NULL, scored TEXT);
CREATE INDEX IF NOT EXISTS submissions_unit ON submissions (unit_id, table_key, id);
CREATE TABLE IF NOT EXISTS jobs (id INTEGER PRIMARY KEY, unit_id INTEGER NOT NULL REFERENCES units(id),
    total INTEGER NOT NULL, done INTEGER NOT NULL, state TEXT NOT NULL, message TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS sessions (token_hash TEXT PRIMARY KEY, created REAL NOT NULL);
"""

ROUND_SCHEMA = """
CREATE TABLE IF NOT EXISTS round_collections (collection_id INTEGER PRIMARY KEY REFERENCES collections(id),
    deadline TEXT NOT NULL DEFAULT '', closed REAL);
CREATE TABLE IF NOT EXISTS round_units (unit_id INTEGER PRIMARY KEY REFERENCES units(id),
    status TEXT NOT NULL, comment TEXT NOT NULL DEFAULT '', changed REAL NOT NULL, removed INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY, collection_id INTEGER NOT NULL, unit_id INTEGER,
    at REAL NOT NULL, who TEXT NOT NULL, what TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS audit_collection ON audit (collection_id, id);
"""
"""The collection round (:mod:`.round`): added tables only, so a folder written before reads as it was
(a 单位 without a row is 未提交 or 已提交 by its submissions, a collection without one is open)."""

REVIEW_SCHEMA = """
CREATE TABLE IF NOT EXISTS review_draws (id INTEGER PRIMARY KEY, collection_id INTEGER NOT NULL REFERENCES collections(id),
    at REAL NOT NULL, who TEXT NOT NULL, seed INTEGER NOT NULL, n INTEGER NOT NULL, record TEXT NOT NULL,
    sheet TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS review_reports (id INTEGER PRIMARY KEY, draw_id INTEGER NOT NULL REFERENCES review_draws(id),
    at REAL NOT NULL, who TEXT NOT NULL, filename TEXT NOT NULL, filled TEXT NOT NULL, report TEXT NOT NULL,
    summary BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS review_publications (unit_id INTEGER PRIMARY KEY REFERENCES units(id),
    report_id INTEGER NOT NULL REFERENCES review_reports(id), at REAL NOT NULL, who TEXT NOT NULL,
    content BLOB NOT NULL);
"""
"""The 复核 tab (:mod:`.review_tab`): added tables only, as the round's. Retention deletes only the files
of the submissions it deletes, so a draw's and a report's files stay with their rows."""

SESSION_SECONDS = 12 * 3600


def _packed(result: dict[str, Any]) -> bytes:
    return zlib.compress(json.dumps(result, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)


def _unpacked(stored: bytes | str) -> dict[str, Any]:
    """A stored result: compressed JSON, or (an older store) JSON text."""
    return json.loads(zlib.decompress(stored) if isinstance(stored, bytes) else stored)


ADDED_COLUMNS = {"units": "nonce TEXT", "submissions": "nonce TEXT"}
"""Columns a store made before links were hashed lacks (added on open; its rows keep their links)."""
KEY_FILE = "link.key"


class SqliteStore:
    """The embedded default: ``selfeval.sqlite3``, ``blobs/`` and ``link.key`` under one folder, which is
    made readable by its owner only (0700).

    Links (a 单位's, a result page's) are stored hashed: each row keeps a random nonce and the hash of
    its link, and the link itself is the nonce signed with ``link.key`` (HMAC-SHA256), so the bureau's
    dashboard can show a 单位's link again while a copy of the database alone opens nothing. Rows of
    an older store hold their link as it was and are still read. Results are kept compressed (JSON,
    zlib); older rows of plain JSON are still read."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if hasattr(os, "getuid") and self.folder.stat().st_uid == os.getuid():
            self.folder.chmod(0o700)                 # an older folder made world-readable: closed now
        (self.folder / "blobs").mkdir(exist_ok=True)
        (self.folder / "tmp").mkdir(exist_ok=True)
        self._key = self._link_key()
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.folder / "selfeval.sqlite3", check_same_thread=False,
                                   isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA + ROUND_SCHEMA + REVIEW_SCHEMA)
        for table, column in ADDED_COLUMNS.items():
            if column.split()[0] not in {r[1] for r in self._db.execute(f"PRAGMA table_info({table})")}:
                self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column}")

    def _link_key(self) -> bytes:
        path = self.folder / KEY_FILE
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_bytes()
        with os.fdopen(handle, "wb") as out:
            out.write(secrets.token_bytes(32))
        return path.read_bytes()

    def _link(self, nonce: str | None, stored: str | None) -> str | None:
        """The link of a row: its nonce signed (a row of an older store: the link it holds)."""
        if nonce is None:
            return stored
        mac = hmac.new(self._key, nonce.encode("ascii"), hashlib.sha256).digest()[:TOKEN_BYTES]
        return base64.urlsafe_b64encode(mac).decode("ascii")

    def _new_link(self) -> tuple[str, str, str]:
        """(nonce, the link, what the row stores for it)."""
        nonce = new_token()
        link = self._link(nonce, None)
        return nonce, link, HASHED + token_hash(link)

    @staticmethod
    def _lookup(link: str) -> tuple[str, str]:
        """What a row holds for this link, hashed or (an older row) as it is."""
        return HASHED + token_hash(link), link

    def _run(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # -- files ------------------------------------------------------------------------------------
    def file_path(self, digest: str, suffix: str) -> Path:
        if not (len(digest) == 64 and all(ch in "0123456789abcdef" for ch in digest)):
            raise ValueError("not a content hash")
        return self.folder / "blobs" / digest[:2] / f"{digest}{suffix}"

    def put_file(self, data_path: Path, suffix: str) -> str:
        """Move a finished upload into the store under its SHA-256; the same bytes are kept once."""
        digest = hashlib.sha256()
        with open(data_path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        name = digest.hexdigest()
        target = self.file_path(name, suffix)
        target.parent.mkdir(exist_ok=True)
        if target.exists():
            Path(data_path).unlink()
            os.utime(target)                     # in use again: retention keeps it (see purge_before)
        else:
            Path(data_path).replace(target)
        return name

    def scratch(self) -> Path:
        return self.folder / "tmp"

    def discard_file(self, digest: str, suffix: str) -> None:
        """A stored file that no submission keeps deleted (an upload whose client left before its answer)."""
        scored = digest + suffix
        with self._lock:
            used = self._db.execute("SELECT 1 FROM submissions WHERE (blob = ? AND suffix = ?) OR scored = ? LIMIT 1",
                                    (digest, suffix, scored)).fetchall()
            if not used:
                self.file_path(digest, suffix).unlink(missing_ok=True)

    # -- settings ---------------------------------------------------------------------------------
    def setting(self, key: str) -> str | None:
        rows = self._run("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_setting(self, key: str, value: str) -> None:
        self._run("INSERT INTO settings (key, value) VALUES (?, ?) "
                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    # -- collections and 单位 ----------------------------------------------------------------------
    def create_collection(self, year: int, system: str, title: str, units: list[str]) -> tuple[Collection, dict[str, str]]:
        """A collection and one link token per 单位 (stored hashed)."""
        with self._lock:
            self._db.execute("BEGIN")
            cur = self._db.execute("INSERT INTO collections (year, system, title, created) VALUES (?, ?, ?, ?)",
                                   (year, system, title, time.time()))
            cid = cur.lastrowid
            tokens = {}
            for name in dict.fromkeys(units):
                nonce, tokens[name], stored = self._new_link()
                self._db.execute("INSERT INTO units (collection_id, name, token, nonce) VALUES (?, ?, ?, ?)",
                                 (cid, name, stored, nonce))
            self._db.execute("COMMIT")
        return Collection(cid, year, system, title), tokens

    def collections(self) -> list[Collection]:
        return [Collection(*r) for r in self._run("SELECT id, year, system, title FROM collections ORDER BY id DESC")]

    def collection(self, collection_id: int) -> Collection | None:
        rows = self._run("SELECT id, year, system, title FROM collections WHERE id = ?", (collection_id,))
        return Collection(*rows[0]) if rows else None

    def _unit(self, row: tuple) -> Unit:
        return Unit(row[0], row[1], row[2], bool(row[3]), None if row[3] else self._link(row[5], row[4]))

    def units(self, collection_id: int) -> list[Unit]:
        return [self._unit(r) for r in
                self._run("SELECT id, collection_id, name, revoked, token, nonce FROM units WHERE collection_id = ? "
                          "ORDER BY id", (collection_id,))]

    def unit_by_token(self, token: str) -> Unit | None:
        rows = self._run("SELECT id, collection_id, name, revoked, token, nonce FROM units "
                         "WHERE token IN (?, ?) AND revoked = 0", self._lookup(token))
        return self._unit(rows[0]) if rows else None

    def renew_unit_token(self, unit_id: int) -> str:
        """A new link for a 单位; the old one stops working at once."""
        nonce, link, stored = self._new_link()
        self._run("UPDATE units SET token = ?, nonce = ?, revoked = 0 WHERE id = ?", (stored, nonce, unit_id))
        return link

    def revoke_unit(self, unit_id: int) -> None:
        self._run("UPDATE units SET token = NULL, nonce = NULL, revoked = 1 WHERE id = ?", (unit_id,))

    # -- submissions ------------------------------------------------------------------------------
    def add_submission(self, unit_id: int | None, filename: str, blob: str, suffix: str, table_key: str,
                       result: dict[str, Any], scored: str | None) -> Submission:
        nonce, token, stored = self._new_link()
        now = time.time()
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO submissions (unit_id, token, nonce, filename, blob, suffix, uploaded, table_key,"
                " result, scored) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (unit_id, stored, nonce, filename, blob, suffix, now, table_key, _packed(result), scored))
        return Submission(cur.lastrowid, unit_id, token, filename, blob, suffix, now, table_key, result, scored)

    def replace_result(self, submission_id: int, result: dict[str, Any]) -> None:
        """A new verdict for a stored file (a report re-checked once its 单位's tables are in)."""
        self._run("UPDATE submissions SET result = ? WHERE id = ?", (_packed(result), submission_id))

    _COLUMNS = "id, unit_id, token, filename, blob, suffix, uploaded, table_key, result, scored, nonce"

    def _submission(self, row: tuple) -> Submission:
        return Submission(row[0], row[1], self._link(row[10], row[2]), *row[3:8], _unpacked(row[8]), row[9])

    def submission_by_token(self, token: str) -> Submission | None:
        rows = self._run(f"SELECT {self._COLUMNS} FROM submissions WHERE token IN (?, ?)", self._lookup(token))
        return self._submission(rows[0]) if rows else None

    def submissions(self, unit_id: int) -> list[Submission]:
        """A 单位's submissions, oldest first."""
        return [self._submission(r) for r in
                self._run(f"SELECT {self._COLUMNS} FROM submissions WHERE unit_id = ? ORDER BY id", (unit_id,))]

    # -- background jobs --------------------------------------------------------------------------
    def start_job(self, unit_id: int, total: int) -> Job:
        with self._lock:
            cur = self._db.execute("INSERT INTO jobs (unit_id, total, done, state) VALUES (?, ?, 0, 'running')",
                                   (unit_id, total))
        return Job(cur.lastrowid, unit_id, total, 0, "running", "")

    def advance_job(self, job_id: int, done: int, state: str = "running", message: str = "",
                    total: int | None = None) -> None:
        self._run("UPDATE jobs SET done = ?, state = ?, message = ?, total = COALESCE(?, total) WHERE id = ?",
                  (done, state, message, total, job_id))

    def jobs(self, unit_id: int) -> list[Job]:
        return [Job(*r) for r in self._run("SELECT id, unit_id, total, done, state, message FROM jobs "
                                           "WHERE unit_id = ? ORDER BY id DESC", (unit_id,))]

    def end_running_jobs(self, message: str) -> None:
        """At start-up: a job still running was cut off when the server last stopped."""
        self._run("UPDATE jobs SET state = 'failed', message = ? WHERE state = 'running'", (message,))

    # -- the bureau's sessions --------------------------------------------------------------------
    def new_session(self) -> str:
        """A bureau session (the sessions that have expired are deleted: the table stays small)."""
        token, now = new_token(), time.time()
        self._run("DELETE FROM sessions WHERE created < ?", (now - SESSION_SECONDS,))
        self._run("INSERT INTO sessions (token_hash, created) VALUES (?, ?)", (token_hash(token), now))
        return token

    def session_valid(self, token: str) -> bool:
        rows = self._run("SELECT created FROM sessions WHERE token_hash = ?", (token_hash(token),))
        return bool(rows) and time.time() - rows[0][0] < SESSION_SECONDS

    def end_session(self, token: str) -> None:
        """Log out: the session is gone from the server, whatever the browser keeps."""
        self._run("DELETE FROM sessions WHERE token_hash = ?", (token_hash(token),))

    def end_sessions(self) -> None:
        self._run("DELETE FROM sessions")

    # -- the collection round (:mod:`.round` decides; this keeps) ----------------------------------
    def round_state(self, collection_id: int) -> RoundState:
        rows = self._run("SELECT deadline, closed FROM round_collections WHERE collection_id = ?", (collection_id,))
        return RoundState(*rows[0]) if rows else RoundState("", None)

    def set_round_state(self, collection_id: int, deadline: str, closed: float | None) -> None:
        self._run("INSERT INTO round_collections (collection_id, deadline, closed) VALUES (?, ?, ?) "
                  "ON CONFLICT (collection_id) DO UPDATE SET deadline = excluded.deadline, closed = excluded.closed",
                  (collection_id, deadline, closed))

    def unit_round(self, unit_id: int) -> UnitRound | None:
        rows = self._run("SELECT status, comment, changed, removed FROM round_units WHERE unit_id = ?", (unit_id,))
        return UnitRound(rows[0][0], rows[0][1], rows[0][2], bool(rows[0][3])) if rows else None

    def set_unit_round(self, unit_id: int, status: str, comment: str, removed: bool = False) -> None:
        self._run("INSERT INTO round_units (unit_id, status, comment, changed, removed) VALUES (?, ?, ?, ?, ?) "
                  "ON CONFLICT (unit_id) DO UPDATE SET status = excluded.status, comment = excluded.comment, "
                  "changed = excluded.changed, removed = excluded.removed",
                  (unit_id, status, comment, time.time(), int(removed)))

    def add_unit(self, collection_id: int, name: str) -> Unit:
        """A 单位 added after the collection was made (sqlite3.IntegrityError when the name is taken)."""
        nonce, link, stored = self._new_link()
        with self._lock:
            cur = self._db.execute("INSERT INTO units (collection_id, name, token, nonce) VALUES (?, ?, ?, ?)",
                                   (collection_id, name, stored, nonce))
        return Unit(cur.lastrowid, collection_id, name, False, link)

    def rename_unit(self, unit_id: int, name: str) -> None:
        """(sqlite3.IntegrityError when another 单位 of the collection has the name.)"""
        self._run("UPDATE units SET name = ? WHERE id = ?", (name, unit_id))

    def log(self, collection_id: int, unit_id: int | None, who: str, what: str, detail: str = "") -> None:
        self._run("INSERT INTO audit (collection_id, unit_id, at, who, what, detail) VALUES (?, ?, ?, ?, ?, ?)",
                  (collection_id, unit_id, time.time(), who, what, detail))

    def audit(self, collection_id: int, most: int = -1) -> list[AuditEntry]:
        """The collection's log, newest first: its ``most`` latest entries (-1: all; the dashboard reads
        only what it shows, however long a round's log has grown)."""
        return [AuditEntry(*r) for r in self._run("SELECT id, collection_id, unit_id, at, who, what, detail FROM audit "
                                                  "WHERE collection_id = ? ORDER BY id DESC LIMIT ?",
                                                  (collection_id, most))]

    # -- retention --------------------------------------------------------------------------------
    def purge_before(self, cutoff: float) -> int:
        """Submissions uploaded before ``cutoff`` (a time stamp) deleted, with every stored file no
        longer kept for another; returns how many submissions went."""
        with self._lock:
            self._db.execute("BEGIN")
            gone = self._db.execute("SELECT blob, suffix, scored FROM submissions WHERE uploaded < ?",
                                    (cutoff,)).fetchall()
            self._db.execute("DELETE FROM submissions WHERE uploaded < ?", (cutoff,))
            kept = {(b, s) for b, s in self._db.execute("SELECT blob, suffix FROM submissions")}
            kept |= {(s[:64], s[64:]) for (s,) in self._db.execute(
                "SELECT scored FROM submissions WHERE scored IS NOT NULL")}
            self._db.execute("COMMIT")
        files = {(b, s) for b, s, _ in gone} | {(sc[:64], sc[64:]) for _, _, sc in gone if sc}
        for digest, suffix in files - kept:
            path = self.file_path(digest, suffix)
            if path.exists() and path.stat().st_mtime < cutoff:     # not just uploaded again
                path.unlink(missing_ok=True)
        return len(gone)

    # -- the 复核 tab -------------------------------------------------------------------------------
    def add_draw(self, collection_id: int, who: str, seed: int, n: int, record: str, sheet: str) -> ReviewDraw:
        at = time.time()
        with self._lock:
            cursor = self._db.execute("INSERT INTO review_draws (collection_id, at, who, seed, n, record, sheet) "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?)", (collection_id, at, who, seed, n, record, sheet))
        return ReviewDraw(cursor.lastrowid, collection_id, at, who, seed, n, record, sheet)

    def draws(self, collection_id: int) -> list[ReviewDraw]:
        """The collection's draws, newest first."""
        return [ReviewDraw(*r) for r in self._run("SELECT id, collection_id, at, who, seed, n, record, sheet "
                                                  "FROM review_draws WHERE collection_id = ? ORDER BY id DESC",
                                                  (collection_id,))]

    def add_review_report(self, draw_id: int, who: str, filename: str, filled: str, report: str,
                          summary: dict[str, Any]) -> ReviewReport:
        at = time.time()
        with self._lock:
            cursor = self._db.execute("INSERT INTO review_reports (draw_id, at, who, filename, filled, report, summary) "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                      (draw_id, at, who, filename, filled, report, _packed(summary)))
        return ReviewReport(cursor.lastrowid, draw_id, at, who, filename, filled, report, summary)

    def review_reports(self, draw_id: int) -> list[ReviewReport]:
        """A draw's reports, newest first."""
        rows = self._run("SELECT id, draw_id, at, who, filename, filled, report, summary FROM review_reports "
                         "WHERE draw_id = ? ORDER BY id DESC", (draw_id,))
        return [ReviewReport(*r[:7], _unpacked(r[7])) for r in rows]

    def publish(self, unit_id: int, report_id: int, who: str, content: dict[str, Any]) -> Publication:
        """The 单位's published 复核结论, in place of the one it had (the bureau's step, never a report's)."""
        at = time.time()
        self._run("INSERT OR REPLACE INTO review_publications (unit_id, report_id, at, who, content) "
                  "VALUES (?, ?, ?, ?, ?)", (unit_id, report_id, at, who, _packed(content)))
        return Publication(unit_id, report_id, at, who, content)

    def withdraw(self, unit_id: int) -> None:
        self._run("DELETE FROM review_publications WHERE unit_id = ?", (unit_id,))

    def publication(self, unit_id: int) -> Publication | None:
        rows = self._run("SELECT unit_id, report_id, at, who, content FROM review_publications WHERE unit_id = ?",
                         (unit_id,))
        return Publication(*rows[0][:4], _unpacked(rows[0][4])) if rows else None
