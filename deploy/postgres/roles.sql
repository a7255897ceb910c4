-- The role the Baton agent connects as: observation, promotion, re-pointing, pg_rewind and
-- streaming replication, without being a superuser.
--
-- Run once, as a superuser, on the cluster's first primary (standbys get it by replication):
--   psql -X -v ON_ERROR_STOP=1 -d postgres -f roles.sql
-- Running it again changes nothing.
--
-- The password is not here: set it separately, so that it is never in this file, on a command
-- line or in the server log. Interactively:
--   psql -d postgres -c '\password baton_agent'
-- or from a file the agent also reads (baton.postgres.password-file), in a psql session:
--   SET log_min_error_statement = panic;
--   \set pw `cat /etc/baton/secrets/postgres-password`
--   ALTER ROLE baton_agent PASSWORD :'pw';
-- psql runs the back-quoted command itself: the password is never an argument of any process.

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

-- pg_monitor: pg_stat_replication, pg_stat_wal_receiver, the control functions.
-- pg_checkpoint: a checkpoint before a switchover and before pg_rewind uses a node as source.
-- pg_signal_backend: ending sessions while a primary drains.
GRANT pg_monitor, pg_checkpoint, pg_signal_backend TO baton_agent;

GRANT EXECUTE ON FUNCTION pg_catalog.pg_promote(boolean, integer) TO baton_agent;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_reload_conf() TO baton_agent;

-- What pg_rewind needs on its source server when it runs without a superuser.
GRANT EXECUTE ON FUNCTION pg_catalog.pg_ls_dir(text, boolean, boolean) TO baton_agent;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_file(text, boolean) TO baton_agent;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text) TO baton_agent;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean) TO baton_agent;

-- The replication settings the agent changes with ALTER SYSTEM (PostgreSQL 15 and later).
GRANT ALTER SYSTEM ON PARAMETER primary_conninfo, primary_slot_name, synchronous_standby_names,
  synchronous_commit, default_transaction_read_only TO baton_agent;
