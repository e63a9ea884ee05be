-- The SDK's transactional outbox (history table: suho_sdk_schema_history, never the application's).
CREATE TABLE IF NOT EXISTS suho_outbox (
  event_id uuid PRIMARY KEY,
  topic text NOT NULL,
  event_key text,
  event_type text NOT NULL,
  payload bytea NOT NULL,
  headers jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  attempts int NOT NULL DEFAULT 0,
  last_error text,
  sent_at timestamptz);
CREATE INDEX IF NOT EXISTS suho_outbox_unsent ON suho_outbox (created_at, event_id) WHERE sent_at IS NULL;
