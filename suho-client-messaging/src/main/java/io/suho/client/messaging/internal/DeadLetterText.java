package io.suho.client.messaging.internal;

/** How an error is written into a dead letter's headers, the same on the NATS and the Kafka path. */
final class DeadLetterText {
    private static final int MAX = 1000;

    private DeadLetterText() {
    }

    /** The error's message on one line, at most 1000 characters (headers are single-line and size-bound). */
    static String errorMessage(Throwable error) {
        String s = error.getMessage();
        if (s == null) {
            return "";
        }
        String t = s.replace('\r', ' ').replace('\n', ' ');
        return t.length() <= MAX ? t : t.substring(0, MAX);
    }
}
