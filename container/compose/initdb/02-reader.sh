#!/bin/bash
# Run after 01-schema.sql, as the official image runs *.sh scripts: with psql on the server's socket, as the superuser.
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<-SQL
  CREATE ROLE reader LOGIN;
  GRANT SELECT ON greeting TO reader;
SQL
