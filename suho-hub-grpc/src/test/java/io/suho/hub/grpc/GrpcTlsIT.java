package io.suho.hub.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.suho.client.core.SuhoClients;
import io.suho.hub.HubConfig;
import io.suho.hub.HubServer;
import io.suho.hub.api.v1.GetEndpointsRequest;
import io.suho.hub.api.v1.HubGrpc;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gRPC port over TLS with the hub's own identity (a self-signed certificate made here by {@code keytool}) and,
 * with {@code SUHO_HUB_TLS_CLIENT_CA}, client certificates for registrations: the SDK with
 * {@code suho.hub.transport=grpc} trusts the hub through {@code suho.hub.tls.ca-file} and registers with its client
 * certificate; without one it reads but does not register; the port speaks no plaintext.
 */
class GrpcTlsIT {
    private static final String PASSWORD = "keystore-pw-for-grpc-tests";

    @TempDir
    static Path dir;

    private static Path ca;
    private static Path clientStore;
    private static HubServer hub;

    @BeforeAll
    static void startAHubWithTlsAndAClientCa() throws Exception {
        Path hubStore = dir.resolve("hub.p12");
        ca = dir.resolve("hub-ca.pem");
        clientStore = dir.resolve("client.p12");
        Path clientCa = dir.resolve("client-ca.pem");
        keytool("-genkeypair", "-alias", "hub", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-keystore", hubStore.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "hub", "-keystore", hubStore.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-file", ca.toString());
        keytool("-genkeypair", "-alias", "svc", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=order-service", "-validity", "2", "-keystore", clientStore.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "svc", "-keystore", clientStore.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-file", clientCa.toString());
        Map<String, String> env = GrpcHubTransportIT.hubEnv();
        env.put("SUHO_HUB_TLS_KEYSTORE", hubStore.toString());
        env.put("SUHO_HUB_TLS_KEYSTORE_PASSWORD", PASSWORD);
        env.put("SUHO_HUB_TLS_CLIENT_CA", clientCa.toString());
        hub = HubServer.start(HubConfig.from(env));
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static SuhoClients.Builder sdk(String name) {
        return SuhoClients.builder().serviceName(name)
                .hub(URI.create("https://localhost:" + hub.grpcPort().orElseThrow()))
                .hubToken(GrpcHubTransportIT.TOKEN).set("suho.hub.transport", "grpc")
                .set("suho.hub.tls.ca-file", ca.toString())
                .endpointCacheFile(dir.resolve(name + ".json")).environment(Map.of()).hubTimeout(Duration.ofSeconds(3));
    }

    @Test
    void theSdkTrustsTheHubsCertificateAndRegistersWithItsClientCertificate() {
        try (SuhoClients suho = sdk("grpc-mtls").set("suho.hub.tls.keystore", clientStore.toString())
                .set("suho.hub.tls.keystore-password", PASSWORD).build()) {
            assertThat(suho.endpointVersion()).isEqualTo(hub.endpointsVersion());
            assertThat(suho.instanceId()).as("registered over mutual TLS").isNotNull();
        }
    }

    @Test
    void withoutAClientCertificateTheSdkReadsButDoesNotRegister() {
        try (SuhoClients suho = sdk("grpc-no-cert").build()) {
            assertThat(suho.endpointVersion()).as("reads need no certificate").isEqualTo(hub.endpointsVersion());
            assertThat(suho.instanceId()).as("registration needs the client certificate").isNull();
        }
    }

    @Test
    void thePortSpeaksNoPlaintextAndAnUntrustedCertificateIsRefused() throws Exception {
        int port = hub.grpcPort().orElseThrow();
        for (ManagedChannel ch : new ManagedChannel[] {
                Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create()).build(),
                Grpc.newChannelBuilderForAddress("localhost", port, TlsChannelCredentials.create()).build()}) {
            try {
                assertThatThrownBy(() -> HubGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .getEndpoints(GetEndpointsRequest.getDefaultInstance()))
                        .isInstanceOf(StatusRuntimeException.class);
            } finally {
                ch.shutdownNow();
            }
        }
        ManagedChannel trusted = Grpc.newChannelBuilderForAddress("localhost", port,
                TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build()).build();
        try {
            assertThat(HubGrpc.newBlockingStub(trusted).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .getEndpoints(GetEndpointsRequest.getDefaultInstance()).getVersion())
                    .isEqualTo(hub.endpointsVersion());
        } finally {
            trusted.shutdownNow();
        }
    }
}
