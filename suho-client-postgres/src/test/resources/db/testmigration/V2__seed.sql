INSERT INTO it_pg_migrated_accounts (id, owner) VALUES (1, 'seed') ON CONFLICT DO NOTHING;
