package io.suho.client.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The desired shape of a JetStream stream, for {@link NatsClient#ensureStream}: name, subjects, retention by age,
 * the duplicate window (how long {@code Nats-Msg-Id} dedup remembers an id), file or memory storage and replicas.
 * Immutable; change it with the {@code with…} methods.
 *
 * @param name stream name ({@code [A-Za-z0-9_-]})
 * @param subjects subjects (wildcards allowed) the stream captures
 * @param maxAge how long messages are kept ({@link Duration#ZERO} = forever)
 * @param duplicateWindow dedup window for {@code Nats-Msg-Id}
 * @param memory true for memory storage, false for file storage
 * @param replicas replica count (1 on a single server)
 */
public record StreamSpec(String name, List<String> subjects, Duration maxAge, Duration duplicateWindow, boolean memory,
        int replicas) {

    public StreamSpec {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("stream name " + name + " must be 1-64 of [A-Za-z0-9_-]");
        }
        subjects = List.copyOf(Objects.requireNonNull(subjects, "subjects"));
        if (subjects.isEmpty()) {
            throw new IllegalArgumentException("stream " + name + " needs at least one subject");
        }
        subjects.forEach(Subjects::subscribeSubject);
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(duplicateWindow, "duplicateWindow");
        if (replicas < 1 || replicas > 5) {
            throw new IllegalArgumentException("stream " + name + ": replicas must be 1..5, was " + replicas);
        }
    }

    /** File storage, 3-day retention, 2-minute duplicate window, 1 replica. */
    public static StreamSpec of(String name, String... subjects) {
        return new StreamSpec(name, List.of(subjects), Duration.ofDays(3), Duration.ofMinutes(2), false, 1);
    }

    public StreamSpec withMaxAge(Duration maxAge) {
        return new StreamSpec(name, subjects, maxAge, duplicateWindow, memory, replicas);
    }

    public StreamSpec withDuplicateWindow(Duration window) {
        return new StreamSpec(name, subjects, maxAge, window, memory, replicas);
    }

    public StreamSpec withMemoryStorage(boolean memory) {
        return new StreamSpec(name, subjects, maxAge, duplicateWindow, memory, replicas);
    }

    public StreamSpec withReplicas(int replicas) {
        return new StreamSpec(name, subjects, maxAge, duplicateWindow, memory, replicas);
    }
}
