package io.suho.client.cache.internal;

import io.lettuce.core.ScriptOutputType;
import io.suho.client.cache.CacheValueException;
import io.suho.client.cache.OrderBook;
import io.suho.client.cache.PriceLevel;
import io.suho.client.core.spi.StoreExecutor;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link OrderBook}: per side a sorted set (member = price text, score = price) and a hash price text → quantity
 * text, written and read together by scripts that touch only the two keys they declare (as DragonflyDB requires).
 */
final class RedisOrderBook implements OrderBook {
    /** Deepest read; also keeps {@code unpack} far below Lua's stack limit. */
    static final int MAX_DEPTH = 1000;

    // KEYS: levels (zset), quantities (hash); ARGV: price, quantity pairs; an empty quantity removes the level.
    static final LuaScript UPDATE = new LuaScript("book-update", """
            for i = 1, #ARGV, 2 do
              local price, qty = ARGV[i], ARGV[i + 1]
              if qty == '' then
                redis.call('ZREM', KEYS[1], price)
                redis.call('HDEL', KEYS[2], price)
              else
                redis.call('ZADD', KEYS[1], price, price)
                redis.call('HSET', KEYS[2], price, qty)
              end
            end
            return 1
            """);

    // KEYS: levels, quantities; ARGV: depth, 'desc' for bids. Returns price, quantity, price, quantity, …
    static final LuaScript TOP = new LuaScript("book-top", """
            local prices
            if ARGV[2] == 'desc' then
              prices = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
            else
              prices = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
            end
            if #prices == 0 then
              return {}
            end
            local qty = redis.call('HMGET', KEYS[2], unpack(prices))
            local out = {}
            for i = 1, #prices do
              out[2 * i - 1] = prices[i]
              out[2 * i] = qty[i] or '0'
            end
            return out
            """);

    private final StoreExecutor exec;
    private final RedisConnections conns;
    private final String symbol;
    private final String[] bid;
    private final String[] ask;

    RedisOrderBook(CacheContext ctx, KeySpace keys, String symbol) {
        this.exec = ctx.executor();
        this.conns = ctx.connections();
        this.symbol = RedisPriceCache.symbol("orderBook", symbol);
        String base = keys.key("orderBook", "book", symbol);
        this.bid = new String[] {base + ":bid", base + ":bid:qty"};
        this.ask = new String[] {base + ":ask", base + ":ask:qty"};
    }

    @Override
    public String symbol() {
        return symbol;
    }

    @Override
    public void set(Side side, BigDecimal price, BigDecimal quantity) {
        update(side, Map.of(Objects.requireNonNull(price, "price"), Objects.requireNonNull(quantity, "quantity")));
    }

    @Override
    public void update(Side side, Map<BigDecimal, BigDecimal> levels) {
        String[] k = keys(side);
        if (levels.isEmpty()) {
            return;
        }
        String[] args = new String[levels.size() * 2];
        int i = 0;
        for (Map.Entry<BigDecimal, BigDecimal> e : levels.entrySet()) {
            BigDecimal price = Objects.requireNonNull(e.getKey(), "price");
            BigDecimal qty = Objects.requireNonNull(e.getValue(), "quantity of " + price);
            if (price.signum() <= 0 || qty.signum() < 0) {
                throw new IllegalArgumentException("orderBook " + symbol + ": price must be positive and quantity"
                        + " not negative, was " + price + " x " + qty);
            }
            args[i++] = text(price);
            args[i++] = qty.signum() == 0 ? "" : text(qty);
        }
        exec.run("orderBook.update", true, () -> UPDATE.run(conns.lines().sync(), ScriptOutputType.INTEGER, k, args));
    }

    @Override
    public List<PriceLevel> top(Side side, int depth) {
        String[] k = keys(side);
        if (depth < 1 || depth > MAX_DEPTH) {
            throw new IllegalArgumentException("orderBook " + symbol + ": depth must be 1.." + MAX_DEPTH + ", was "
                    + depth);
        }
        String order = side == Side.BID ? "desc" : "asc";
        List<Object> flat = exec.call("orderBook.top", true, () -> TOP.run(conns.lines().sync(),
                ScriptOutputType.MULTI, k, Integer.toString(depth), order));
        List<PriceLevel> out = new ArrayList<>(flat.size() / 2);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            String p = (String) flat.get(i);
            String q = (String) flat.get(i + 1);
            try {
                out.add(new PriceLevel(new BigDecimal(p), new BigDecimal(q)));
            } catch (NumberFormatException e) {
                throw new CacheValueException("orderBook.top", symbol, PriceLevel.class.getName(),
                        "level '" + p + "' = '" + q + "' cannot be read as", e);
            }
        }
        return out;
    }

    @Override
    public Optional<PriceLevel> best(Side side) {
        List<PriceLevel> top = top(side, 1);
        return top.isEmpty() ? Optional.empty() : Optional.of(top.get(0));
    }

    @Override
    public void clear() {
        exec.run("orderBook.clear", true, () -> conns.lines().sync().del(bid[0], bid[1], ask[0], ask[1]));
    }

    private String[] keys(Side side) {
        return switch (Objects.requireNonNull(side, "side")) {
            case BID -> bid;
            case ASK -> ask;
        };
    }

    /** The canonical text of a decimal: one member per price whatever its scale ({@code 1.50} and {@code 1.5}). */
    private static String text(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        return "OrderBook{" + symbol + "}";
    }
}
