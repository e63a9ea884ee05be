package io.suho.client.core;

/**
 * A call a service makes with a store's own driver object (a JDBC {@code Connection}, Lettuce
 * {@code RedisCommands}, a Kafka {@code Producer}, …) when the SDK does not wrap what it needs. Run it with the store
 * client's {@code execute(operation, idempotent, call)}: it goes through that store's circuit breaker, retries (only
 * when declared idempotent), {@code suho.client.requests} timer and failure mapping, like the SDK's own operations.
 *
 * <pre>{@code
 * long next = cache.execute("incr", false, redis -> redis.incr("orders:seq"));
 * }</pre>
 *
 * <p>The handle belongs to the SDK: use it only inside the call, never keep it, never close it (a JDBC connection is
 * returned to the pool after the call).
 *
 * @param <N> the driver's type
 * @param <R> the result
 */
@FunctionalInterface
public interface NativeCall<N, R> {
    R call(N handle) throws Exception;
}
