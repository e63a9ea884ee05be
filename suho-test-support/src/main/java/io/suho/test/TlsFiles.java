package io.suho.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away private CA and the certificates a TLS test needs, made with {@code openssl} in a directory of the
 * test's: a server certificate for {@code localhost} and {@code 127.0.0.1} and a client certificate, both signed by
 * the CA, as PEM files (for redis-server, nats-server) and as PKCS#12 keystores (for JDK servers and clients). The
 * keystore password is random per set. A machine without {@code openssl} skips the test with the reason printed.
 *
 * @param caCert the CA certificate (PEM): what a client configures as {@code suho.<store>.tls.ca-file}
 * @param serverCert the server certificate (PEM), subject alternative names {@code localhost}, {@code 127.0.0.1}
 * @param serverKey the server's private key (PEM, unencrypted)
 * @param serverKeystore the server certificate, key and CA chain as PKCS#12
 * @param clientCert a client certificate (PEM, extended key usage clientAuth)
 * @param clientKey the client's private key (PEM, unencrypted)
 * @param clientKeystore the client certificate, key and CA chain as PKCS#12
 * @param keystorePassword the password of both keystores
 */
public record TlsFiles(Path caCert, Path serverCert, Path serverKey, Path serverKeystore, Path clientCert,
        Path clientKey, Path clientKeystore, String keystorePassword) {

    /**
     * Creates the CA and the certificates in {@code dir}, or aborts the calling test (a skip, with the reason printed)
     * when {@code openssl} is not installed.
     *
     * @throws IllegalStateException when openssl is there but fails (its output is in the message)
     */
    public static TlsFiles createOrSkip(Path dir) {
        try {
            run(dir, List.of("openssl", "version"));
        } catch (IOException e) {
            String reason = "openssl is not available to make test certificates: " + e.getMessage();
            System.err.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
        try {
            return create(dir);
        } catch (IOException e) {
            throw new IllegalStateException("making test certificates in " + dir + " failed: " + e.getMessage(), e);
        }
    }

    private static TlsFiles create(Path dir) throws IOException {
        String password = UUID.randomUUID().toString();
        run(dir, List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-days", "2", "-subj", "/CN=suho test CA", "-keyout", "ca.key", "-out", "ca.crt",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"));
        leaf(dir, "server", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
                password);
        leaf(dir, "client", "suho-test-client", "extendedKeyUsage=clientAuth\n", password);
        return new TlsFiles(dir.resolve("ca.crt"), dir.resolve("server.crt"), dir.resolve("server.key"),
                dir.resolve("server.p12"), dir.resolve("client.crt"), dir.resolve("client.key"),
                dir.resolve("client.p12"), password);
    }

    private static void leaf(Path dir, String name, String cn, String extensions, String password)
            throws IOException {
        Files.writeString(dir.resolve(name + ".ext"), extensions, StandardCharsets.US_ASCII);
        run(dir, List.of("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-subj", "/CN=" + cn, "-keyout", name + ".key", "-out", name + ".csr"));
        run(dir, List.of("openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "2", "-out", name + ".crt", "-extfile", name + ".ext"));
        run(dir, List.of("openssl", "pkcs12", "-export", "-in", name + ".crt", "-inkey", name + ".key",
                "-certfile", "ca.crt", "-name", name, "-out", name + ".p12", "-passout", "pass:" + password));
    }

    private static void run(Path dir, List<String> command) throws IOException {
        Path log = Files.createTempFile(dir, "openssl", ".log");
        Process p = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command.subList(0, 2)) + " did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command.subList(0, 2)) + " exited " + p.exitValue() + ": "
                    + Files.readString(log));
        }
    }
}
