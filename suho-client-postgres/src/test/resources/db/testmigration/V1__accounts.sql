CREATE TABLE IF NOT EXISTS it_pg_migrated_accounts (id bigint PRIMARY KEY, owner text NOT NULL);
