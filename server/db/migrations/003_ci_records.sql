-- What the previous system's CI scripts send about a build beyond Finch's own fields (POST
-- /api/v1/actions, CreateResource), kept as sent: `data` is their opaque description of the build's
-- files, the others name the commit, the GitLab project and the release channel.
CREATE TABLE IF NOT EXISTS resource_ci (
  resource_id    integer PRIMARY KEY REFERENCES resources(id) ON DELETE CASCADE,
  data           text,
  commit_message text,
  git_project_id text,
  channel        text
);

-- Facts about a change that are not its actor, before or after: what a caller claimed about itself
-- (the legacy `remoteUser` header, recorded, never trusted) and how a legacy call was carried out.
ALTER TABLE audit ADD COLUMN IF NOT EXISTS details jsonb;
