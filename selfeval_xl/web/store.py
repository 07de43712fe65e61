"""Where the web face keeps what it is given: collections, 单位 and their links, submissions, files.

Why one small interface (:class:`Store`): a bureau starts on one office PC with SQLite and files under
``--data`` (:class:`SqliteStore`); a later server database implements the same methods and nothing else
changes. Files are kept by content hash (``blobs/ab/abcdef….xlsx``), never at a path made from a
client's file name; the name a client gave is only ever shown, after escaping.
"""
from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

TOKEN_BYTES = 24
"""``secrets.token_urlsafe(24)``: 192 bits, unguessable."""


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """The bureau's password and sessions are stored hashed. (The 单位' links are kept as they are: the
    bureau's dashboard shows them to hand out; renewing a link is how one is taken back.)"""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


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
    def end_sessions(self) -> None: ...

    def round_state(self, collection_id: int) -> RoundState: ...
    def set_round_state(self, collection_id: int, deadline: str, closed: float | None) -> None: ...
    def unit_round(self, unit_id: int) -> UnitRound | None: ...
    def set_unit_round(self, unit_id: int, status: str, comment: str, removed: bool = False) -> None: ...
    def add_unit(self, collection_id: int, name: str) -> Unit: ...
    def rename_unit(self, unit_id: int, name: str) -> None: ...
    def log(self, collection_id: int, unit_id: int | None, who: str, what: str, detail: str = "") -> None: ...
    def audit(self, collection_id: int) -> list[AuditEntry]: ...


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

SESSION_SECONDS = 12 * 3600


class SqliteStore:
    """The embedded default: ``selfeval.sqlite3`` and ``blobs/`` under one folder."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        (self.folder / "blobs").mkdir(parents=True, exist_ok=True)
        (self.folder / "tmp").mkdir(exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.folder / "selfeval.sqlite3", check_same_thread=False,
                                   isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA + ROUND_SCHEMA)

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
        else:
            Path(data_path).replace(target)
        return name

    def scratch(self) -> Path:
        return self.folder / "tmp"

    # -- settings ---------------------------------------------------------------------------------
    def setting(self, key: str) -> str | None:
        rows = self._run("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_setting(self, key: str, value: str) -> None:
        self._run("INSERT INTO settings (key, value) VALUES (?, ?) "
                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    # -- collections and 单位 ----------------------------------------------------------------------
    def create_collection(self, year: int, system: str, title: str, units: list[str]) -> tuple[Collection, dict[str, str]]:
        """A collection and one link token per 单位 (returned once, stored hashed)."""
        with self._lock:
            self._db.execute("BEGIN")
            cur = self._db.execute("INSERT INTO collections (year, system, title, created) VALUES (?, ?, ?, ?)",
                                   (year, system, title, time.time()))
            cid = cur.lastrowid
            tokens = {}
            for name in dict.fromkeys(units):
                tokens[name] = new_token()
                self._db.execute("INSERT INTO units (collection_id, name, token) VALUES (?, ?, ?)",
                                 (cid, name, tokens[name]))
            self._db.execute("COMMIT")
        return Collection(cid, year, system, title), tokens

    def collections(self) -> list[Collection]:
        return [Collection(*r) for r in self._run("SELECT id, year, system, title FROM collections ORDER BY id DESC")]

    def collection(self, collection_id: int) -> Collection | None:
        rows = self._run("SELECT id, year, system, title FROM collections WHERE id = ?", (collection_id,))
        return Collection(*rows[0]) if rows else None

    def units(self, collection_id: int) -> list[Unit]:
        return [Unit(r[0], r[1], r[2], bool(r[3]), r[4]) for r in
                self._run("SELECT id, collection_id, name, revoked, token FROM units WHERE collection_id = ? "
                          "ORDER BY id", (collection_id,))]

    def unit_by_token(self, token: str) -> Unit | None:
        rows = self._run("SELECT id, collection_id, name, revoked, token FROM units WHERE token = ? AND revoked = 0",
                         (token,))
        return Unit(rows[0][0], rows[0][1], rows[0][2], False, rows[0][4]) if rows else None

    def renew_unit_token(self, unit_id: int) -> str:
        """A new link for a 单位; the old one stops working at once."""
        token = new_token()
        self._run("UPDATE units SET token = ?, revoked = 0 WHERE id = ?", (token, unit_id))
        return token

    def revoke_unit(self, unit_id: int) -> None:
        self._run("UPDATE units SET token = NULL, revoked = 1 WHERE id = ?", (unit_id,))

    # -- submissions ------------------------------------------------------------------------------
    def add_submission(self, unit_id: int | None, filename: str, blob: str, suffix: str, table_key: str,
                       result: dict[str, Any], scored: str | None) -> Submission:
        token, now = new_token(), time.time()
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO submissions (unit_id, token, filename, blob, suffix, uploaded, table_key,"
                " result, scored) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (unit_id, token, filename, blob, suffix, now, table_key,
                 json.dumps(result, ensure_ascii=False), scored))
        return Submission(cur.lastrowid, unit_id, token, filename, blob, suffix, now, table_key, result, scored)

    def replace_result(self, submission_id: int, result: dict[str, Any]) -> None:
        """A new verdict for a stored file (a report re-checked once its 单位's tables are in)."""
        with self._lock:
            self._db.execute("UPDATE submissions SET result = ? WHERE id = ?",
                             (json.dumps(result, ensure_ascii=False), submission_id))

    _COLUMNS = "id, unit_id, token, filename, blob, suffix, uploaded, table_key, result, scored"

    @staticmethod
    def _submission(row: tuple) -> Submission:
        return Submission(*row[:8], json.loads(row[8]), row[9])

    def submission_by_token(self, token: str) -> Submission | None:
        rows = self._run(f"SELECT {self._COLUMNS} FROM submissions WHERE token = ?", (token,))
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
        token = new_token()
        self._run("INSERT INTO sessions (token_hash, created) VALUES (?, ?)", (token_hash(token), time.time()))
        return token

    def session_valid(self, token: str) -> bool:
        rows = self._run("SELECT created FROM sessions WHERE token_hash = ?", (token_hash(token),))
        return bool(rows) and time.time() - rows[0][0] < SESSION_SECONDS

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
        token = new_token()
        with self._lock:
            cur = self._db.execute("INSERT INTO units (collection_id, name, token) VALUES (?, ?, ?)",
                                   (collection_id, name, token))
        return Unit(cur.lastrowid, collection_id, name, False, token)

    def rename_unit(self, unit_id: int, name: str) -> None:
        """(sqlite3.IntegrityError when another 单位 of the collection has the name.)"""
        self._run("UPDATE units SET name = ? WHERE id = ?", (name, unit_id))

    def log(self, collection_id: int, unit_id: int | None, who: str, what: str, detail: str = "") -> None:
        self._run("INSERT INTO audit (collection_id, unit_id, at, who, what, detail) VALUES (?, ?, ?, ?, ?, ?)",
                  (collection_id, unit_id, time.time(), who, what, detail))

    def audit(self, collection_id: int) -> list[AuditEntry]:
        """The collection's log, newest first."""
        return [AuditEntry(*r) for r in self._run("SELECT id, collection_id, unit_id, at, who, what, detail FROM audit "
                                                  "WHERE collection_id = ? ORDER BY id DESC", (collection_id,))]
