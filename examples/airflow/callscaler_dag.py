"""Airflow: callscaler-sync for every account, one task per account and DAG run.

Two DAGs come from one factory; each task reloads the DAG run's data interval [start, end) for its account:

- ``callscaler_daily``: yesterday's calls, every day (``@daily``: the interval is [ds, next day)).
- ``callscaler_monthly``: the last month again when it ends (late transcriptions and AI scores land in it),
  and, with ``catchup``, the history since ``CALLSCALER_HISTORY_START``: a backfill of accounts x months.

Settings (environment of the scheduler and workers):
  CALLSCALER_PIPELINE        the pipeline file (default /opt/callscaler/pipeline.yaml)
  CALLSCALER_SYNC_BIN        the command to run (default ``callscaler-sync``; e.g.
                             ``node /opt/callscaler-sync/dist/src/cli/main.js``)
  CALLSCALER_HISTORY_START   first month of the monthly DAG's catchup (default 2023-01-01)
Airflow Variables (or the same names in a secrets backend):
  callscaler_accounts        JSON list of the pipeline's source.accounts names, e.g. ["client_a", "client_b"]
  callscaler_api_key_<name>  that account's API key (a name with "api_key" in it is masked in task logs)

Exit codes: 0 succeeds (the summary goes to XCom); 75 (the API kept failing: 429, 5xx, timeouts) raises an
ordinary exception, so the task's retries apply; any other failure raises AirflowFailException: bad config,
a refused key or bad data do not get better by running again.
"""

from __future__ import annotations

import logging
import os
import shlex
import sys
from datetime import timedelta
from pathlib import Path

import pendulum
from airflow.exceptions import AirflowException, AirflowFailException

try:  # Airflow 3
    from airflow.sdk import Variable, dag, task
except ImportError:  # Airflow 2
    from airflow.decorators import dag, task
    from airflow.models import Variable

# callscaler_cli.py: beside this file once deployed, one folder up in the repository.
_HERE = Path(__file__).resolve().parent
for _folder in (_HERE, _HERE.parent):
    if (_folder / "callscaler_cli.py").is_file() and str(_folder) not in sys.path:
        sys.path.append(str(_folder))
import callscaler_cli  # noqa: E402

PIPELINE_FILE = os.environ.get("CALLSCALER_PIPELINE", "/opt/callscaler/pipeline.yaml")
EXECUTABLE = tuple(shlex.split(os.environ.get("CALLSCALER_SYNC_BIN", "callscaler-sync")))
HISTORY_START = pendulum.parse(os.environ.get("CALLSCALER_HISTORY_START", "2023-01-01"), tz="UTC")

log = logging.getLogger(__name__)
_LOG_METHOD = {"debug": log.debug, "info": log.info, "warn": log.warning, "error": log.error}


def _forward(line: str) -> None:
    level, message = callscaler_cli.log_record(line)
    _LOG_METHOD[level]("%s", message)


def _accounts() -> list[str]:
    accounts = Variable.get("callscaler_accounts", None, deserialize_json=True)
    if not isinstance(accounts, list) or not accounts or not all(isinstance(a, str) for a in accounts):
        raise AirflowFailException('Variable callscaler_accounts must be a JSON list of names, e.g. ["client_a"]')
    return accounts


def make_dag(dag_id: str, schedule: str, start_date: pendulum.DateTime, catchup: bool):
    @dag(
        dag_id=dag_id,
        schedule=schedule,
        start_date=start_date,
        catchup=catchup,
        max_active_runs=4,
        tags=["callscaler"],
        doc_md=__doc__,
    )
    def callscaler_sync():
        @task
        def accounts() -> list[str]:
            return _accounts()

        @task(
            retries=5,
            retry_delay=timedelta(minutes=5),
            retry_exponential_backoff=True,
            max_retry_delay=timedelta(hours=1),
            # Runs into one dataset take turns (--wait); this bounds the workers that sit waiting.
            max_active_tis_per_dag=8,
            execution_timeout=timedelta(hours=6),
        )
        def sync_account(account: str, data_interval_start=None, data_interval_end=None, ti=None) -> dict:
            if data_interval_start is None or data_interval_end is None:
                raise AirflowFailException("this task reloads the DAG run's data interval, and the run has none")
            key_name = f"callscaler_api_key_{account}"
            api_key = Variable.get(key_name, None)
            if not api_key:
                raise AirflowFailException(f"Airflow Variable {key_name} is not set")
            cmd = callscaler_cli.run_command(
                PIPELINE_FILE, account, data_interval_start, data_interval_end, executable=EXECUTABLE
            )
            log.info("running %s", shlex.join(cmd))
            result = callscaler_cli.run(
                cmd, callscaler_cli.account_env(account, api_key, _accounts()), on_log=_forward
            )
            if not result.ok and result.summary is not None:
                ti.xcom_push(key="summary", value=result.summary)  # the failed run's summary, for a look
            callscaler_cli.raise_for_outcome(result, retry=AirflowException, fail=AirflowFailException)
            log.info("%s: %d rows, %d rejected", account, result.rows(), result.rejected())
            return result.summary  # XCom return_value

        sync_account.expand(account=accounts())

    return callscaler_sync()


callscaler_daily = make_dag("callscaler_daily", "@daily", pendulum.datetime(2026, 1, 1, tz="UTC"), False)
callscaler_monthly = make_dag("callscaler_monthly", "@monthly", HISTORY_START, True)
