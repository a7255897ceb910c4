-- The role the Baton agent connects as: observation, promotion, re-pointing, pg_rewind and
-- streaming replication, without being a superuser. It grants exactly what the agent uses
-- (RolesGrantTest compares this file with the agent's SQL; every test cluster is made with it).
--
-- Run once, as a superuser, on the cluster's first primary (standbys get it by replication):
--   runuser -u postgres -- psql -X -v ON_ERROR_STOP=1 -d postgres -f roles.sql
-- Running it again changes nothing. The password is not here: set-password.sql sets it from
-- standard input, so it is never in a file psql reads, on a command line or in the server log.

SET log_min_error_statement = panic;

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'baton_agent') THEN
    CREATE ROLE baton_agent;
  END IF;
END
$$;

-- REPLICATION: standbys stream from the primary and pg_basebackup copies it, as this role.
ALTER ROLE baton_agent WITH LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE;

-- pg_monitor: pg_stat_replication and pg_stat_wal_receiver in full, pg_ls_waldir().
-- pg_checkpoint: CHECKPOINT on a node before pg_rewind uses it as its source.
GRANT pg_monitor, pg_checkpoint TO baton_agent;

-- Promotion, and the reload that re-points a standby or changes synchronous_standby_names (the
-- agent writes those settings into its own configuration file: it never runs ALTER SYSTEM, so
-- it is granted no ALTER SYSTEM at all).
GRANT EXECUTE ON FUNCTION pg_catalog.pg_promote(boolean, integer) TO baton_agent;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_reload_conf() TO baton_agent;

-- What pg_rewind needs on its source server when it runs without a superuser.
GRANT EXECUTE ON FUNCTION pg_catalog.pg_ls_dir(text, boolean, boolean) TO baton_agent;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_file(text, boolean) TO baton_agent;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text) TO baton_agent;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean) TO baton_agent;
