-- Client reports counted per build, kind and minute, for charts over time (report_counts keeps the
-- totals). Written in the same transaction as report_counts; rows older than 90 days are pruned.
CREATE TABLE IF NOT EXISTS report_buckets (
  resource_id integer NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  -- The start of the minute the reports arrived in.
  minute      timestamptz NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('load-error', 'integrity-error', 'runtime-error', 'exposure')),
  count       bigint NOT NULL,
  -- Build first, then time: a series is a range of one build's (or one product's builds') minutes.
  PRIMARY KEY (resource_id, minute, kind)
);
-- Pruning deletes by age across every build.
CREATE INDEX IF NOT EXISTS report_buckets_minute ON report_buckets (minute);
