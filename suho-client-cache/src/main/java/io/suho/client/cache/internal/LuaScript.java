package io.suho.client.cache.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.suho.client.core.spi.Causes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Lua script called by SHA ({@code EVALSHA}); when the server answers {@code NOSCRIPT} (restart, failover,
 * {@code SCRIPT FLUSH}) it is loaded again and the call repeated once. The SHA is computed locally, so no round trip
 * is needed to learn it.
 */
final class LuaScript {
    private static final Logger LOG = LoggerFactory.getLogger(LuaScript.class);

    private final String name;
    private final String source;
    private final String sha;

    LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha = sha1(source);
    }

    String name() {
        return name;
    }

    String sha() {
        return sha;
    }

    String source() {
        return source;
    }

    void load(RedisCommands<String, String> sync) {
        sync.scriptLoad(source);
    }

    <T> T run(RedisCommands<String, String> sync, ScriptOutputType output, String[] keys, String... args) {
        try {
            return sync.evalsha(sha, output, keys, args);
        } catch (RedisNoScriptException e) {
            LOG.debug("script {} not on the server (NOSCRIPT), loading it again", name);
            sync.scriptLoad(source);
            return sync.evalsha(sha, output, keys, args);
        }
    }

    <T> CompletionStage<T> runAsync(RedisAsyncCommands<String, String> async, ScriptOutputType output,
            String[] keys, String... args) {
        CompletionStage<T> first = async.evalsha(sha, output, keys, args);
        return first.exceptionallyCompose(e -> {
            if (Causes.unwrap(e) instanceof RedisNoScriptException) {
                LOG.debug("script {} not on the server (NOSCRIPT), loading it again", name);
                return async.scriptLoad(source).thenCompose(s -> async.<T>evalsha(sha, output, keys, args));
            }
            return CompletableFuture.failedStage(e);
        });
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 not available", e);
        }
    }
}
