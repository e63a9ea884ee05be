package io.suho.hub.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * One source of truth for the hub's gRPC contract: the {@code .proto} packaged in this jar, the one under
 * {@code docs/proto/} and the one protoc compiled are the same file.
 */
class PublishedProtoTest {
    private static final String PROTO = "suho/hub/v1/hub.proto";

    @Test
    void theDocsCopyIsTheProtoInTheJar() throws IOException {
        String packaged;
        try (InputStream in = PublishedProtoTest.class.getClassLoader().getResourceAsStream(PROTO)) {
            assertThat(in).as("%s on the classpath (attached by the protobuf plugin)", PROTO).isNotNull();
            packaged = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path docs = Path.of(System.getProperty("user.dir")).resolve("../docs/proto").resolve(PROTO).normalize();
        assertThat(docs).as("the published copy; fix: cp suho-hub-api/src/main/proto/%s docs/proto/%s", PROTO, PROTO)
                .exists();
        assertThat(Files.readString(docs)).as("docs/proto/%s differs from suho-hub-api/src/main/proto/%s; copy the"
                + " module's file over the docs one", PROTO, PROTO).isEqualTo(packaged);
    }

    @Test
    void theCompiledServiceHasTheSevenCalls() {
        ServiceDescriptor hub = HubProto.getDescriptor().findServiceByName("Hub");
        assertThat(hub.getFullName()).isEqualTo("suho.hub.v1.Hub");
        assertThat(hub.getMethods()).extracting(MethodDescriptor::getName).containsExactly("Register", "Heartbeat",
                "Deregister", "GetEndpoints", "WatchEndpoints", "ListServices", "GetHealth");
        assertThat(hub.findMethodByName("WatchEndpoints").isServerStreaming()).isTrue();
        assertThat(HubGrpc.SERVICE_NAME).isEqualTo("suho.hub.v1.Hub");
    }
}
