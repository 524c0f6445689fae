-- Products, resources, strategies, the revision counter and the audit log: what getConsoleVersion needs.

CREATE TABLE products (
  id          serial PRIMARY KEY,
  name        text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  description text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE resources (
  id           serial PRIMARY KEY,
  product_id   integer NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  version      text NOT NULL,
  status       text NOT NULL CHECK (status IN ('built', 'deployed', 'build_failed', 'deploy_failed')),
  base_url     text NOT NULL,
  files        jsonb NOT NULL DEFAULT '[]',
  integrity    jsonb NOT NULL DEFAULT '{}',
  config       jsonb NOT NULL DEFAULT '{}',
  dependencies jsonb NOT NULL DEFAULT '[]',
  branch       text,
  "commit"     text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  -- A build is immutable: one product+version names one content (immutable builds).
  UNIQUE (product_id, version)
);

CREATE TABLE strategies (
  id               serial PRIMARY KEY,
  product_id       integer NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  resource_id      integer NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  status           text NOT NULL CHECK (status IN ('off', 'gray', 'full')),
  priority         integer NOT NULL DEFAULT 0,
  rule             jsonb,
  salt             text,
  starts_at        timestamptz,
  ends_at          timestamptz,
  -- Bumped by every change; the ETag of PATCH's If-Match compare-and-set.
  version          integer NOT NULL DEFAULT 1,
  -- The full strategy this one replaced when it became full, for rollback.
  previous_full_id integer REFERENCES strategies(id) ON DELETE SET NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX strategies_product ON strategies(product_id);
-- The database itself refuses a second full strategy of one product.
CREATE UNIQUE INDEX strategies_one_full ON strategies(product_id) WHERE status = 'full';

-- One row; every change of products, resources or strategies bumps it in the same transaction.
CREATE TABLE revision (
  id    boolean PRIMARY KEY DEFAULT true CHECK (id),
  value bigint NOT NULL
);
INSERT INTO revision (id, value) VALUES (true, 1);

CREATE TABLE audit (
  id         bigserial PRIMARY KEY,
  at         timestamptz NOT NULL DEFAULT now(),
  actor      text NOT NULL,
  action     text NOT NULL,
  target     text NOT NULL,
  product    text,
  before     jsonb,
  after      jsonb,
  request_id text
);
CREATE INDEX audit_at ON audit(at);
CREATE INDEX audit_product ON audit(product, at);
