package io.suho.client.messaging;

/**
 * JetStream's acknowledgement of a publish.
 *
 * @param stream the stream that stored the message
 * @param sequence its stream sequence
 * @param duplicate true when the server already had this event id within the duplicate window (nothing new stored)
 * @param retriedAfterTimeout true when an earlier attempt timed out (ambiguous) and this ack came from a re-publish
 *        with the same id
 */
public record JsAck(String stream, long sequence, boolean duplicate, boolean retriedAfterTimeout) {
}
