-- W3C trace context of the span that appended the row, so the relay's publish continues the same trace.
ALTER TABLE suho_outbox ADD COLUMN IF NOT EXISTS traceparent text;
ALTER TABLE suho_outbox ADD COLUMN IF NOT EXISTS tracestate text;
