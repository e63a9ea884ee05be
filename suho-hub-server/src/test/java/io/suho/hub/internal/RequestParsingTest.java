package io.suho.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.suho.client.core.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hub's request parsing without a server: registrations, the route table and bearer auth. */
class RequestParsingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void registrationTakesDefaultsAndKeepsMetaInOrder() throws Exception {
        Registration r = Registration.parse(json("{\"service\": \"order-service\", \"host\": \"10.0.0.7\", "
                + "\"port\": 8080, \"meta\": {\"zone\": \"a\", \"sdk\": \"suho-java\"}}"), 30, 3600);

        assertThat(r).isEqualTo(new Registration("order-service", "10.0.0.7", 8080, 30,
                Map.of("zone", "a", "sdk", "suho-java")));
        assertThat(r.meta().keySet()).containsExactly("zone", "sdk");
    }

    @Test
    void registrationRefusalsNameTheField() {
        refused("{\"host\": \"h\", \"port\": 1}", "service: required");
        refused("{\"service\": \"-x\", \"host\": \"h\", \"port\": 1}", "service: '-x' is invalid (letters, digits, "
                + "'.', '_', '-'; 1 to 64, starting with a letter or digit)");
        refused("{\"service\": \"s\", \"host\": 7, \"port\": 1}", "host: expected a string, got number");
        refused("{\"service\": \"s\", \"host\": \"a b\", \"port\": 1}", "host: 'a b' is not a host name or IP "
                + "address");
        refused("{\"service\": \"s\", \"host\": \"h\"}", "port: required");
        refused("{\"service\": \"s\", \"host\": \"h\", \"port\": 70000}", "port: expected a whole number in 0..65535");
        refused("{\"service\": \"s\", \"host\": \"h\", \"port\": 1, \"ttlSeconds\": 3601}",
                "ttlSeconds: expected a whole number in 1..3600");
        refused("{\"service\": \"s\", \"host\": \"h\", \"port\": 1, \"meta\": []}", "meta: expected an object of "
                + "strings");
        refused("{\"service\": \"s\", \"host\": \"h\", \"port\": 1, \"meta\": {\"db_password\": \"x\"}}",
                "meta: key 'db_password' looks like a credential; the hub stores no credentials");
        refused("{\"service\": \"s\", \"host\": \"h\", \"port\": 1, \"meta\": {\"k\": 1}}",
                "meta.k: expected a string of up to 256 characters");
    }

    @Test
    void routeTableMatchesPatternsAndRefusesOtherMethodsAndPaths() {
        List<String> served = new ArrayList<>();
        RouteTable routes = new RouteTable()
                .add("GET", "/v1/instances/{id}", ex -> served.add("get " + ex.param("id")))
                .add("DELETE", "/v1/instances/{id}", ex -> served.add("delete " + ex.param("id")))
                .add("PUT", "/v1/instances/{id}/heartbeat", ex -> served.add("beat " + ex.param("id")));
        Exchange ex = new Exchange(null, null, null, JSON, null);

        routes.serve("HEAD", "/v1/instances/a1", ex);
        routes.serve("PUT", "/v1/instances/b2/heartbeat", ex);

        assertThat(served).containsExactly("get a1", "beat b2");
        assertThat(ex.route()).isEqualTo("/v1/instances/{id}/heartbeat");
        assertThatThrownBy(() -> routes.serve("POST", "/v1/instances/a1", ex)).isInstanceOfSatisfying(
                ApiException.class, e -> assertThat(e.status()).isEqualTo(405))
                .hasMessage("POST is not allowed here; allowed: GET, DELETE");
        assertThatThrownBy(() -> routes.serve("GET", "/v1/instances/a1/", ex)).isInstanceOfSatisfying(
                ApiException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessage("no such resource: /v1/instances/a1/");
    }

    @Test
    void bearerAuthAcceptsOnlyTheTokenAndIsReadOnlyWithoutOne() {
        BearerAuth auth = new BearerAuth(Secret.of("s3cret-token"));
        auth.authorize("Bearer s3cret-token");
        auth.authorize("bearer  s3cret-token ");

        assertThatThrownBy(() -> auth.authorize(null)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(401)).hasMessageContaining("Authorization: Bearer");
        assertThatThrownBy(() -> auth.authorize("Bearer s3cret-tokeN")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(401)).hasMessage("the bearer token is not valid");
        assertThatThrownBy(() -> new BearerAuth(null).authorize("Bearer s3cret-token"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    private static void refused(String body, String message) {
        assertThatThrownBy(() -> Registration.parse(json(body), 30, 3600)).isInstanceOfSatisfying(
                ApiException.class, e -> assertThat(e.status()).isEqualTo(400)).hasMessage(message);
    }
}
