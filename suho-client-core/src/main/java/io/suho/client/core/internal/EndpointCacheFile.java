package io.suho.client.core.internal;

import io.suho.client.core.EndpointCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The last-known-good endpoint file: the hub's last endpoint catalog, written atomically (temp file + rename) with
 * owner-only permissions, read when the hub cannot be reached at start-up. It never holds credentials: the catalog
 * type cannot carry them.
 */
public final class EndpointCacheFile {
    private final Path path;

    public EndpointCacheFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** Writes the catalog; the previous file stays intact until the new one is complete. */
    public void write(EndpointCatalog catalog) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the temp file already inherits the user's profile ACLs.
            }
            Files.writeString(tmp, catalog.toJson(), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The stored catalog, or empty when there is no file. A corrupt file is an IOException naming the path. */
    public Optional<EndpointCatalog> read() throws IOException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(EndpointCatalog.fromJson(text));
        } catch (IllegalArgumentException e) {
            throw new IOException("endpoint file " + path + " is corrupt: " + e.getMessage(), e);
        }
    }
}
