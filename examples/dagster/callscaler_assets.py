"""Dagster: the CallScaler calls dataset as an asset partitioned by account x day.

Materializing partition (client_a, 2026-03-01) runs, in a subprocess,

    callscaler-sync run -c PIPELINE --account client_a --start-date 2026-03-01 --end-date 2026-03-02 \\
        --json --wait --log-format json

(built by callscaler_cli, the module the Airflow example and the repository's tests use too) and attaches
the run's JSON summary to the materialization: rows, rejected, duration_ms, run_id, ...

Exit 75 (the API kept failing: 429, 5xx, timeouts) raises RetryRequested: Dagster runs the step again
later. Any other failure raises Failure(allow_retries=False): bad config, a refused key or bad data do
not get better by running again, and no retry policy should make them.

Settings (environment of the code location):
  CALLSCALER_ACCOUNTS            the pipeline's source.accounts names, comma-separated (client_a,client_b)
  CALLSCALER_API_KEY_<NAME>      each account's key (e.g. CALLSCALER_API_KEY_CLIENT_A), from your secrets
  CALLSCALER_PIPELINE            the pipeline file (default /opt/callscaler/pipeline.yaml)
  CALLSCALER_SYNC_BIN            the command (default callscaler-sync)
  CALLSCALER_HISTORY_START       the first day partition (default 2023-01-01)
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from dagster import (
    AssetExecutionContext,
    ConfigurableResource,
    DailyPartitionsDefinition,
    Definitions,
    Failure,
    MaterializeResult,
    MetadataValue,
    MultiPartitionsDefinition,
    RetryRequested,
    StaticPartitionsDefinition,
    asset,
)

# callscaler_cli.py: beside this file once deployed, one folder up in the repository.
_HERE = Path(__file__).resolve().parent
for _folder in (_HERE, _HERE.parent):
    if (_folder / "callscaler_cli.py").is_file() and str(_folder) not in sys.path:
        sys.path.append(str(_folder))
import callscaler_cli  # noqa: E402

ACCOUNTS = [a.strip() for a in os.environ.get("CALLSCALER_ACCOUNTS", "client_a,client_b").split(",") if a.strip()]

# A partition's range is its time window, so MonthlyPartitionsDefinition works unchanged (a cheaper
# backfill: 36 runs per account for three years instead of 1,095).
partitions = MultiPartitionsDefinition(
    {
        "account": StaticPartitionsDefinition(ACCOUNTS),
        "date": DailyPartitionsDefinition(
            start_date=os.environ.get("CALLSCALER_HISTORY_START", "2023-01-01"), timezone="UTC"
        ),
    }
)


class CallScalerSync(ConfigurableResource):
    """Where the CLI and the pipeline file are."""

    pipeline_file: str = os.environ.get("CALLSCALER_PIPELINE", "/opt/callscaler/pipeline.yaml")
    executable: list[str] = shlex.split(os.environ.get("CALLSCALER_SYNC_BIN", "callscaler-sync"))


@asset(
    key_prefix=["callscaler"],
    name="calls",
    partitions_def=partitions,
    description="One row per CallScaler call, Parquet under <dir>/calls/account=<name>/call_date=<day>/",
)
def calls(context: AssetExecutionContext, callscaler: CallScalerSync) -> MaterializeResult:
    account = context.partition_key.keys_by_dimension["account"]
    window = context.partition_time_window  # [start, end) of the date dimension, midnight UTC
    key_name = callscaler_cli.api_key_env(account)
    api_key = os.environ.get(key_name)
    if not api_key:
        raise Failure(description=f"{key_name} is not set in the code location's environment", allow_retries=False)

    cmd = callscaler_cli.run_command(
        callscaler.pipeline_file, account, window.start, window.end, executable=callscaler.executable
    )
    context.log.info(f"running {shlex.join(cmd)}")
    log_method = {
        "debug": context.log.debug,
        "info": context.log.info,
        "warn": context.log.warning,
        "error": context.log.error,
    }

    def forward(line: str) -> None:
        level, message = callscaler_cli.log_record(line)
        log_method[level](message)

    # Only this account's key reaches the child: the others get callscaler_cli's placeholder.
    result = callscaler_cli.run(cmd, callscaler_cli.account_env(account, api_key, ACCOUNTS), on_log=forward)
    summary = result.summary or {}

    def metadata(**values: object) -> dict:
        # Keys the summary lacks (a run that failed before it started) are left out rather than null.
        return {k: v for k, v in values.items() if v is not None} | {"summary": MetadataValue.json(summary)}

    def retry(message: str) -> RetryRequested:
        context.log.warning(f"temporary failure, retrying later: {message}")
        return RetryRequested(max_retries=5, seconds_to_wait=300)

    def fail(message: str) -> Failure:
        meta = metadata(exit_code=result.exit_code, run_id=summary.get("run_id"))
        return Failure(description=message, metadata=meta, allow_retries=False)

    callscaler_cli.raise_for_outcome(result, retry=retry, fail=fail)
    return MaterializeResult(
        metadata=metadata(
            rows=result.rows(),
            rejected=result.rejected(),
            duration_ms=summary.get("duration_ms"),
            run_id=summary.get("run_id"),
            requests=summary.get("requests"),
            retries=summary.get("retries"),
        )
    )


defs = Definitions(assets=[calls], resources={"callscaler": CallScalerSync()})
