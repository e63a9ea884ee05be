package io.suho.client.messaging;

import io.nats.client.Message;

/**
 * Application code that processes one raw JetStream message — payloads that are not Suho event envelopes (another
 * team's JSON, Protobuf, plain text): subject, headers and data as stored, plus the JetStream metadata
 * ({@code message.metaData()}: stream sequence, delivery count). Run it with {@link NatsClient#consumeMessages}. Do
 * not ack, nak or term the message yourself: as with {@link EventHandler}, returning acks it, throwing naks it with the
 * spec's {@code retryDelay}, and its {@code maxDeliver}-th failure (or an {@link EventHandler.PermanentFailure})
 * sends it to the dead-letter subject with {@link io.suho.events.DeadLetters} headers. At least once: deduplicate
 * on something in the message (a business key, or the stream sequence).
 */
@FunctionalInterface
public interface NatsMessageHandler {

    void handle(Message message) throws Exception;
}
