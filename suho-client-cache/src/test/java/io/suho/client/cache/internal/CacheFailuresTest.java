package io.suho.client.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisNoScriptException;
import io.suho.client.core.StoreExecutor.FailureKind;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.StoreUnavailableException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class CacheFailuresTest {

    @Test
    void connectionProblemsAreUnavailable() {
        assertThat(CacheFailures.classify(new RedisConnectionException("refused"))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(CacheFailures.classify(new RedisException("Connection closed")))
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(CacheFailures.classify(new RedisException("Currently not connected. Commands are rejected.")))
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(CacheFailures.classify(new IOException("reset"))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(CacheFailures.classify(new RedisLoadingException("LOADING"))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(CacheFailures.classify(new CompletionException(new RedisConnectionException("x"))))
                .isEqualTo(FailureKind.UNAVAILABLE);
    }

    @Test
    void commandTimeoutIsTimeout() {
        assertThat(CacheFailures.classify(new RedisCommandTimeoutException("Command timed out")))
                .isEqualTo(FailureKind.TIMEOUT);
    }

    @Test
    void serverErrorRepliesAndBadJsonAreCallerErrors() {
        assertThat(CacheFailures.classify(new RedisCommandExecutionException("WRONGTYPE Operation against a key")))
                .isEqualTo(FailureKind.CALLER_ERROR);
        assertThat(CacheFailures.classify(new RedisNoScriptException("NOSCRIPT No matching script")))
                .isEqualTo(FailureKind.CALLER_ERROR);
        assertThat(CacheFailures.classify(new JsonParseException(null, "bad")))
                .isEqualTo(FailureKind.CALLER_ERROR);
        assertThat(CacheFailures.classify(new IllegalArgumentException("x"))).isEqualTo(FailureKind.CALLER_ERROR);
    }

    @Test
    void translationKeepsTheServerErrorCode() {
        RuntimeException e = CacheFailures.translate("get",
                new RedisCommandExecutionException("WRONGTYPE Operation against a key holding the wrong kind"),
                FailureKind.CALLER_ERROR);
        assertThat(e).isInstanceOf(StoreOperationException.class).hasMessageContaining("cache get failed");
        assertThat(((StoreOperationException) e).errorCode()).isEqualTo("WRONGTYPE");

        RuntimeException u = CacheFailures.translate("set", new RedisConnectionException("refused"),
                FailureKind.UNAVAILABLE);
        assertThat(u).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("set failed");
        RuntimeException t = CacheFailures.translate("set", new RedisCommandTimeoutException("after 1s"),
                FailureKind.TIMEOUT);
        assertThat(t).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("outcome unknown");
    }
}
