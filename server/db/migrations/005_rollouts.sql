-- Staged rollouts (docs/rollouts.md): the plan, where it stands, and the last decision the engine or an
-- operator took, with the figures it rested on. Every write bumps `version`: the engine writes a
-- transition only while the row still has the version it decided from (compare-and-set), so with several
-- control-plane processes each transition is written once.
CREATE TABLE IF NOT EXISTS rollouts (
  id               serial PRIMARY KEY,
  product_id       integer NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  resource_id      integer NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  -- The one gray strategy the rollout drives from stage to stage (full once promoted).
  strategy_id      integer REFERENCES strategies(id) ON DELETE SET NULL,
  -- The validated plan, defaults filled (core/rollout/validatePlan.ts).
  plan             jsonb NOT NULL,
  priority         integer NOT NULL,
  state            text NOT NULL CHECK (state IN ('running', 'paused', 'completed', 'aborted', 'rolled-back')),
  stage_index      integer NOT NULL CHECK (stage_index >= 0),
  -- From the database clock: when this stage (or its resumption) began; the guard's window starts here.
  stage_started_at timestamptz NOT NULL,
  -- The last decision: a sentence, and the guard's figures when a judgement caused it.
  reason           text NOT NULL,
  figures          jsonb,
  decided_at       timestamptz NOT NULL,
  version          integer NOT NULL DEFAULT 1,
  created_by       text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS rollouts_product ON rollouts (product_id);
-- What every engine tick asks for: the live rollouts, few among many ended ones.
CREATE INDEX IF NOT EXISTS rollouts_live ON rollouts (id) WHERE state IN ('running', 'paused');
