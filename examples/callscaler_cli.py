"""The callscaler-sync command lines the Airflow and Dagster examples run, and how to read their outcome.

Standard library only, so it imports anywhere (an Airflow worker, a Dagster code location, a test) and the
examples and the repository's tests share one definition of the command line:

    cmd = run_command("/etc/callscaler/pipeline.yaml", "client_a", "2026-03-01", "2026-03-02")
    # ['callscaler-sync', 'run', '-c', '/etc/callscaler/pipeline.yaml', '--account', 'client_a',
    #  '--start-date', '2026-03-01', '--end-date', '2026-03-02', '--json', '--wait', '--log-format', 'json']
    result = run(cmd, account_env("client_a", api_key))
    exit_code, summary = result          # summary: the run's JSON line as a dict (None if none was printed)
    result.outcome                       # "ok" | "retry" (exit 75: try again later) | "fail"

The API key travels in the child's environment (``CALLSCALER_API_KEY_<ACCOUNT>``, which the pipeline file
references as ``${CALLSCALER_API_KEY_CLIENT_A}``), never on the command line, where ``ps`` would show it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

__all__ = [
    "DEFAULT_EXECUTABLE",
    "EXIT_AUTH",
    "EXIT_FAILED",
    "EXIT_LOCKED",
    "EXIT_OK",
    "EXIT_TEMPORARY",
    "EXIT_USAGE",
    "RunResult",
    "account_env",
    "api_key_env",
    "classify",
    "day_range",
    "log_record",
    "raise_for_outcome",
    "run",
    "run_command",
    "utc_day",
]

# The CLI's exit codes (interface contract v1.1).
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_LOCKED = 4
EXIT_TEMPORARY = 75  # retries on 429, 5xx, resets or timeouts exhausted: worth running again later

DEFAULT_EXECUTABLE: tuple[str, ...] = ("callscaler-sync",)

# What `source.accounts[].name` accepts (an identifier), so the env var name derived from it is valid too.
_ACCOUNT = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Given to the other accounts' key variables: see account_env.
_NOT_THIS_RUN = "not-used-by-this-run"


def utc_day(value: str | date | datetime) -> str:
    """A partition bound as the CLI takes it: a UTC calendar day, YYYY-MM-DD.

    A datetime (an orchestrator's data interval) must fall on midnight UTC: the CLI loads whole UTC days,
    and silently widening a 06:00..06:00 interval to whole days would load a different range than asked.
    A naive datetime is taken as UTC.
    """
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
        moment = moment.astimezone(timezone.utc)
        if moment.time() != time(0, 0):
            raise ValueError(f"{value.isoformat()} is not midnight UTC: the CLI loads whole UTC days")
        return moment.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and _DAY.match(value):
        return date.fromisoformat(value).isoformat()  # raises on 2026-02-30
    raise ValueError(f"expected a date YYYY-MM-DD, got {value!r}")


def day_range(day: str | date) -> tuple[str, str]:
    """The range [day, day + 1) of one daily partition."""
    start = date.fromisoformat(utc_day(day))
    return start.isoformat(), (start + timedelta(days=1)).isoformat()


def run_command(
    pipeline_file: str | os.PathLike[str],
    account: str | None,
    start_date: str | date | datetime | None,
    end_date: str | date | datetime | None,
    *,
    executable: Sequence[str] = DEFAULT_EXECUTABLE,
) -> list[str]:
    """The argv of one partition's run: `account` (None: every account of the file) over [start, end).

    With both dates None the run is the pipeline's incremental sync instead of a range reload.
    `executable` replaces `callscaler-sync`, e.g. ("node", "/opt/callscaler-sync/dist/src/cli/main.js").
    """
    cmd = [*executable, "run", "-c", os.fspath(pipeline_file)]
    if account is not None:
        if not _ACCOUNT.match(account):
            raise ValueError(f"account {account!r} is not a source.accounts name (a-z, 0-9, _)")
        cmd += ["--account", account]
    if (start_date is None) != (end_date is None):
        raise ValueError("start_date and end_date go together")
    if start_date is not None and end_date is not None:
        start, end = utc_day(start_date), utc_day(end_date)
        if start >= end:
            raise ValueError(f"start_date {start} must be before end_date {end} (the range is [start, end))")
        cmd += ["--start-date", start, "--end-date", end]
    # --wait: a run holding the destination (another partition) is waited for instead of exiting 4.
    cmd += ["--json", "--wait", "--log-format", "json"]
    return cmd


def api_key_env(account: str) -> str:
    """The variable that carries an account's key: client_a -> CALLSCALER_API_KEY_CLIENT_A."""
    if not _ACCOUNT.match(account):
        raise ValueError(f"account {account!r} is not a source.accounts name (a-z, 0-9, _)")
    return f"CALLSCALER_API_KEY_{account.upper()}"


def account_env(account: str, api_key: str, accounts: Sequence[str] = ()) -> dict[str, str]:
    """The environment a run of `account` needs: its key, and CALLSCALER_ACCOUNT (usable in the pipeline file).

    `accounts` lists the file's other accounts: the CLI checks every `${VAR}` of the file even when
    `--account` selects one, so their key variables get a placeholder that `--account` keeps from ever
    being sent. A task then holds only its own account's key.
    """
    env = {api_key_env(other): _NOT_THIS_RUN for other in accounts if other != account}
    env[api_key_env(account)] = api_key
    env["CALLSCALER_ACCOUNT"] = account
    return env


def classify(exit_code: int) -> str:
    """"ok" (0), "retry" (75: temporary, run it again later) or "fail" (anything else: retrying won't help)."""
    if exit_code == EXIT_OK:
        return "ok"
    if exit_code == EXIT_TEMPORARY:
        return "retry"
    return "fail"


@dataclass(frozen=True)
class RunResult:
    """What one CLI run came to. Unpacks as ``exit_code, summary = result``."""

    exit_code: int
    # The `--json` line; None when the CLI printed none (a usage error exits 2 before anything else).
    summary: dict | None
    # The last lines of stderr, for a failure message when there is no summary.
    stderr_tail: tuple[str, ...] = field(default=())

    def __iter__(self) -> Iterator[object]:
        return iter((self.exit_code, self.summary))

    @property
    def outcome(self) -> str:
        # Exit 0 without the summary line breaks the interface contract: not a success to build on.
        if self.exit_code == EXIT_OK and self.summary is None:
            return "fail"
        return classify(self.exit_code)

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    @property
    def retryable(self) -> bool:
        return self.outcome == "retry"

    @property
    def message(self) -> str:
        """One line for a task failure: the summary's error, else the last stderr line."""
        error = (self.summary or {}).get("error")
        if isinstance(error, dict) and error.get("message"):
            return f"exit {self.exit_code}: [{error.get('code')}] {error['message']}"
        if self.exit_code == EXIT_OK and self.summary is None:
            return "exit 0 but no JSON summary on stdout"
        # A usage error is two lines: the problem, then "Run callscaler-sync --help for usage."
        said = [line for line in self.stderr_tail if line.strip()][-3:]
        return f"exit {self.exit_code}: {' / '.join(said) if said else 'no output'}"

    def rows(self) -> int:
        return sum(int(s.get("rows") or 0) for s in self.streams())

    def rejected(self) -> int:
        return sum(int(s.get("rejected") or 0) for s in self.streams())

    def streams(self) -> list[dict]:
        streams = (self.summary or {}).get("streams")
        return [s for s in streams if isinstance(s, dict)] if isinstance(streams, list) else []


def log_record(line: str) -> tuple[str, str]:
    """A stderr line of `--log-format json` as (level, message): level is debug, info, warn or error.

    Lines that are not JSON log records (a usage error, a crash) come back as ("error", line).
    """
    try:
        record = json.loads(line)
    except ValueError:
        return "error", line
    if not isinstance(record, dict):
        return "error", line
    level = record.get("level")
    message = record.get("msg")
    return (
        level if level in ("debug", "info", "warn", "error") else "info",
        message if isinstance(message, str) else line,
    )


def _summary_of(stdout: str) -> dict | None:
    lines = [line for line in stdout.splitlines() if line.strip()]
    if len(lines) != 1:
        return None
    try:
        parsed = json.loads(lines[0])
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _stderr_to_stderr(line: str) -> None:
    sys.stderr.write(line + "\n")


def run(
    cmd: Sequence[str],
    env: Mapping[str, str] | None = None,
    *,
    on_log: Callable[[str], None] = _stderr_to_stderr,
    cwd: str | os.PathLike[str] | None = None,
    timeout: float | None = None,
    stop_grace_seconds: float = 30.0,
) -> RunResult:
    """Runs `cmd` with `env` laid over this process's environment; returns the exit code and summary.

    Each stderr line (a JSON log record with `--log-format json`) goes to `on_log` as it arrives, so a
    long backfill shows progress in the task log. If this process is interrupted (an orchestrator's
    timeout or kill raises here) or `timeout` passes, the child gets SIGTERM (it stops at a safe point:
    committed windows stay committed) and SIGKILL after `stop_grace_seconds`.
    """
    child_env = {**os.environ, **(env or {})}
    proc = subprocess.Popen(
        list(cmd),
        env=child_env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    tail: list[str] = []
    out: list[str] = []

    def pump_stderr() -> None:
        assert proc.stderr is not None
        for raw in proc.stderr:
            line = raw.rstrip("\n")
            tail.append(line)
            del tail[:-20]
            on_log(line)

    def read_stdout() -> None:
        assert proc.stdout is not None
        out.append(proc.stdout.read())

    # Two readers, so neither pipe fills up while the other is read; this thread stays free to wait
    # (and to be interrupted).
    readers = [
        threading.Thread(target=pump_stderr, name="callscaler-sync-stderr", daemon=True),
        threading.Thread(target=read_stdout, name="callscaler-sync-stdout", daemon=True),
    ]
    for reader in readers:
        reader.start()
    try:
        proc.wait(timeout=timeout)
    except BaseException:
        _stop(proc, stop_grace_seconds)
        raise
    finally:
        for reader in readers:
            reader.join(timeout=5)
    stdout = "".join(out)
    return RunResult(proc.returncode, _summary_of(stdout), tuple(tail))


def _stop(proc: subprocess.Popen, grace: float) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def raise_for_outcome(
    result: RunResult,
    *,
    retry: Callable[[str], BaseException],
    fail: Callable[[str], BaseException],
) -> RunResult:
    """Returns `result` when the run succeeded; otherwise raises what the orchestrator makes of it:
    `retry(message)` for exit 75, `fail(message)` for every other failure (never retried)."""
    if result.ok:
        return result
    raise (retry if result.retryable else fail)(result.message)
