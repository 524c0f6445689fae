-- Distinct users per build, for the rollout guard: one row per build, report class and user, with the
-- last time that user reported so. A user is the pseudonym a valid report token names (never the user
-- id itself), or, where unsigned reports are counted (FINCH_REPORT_TOKENS=optional), 'anon:' and a
-- random id per report. A stage window counts the rows reported into it.
CREATE TABLE IF NOT EXISTS report_users (
  resource_id integer NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  class       text NOT NULL CHECK (class IN ('exposure', 'fallback', 'error')),
  user_key    text NOT NULL CHECK (length(user_key) BETWEEN 1 AND 64),
  -- Epoch ms of the user's last report of this class on this build.
  last_at     bigint NOT NULL,
  PRIMARY KEY (resource_id, class, user_key)
);
-- A window is one build's rows since a time; pruning deletes by age across every build.
CREATE INDEX IF NOT EXISTS report_users_window ON report_users (resource_id, last_at);
CREATE INDEX IF NOT EXISTS report_users_age ON report_users (last_at);

-- Secrets the server makes for itself on first start, shared by every process on the database.
CREATE TABLE IF NOT EXISTS server_secrets (
  name       text PRIMARY KEY,
  value      text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
