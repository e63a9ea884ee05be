CREATE TABLE IF NOT EXISTS shop_orders (
    id          uuid PRIMARY KEY,
    account_id  text        NOT NULL,
    symbol      text        NOT NULL,
    side        text        NOT NULL CHECK (side IN ('BUY', 'SELL')),
    quantity    bigint      NOT NULL CHECK (quantity > 0),
    price       numeric(18, 6) NOT NULL CHECK (price > 0),
    status      text        NOT NULL,
    created_at  timestamptz NOT NULL
);
