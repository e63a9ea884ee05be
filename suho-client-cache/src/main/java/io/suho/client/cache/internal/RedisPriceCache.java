package io.suho.client.cache.internal;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.suho.client.cache.Price;
import io.suho.client.cache.PriceCache;
import io.suho.client.core.spi.StoreExecutor;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Latest prices in one hash, value {@code <price>|<epoch millis>}; notifications are the same pairs as
 * {@code SYMBOL=<price>|<millis>} lines on the {@code <namespace>:prices} channel.
 */
final class RedisPriceCache implements PriceCache {
    private static final Logger LOG = LoggerFactory.getLogger(RedisPriceCache.class);
    private static final int MAX_SYMBOL = 64;

    private final CacheContext ctx;
    private final StoreExecutor exec;
    private final RedisConnections conns;
    private final String hashKey;
    private final String channel;

    RedisPriceCache(CacheContext ctx, KeySpace keys) {
        this.ctx = ctx;
        this.exec = ctx.executor();
        this.conns = ctx.connections();
        this.hashKey = keys.namespace() + ":prices";
        this.channel = keys.namespace() + ":prices";
    }

    @Override
    public void update(Price price) {
        update(List.of(price));
    }

    @Override
    public void update(Collection<Price> prices) {
        if (prices.isEmpty()) {
            return;
        }
        Map<String, String> fields = new LinkedHashMap<>(prices.size() * 2);
        for (Price p : prices) {
            fields.put(symbol("prices.update", p.symbol()), encode(p));
        }
        if (!ctx.priceNotify()) {
            exec.call("prices.update", false, () -> conns.lines().sync().hset(hashKey, fields));
            return;
        }
        String message = notification(fields);
        exec.call("prices.update", false, () -> {
            RedisAsyncCommands<String, String> async = conns.lines().async();
            RedisFuture<Long> set = async.hset(hashKey, fields);
            RedisFuture<Long> published = async.publish(channel, message); // same pipeline, no extra round trip
            set.get();
            return published.get();
        });
    }

    @Override
    public Optional<Price> get(String symbol) {
        String s = symbol("prices.get", symbol);
        String v = exec.call("prices.get", true, () -> conns.lines().sync().hget(hashKey, s));
        return v == null ? Optional.empty() : Optional.of(decode(s, v));
    }

    @Override
    public Map<String, Price> get(Collection<String> symbols) {
        if (symbols.isEmpty()) {
            return Map.of();
        }
        String[] fields = symbols.stream().map(s -> symbol("prices.get", s)).toArray(String[]::new);
        List<KeyValue<String, String>> values = exec.call("prices.get", true,
                () -> conns.lines().sync().hmget(hashKey, fields));
        Map<String, Price> out = new LinkedHashMap<>(values.size() * 2);
        for (KeyValue<String, String> kv : values) {
            if (kv.hasValue()) {
                out.put(kv.getKey(), decode(kv.getKey(), kv.getValue()));
            }
        }
        return out;
    }

    @Override
    public Map<String, Price> all() {
        Map<String, String> h = exec.call("prices.all", true, () -> conns.lines().sync().hgetall(hashKey));
        Map<String, Price> out = new LinkedHashMap<>(h.size() * 2);
        h.forEach((s, v) -> out.put(s, decode(s, v)));
        return out;
    }

    @Override
    public Subscription subscribe(Consumer<List<Price>> listener) {
        RedisPubSubAdapter<String, String> adapter = new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, String message) {
                if (!channel.equals(ch)) {
                    return;
                }
                try {
                    listener.accept(parseNotification(message));
                } catch (RuntimeException e) {
                    LOG.warn("price listener failed on channel {}: {}", ch, e.toString());
                }
            }
        };
        StatefulRedisPubSubConnection<String, String> ps = exec.call("prices.subscribe", true, () -> {
            StatefulRedisPubSubConnection<String, String> c = conns.pubSub();
            c.addListener(adapter);
            c.sync().subscribe(channel);
            return c;
        });
        return () -> {
            ps.removeListener(adapter);
            // other subscriptions on the same channel keep receiving; the channel stays subscribed
        };
    }

    static String encode(Price p) {
        return p.price().toPlainString() + "|" + p.time().toEpochMilli();
    }

    static Price decode(String symbol, String value) {
        int bar = value.indexOf('|');
        try {
            if (bar < 0) {
                return new Price(symbol, new BigDecimal(value), Instant.EPOCH);
            }
            return new Price(symbol, new BigDecimal(value.substring(0, bar)),
                    Instant.ofEpochMilli(Long.parseLong(value.substring(bar + 1))));
        } catch (NumberFormatException e) {
            throw new io.suho.client.cache.CacheValueException("prices.get", symbol, Price.class.getName(),
                    "'" + value + "' cannot be read as", e);
        }
    }

    private static String notification(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder(fields.size() * 32);
        fields.forEach((s, v) -> sb.append(s).append('=').append(v).append('\n'));
        return sb.toString();
    }

    static List<Price> parseNotification(String message) {
        List<Price> out = new ArrayList<>();
        for (String line : message.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.add(decode(line.substring(0, eq), line.substring(eq + 1)));
            }
        }
        return out;
    }

    static String symbol(String op, String symbol) {
        if (symbol == null || symbol.isEmpty() || symbol.length() > MAX_SYMBOL) {
            throw new IllegalArgumentException(op + ": symbol must be 1-" + MAX_SYMBOL + " characters, was '"
                    + symbol + "'");
        }
        for (int i = 0; i < symbol.length(); i++) {
            char c = symbol.charAt(i);
            if (Character.isWhitespace(c) || c == '|' || c == '=') {
                throw new IllegalArgumentException(op + ": symbol '" + symbol
                        + "' must not contain whitespace, '|' or '='");
            }
        }
        return symbol;
    }
}
