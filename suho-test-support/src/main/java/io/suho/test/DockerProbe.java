package io.suho.test;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decides whether Testcontainers can be used, without loading any Testcontainers class unless it is on the
 * classpath (it is an optional dependency), so the local-stack path works with a minimal test classpath.
 */
final class DockerProbe {
    private DockerProbe() {
    }

    /** Null when Docker can be used, else why not. Cheap when there is no socket at all. */
    static String unavailableReason() {
        if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) {
            return "no Docker engine (no /var/run/docker.sock, DOCKER_HOST unset)";
        }
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, DockerProbe.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return "a Docker engine may be present but org.testcontainers:testcontainers is not on the test classpath";
        }
        return Containers.dockerUnavailableReason();
    }
}
