/**
 * The pipeline.yaml `init` writes: every key with its default and a comment. The repository's own
 * pipeline.yaml (the demo's) is this text under a line that points editors at the JSON Schema; a test keeps
 * the two equal.
 */
export const STARTER_PIPELINE = `# callscaler-sync pipeline: what to pull from CallScaler and where to load it.
# Any string may use \${VAR} or \${VAR:-default} from the environment; $\${ is a literal \${.
version: 1 # format of this file; always 1
name: callscaler # pipeline name (a-z, 0-9, _); keys the sync state, so renaming starts over

source:
  base_url: \${CALLSCALER_BASE_URL:-https://callscaler.com/api/v1} # API root; http:// only for localhost
  api_key: \${CALLSCALER_API_KEY} # Bearer key; keep it in the environment, never in this file
  account: default # account label: rows, state and summaries carry it
  # accounts:                   # instead of api_key: several accounts in one run, each with its own key
  #   - { name: client_a, api_key: "\${CLIENT_A_KEY}" }
  #   - { name: client_b, api_key: "\${CLIENT_B_KEY}" }
  timeout_ms: 30000 # per-request timeout (1000..600000)
  max_retries: 6 # retries on 429, 5xx, resets, timeouts (0..20)
  concurrency: 4 # requests / date windows in flight per account (1..32)
  requests_per_second: 10 # request rate budget per account (> 0, <= 1000)
  page_size: 500 # records per page (1..500)

streams:
  calls:
    extract: list # list (paginated JSON) | export (streamed CSV) | auto
    sync: incremental # incremental (changes since last run) | full (everything)
    include: [] # extra text fields: transcription, summary
    start_date: null # first day to sync, YYYY-MM-DD; null = all history
    end_date: null # day after the last to sync, YYYY-MM-DD (exclusive); null = up to now
    window_days: auto # windows per checkpoint: auto (sized to the data) or a number of days (1..366)
    lookback_minutes: 10 # subtracted from the watermark to catch late AI/transcription updates
    max_rejected: 0.01 # bad rows tolerated: a count (e.g. 0) or a fraction (0 < x < 1)
    filters: {} # documented /calls filters, e.g. {status: completed, min_ai_score: 70}
    # timezone: UTC               # IANA zone of call_date and the reporting views, e.g. America/Chicago
    # pii: { caller_number: hash } # per personal field keep | hash | drop: caller_number, caller_name,
    #                              # transcription, summary, recording_url (changing it needs run --full-refresh)
    # pii_salt: \${CALLSCALER_PII_SALT} # secret, at least 8 characters; required when a field is hash
  # recordings:                   # download each call's recording into <dir>/<call_date>/<id>.<ext>
  #   dir: ./recordings

destination:
  type: duckdb # duckdb | parquet
  path: ./out/callscaler.duckdb # duckdb: the database file (relative to this file)
  # schema: main                # duckdb: schema of the tables (e.g. raw_callscaler for dbt)
  # type: parquet
  # dir: ./out/parquet          # parquet: dataset root (relative to this file); files under <dir>/calls/
`;
