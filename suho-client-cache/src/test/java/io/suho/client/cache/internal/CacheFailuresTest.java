package io.suho.client.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisReadOnlyException;
import io.suho.client.cache.CacheValueException;
import io.suho.client.core.spi.Failure;
import io.suho.client.core.spi.FailureKind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The cache's failure policy, fed the exceptions Lettuce 7 actually throws (see the comments for where from). */
class CacheFailuresTest {

    private static FailureKind kind(Throwable t) {
        return CacheFailures.POLICY.classify(t).kind();
    }

    @Test
    void notSentIsUnavailable() {
        // RedisClient.connect: refused, unknown host, connect timeout, handshake failure
        assertThat(kind(new RedisConnectionException("Unable to connect to 127.0.0.1/<unresolved>:1",
                new ConnectException("Connection refused")))).isEqualTo(FailureKind.UNAVAILABLE);
        // DefaultEndpoint.validateWrite with DisconnectedBehavior.REJECT_COMMANDS; the write listener after a failed
        // write; a closed client
        assertThat(kind(new RedisException("Currently not connected. Commands are rejected.")))
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind(new RedisException("Connection is closed"))).isEqualTo(FailureKind.UNAVAILABLE);
        // the async API completes with the same exception, wrapped by the CompletableFuture
        assertThat(kind(new CompletionException(new RedisException("Currently not connected. Commands are rejected."))))
                .isEqualTo(FailureKind.UNAVAILABLE);
        // a server not serving yet executed nothing
        assertThat(kind(new RedisLoadingException("LOADING Redis is loading the dataset in memory")))
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind(new RedisBusyException("BUSY Redis is busy running a script")))
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind(new RedisReadOnlyException("READONLY You can't write against a read only replica.")))
                .isEqualTo(FailureKind.UNAVAILABLE);
    }

    @Test
    void wrongPasswordIsUnavailableWithItsCodeAndAHint() {
        Failure f = CacheFailures.POLICY.classify(new RedisConnectionException("Unable to connect to localhost:6379",
                new RedisCommandExecutionException("WRONGPASS invalid username-password pair or user is disabled.")));
        assertThat(f.kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(f.errorCode()).isEqualTo("WRONGPASS");
        assertThat(f.hint()).contains("suho.cache.password");
        assertThat(f.detail()).contains("Unable to connect").contains("WRONGPASS");
    }

    @Test
    void noAnswerIsTimeout() {
        // LettuceFutures.awaitOrCancel (sync) and CommandExpiryWriter (async): the command timeout
        assertThat(kind(new RedisCommandTimeoutException("Command timed out after 500 millisecond(s)")))
                .isEqualTo(FailureKind.TIMEOUT);
        // DefaultEndpoint.notifyDrainQueuedCommands: commands on the wire when the connection dropped
        assertThat(kind(new RedisException("Connection disconnected"))).isEqualTo(FailureKind.TIMEOUT);
        assertThat(kind(new RedisException("Connection closed"))).isEqualTo(FailureKind.TIMEOUT);
        // CommandHandler.exceptionCaught: a reset completes the command on the wire with the I/O exception; the sync
        // API wraps it in a RedisException (Exceptions.bubble)
        assertThat(kind(new SocketException("Connection reset"))).isEqualTo(FailureKind.TIMEOUT);
        assertThat(kind(new RedisException(new IOException("Connection reset by peer"))))
                .isEqualTo(FailureKind.TIMEOUT);
    }

    @Test
    void errorRepliesAreOperationErrorsWithTheirPrefix() {
        for (String reply : new String[] {"WRONGTYPE Operation against a key holding the wrong kind of value",
            "ERR value is not an integer or out of range", "OOM command not allowed when used memory > 'maxmemory'.",
            "BUSYGROUP Consumer Group name already exists", "BUSYKEY Target key name already exists."}) {
            Failure f = CacheFailures.POLICY.classify(new RedisCommandExecutionException(reply));
            assertThat(f.kind()).as(reply).isEqualTo(FailureKind.OPERATION_ERROR);
            assertThat(f.errorCode()).isEqualTo(reply.substring(0, reply.indexOf(' ')));
        }
        Failure noscript = CacheFailures.POLICY.classify(new RedisNoScriptException("NOSCRIPT No matching script."));
        assertThat(noscript.kind()).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(noscript.errorCode()).isEqualTo("NOSCRIPT");
        assertThat(CacheFailures.POLICY.classify(new RedisCommandExecutionException("lower case reply")).errorCode())
                .isNull();
    }

    @Test
    void jsonInsideACallIsACacheValueException() {
        JsonParseException bad = new JsonParseException(null, "Unexpected character");
        Failure f = CacheFailures.POLICY.classify(bad);
        assertThat(f.kind()).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(f.errorCode()).isEqualTo("SERIALIZATION");
        assertThat(CacheFailures.POLICY.operationError("counter", f, bad)).isInstanceOf(CacheValueException.class)
                .hasMessageContaining("cache counter failed [SERIALIZATION]").hasCause(bad);
        assertThat(CacheFailures.POLICY.operationError("get", CacheFailures.POLICY.classify(
                new RedisCommandExecutionException("ERR x")), null)).isNull();
    }

    @Test
    void callerCodeAndLettuceOwnFailuresDoNotCount() {
        assertThat(kind(new IllegalArgumentException("x"))).isEqualTo(FailureKind.CALLER_CODE);
        assertThat(kind(new RedisCommandInterruptedException(new InterruptedException())))
                .isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(kind(new RedisException("Unsupported script output type"))).isEqualTo(FailureKind.OPERATION_ERROR);
    }
}
