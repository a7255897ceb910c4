-- Sets baton_agent's password from the first line of standard input, and fails (exit 3, the
-- password unchanged) when that line is shorter than 16 characters: an unreadable file must not
-- silently clear the password. Run as the postgres OS user, with the file read by whoever may:
--   runuser -u postgres -- psql -X -v ON_ERROR_STOP=1 -d postgres -f set-password.sql \
--     < /etc/baton/secrets/postgres-password
-- The password never appears on a command line or in the server log.

SET log_min_error_statement = panic;
\set ON_ERROR_STOP on
\set pw `head -n 1`
SELECT length(:'pw') >= 16 AS long_enough \gset
\if :long_enough
  ALTER ROLE baton_agent PASSWORD :'pw';
\else
  DO $$ BEGIN RAISE EXCEPTION 'no password of at least 16 characters on standard input:'
    ' baton_agent''s password was not changed'; END $$;
\endif
\unset pw
