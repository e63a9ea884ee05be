package io.suho.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The registry's cached read routes over real HTTP: ETags, 304s, read-after-write, full registry and delta. */
class RegistryReadIT {
    private static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start();
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void aRegistrationIsVisibleToTheNextReadAndChangesTheEtag() throws Exception {
        String first = hub.register("rr-visible", 60);
        HttpResponse<String> r1 = hub.get("/v1/services/rr-visible");
        assertThat(r1.statusCode()).isEqualTo(200);
        String etag = r1.headers().firstValue("ETag").orElseThrow();

        String second = hub.register("rr-visible", 60);
        HttpResponse<String> r2 = hub.get("/v1/services/rr-visible", "If-None-Match", etag);
        assertThat(r2.statusCode()).isEqualTo(200);
        assertThat(TestHub.json(r2).get("instances").findValuesAsText("instanceId")).containsExactly(first, second);
        assertThat(r2.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
        assertThat(TestHub.json(hub.get("/v1/services")).get("services").toString())
                .contains("{\"name\":\"rr-visible\",\"instances\":2}");

        assertThat(hub.send("DELETE", "/v1/instances/" + first, null, TestHub.TOKEN).statusCode()).isEqualTo(204);
        assertThat(TestHub.json(hub.get("/v1/services/rr-visible")).get("instances")
                .findValuesAsText("instanceId")).containsExactly(second);
    }

    @Test
    void aMatchingIfNoneMatchIs304WithoutBody() throws Exception {
        hub.register("rr-etag", 60);
        // the tag names the service's state, not the lease countdown: it holds across the answer's 1 s rebuilds
        HttpResponse<String> r = hub.get("/v1/services/rr-etag");
        String etag = r.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = hub.get("/v1/services/rr-etag", "If-None-Match", "\"x\", " + etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers().firstValue("ETag")).hasValue(etag);
        // /v1/services (names and counts) has a strong tag from its bytes
        String listTag = hub.get("/v1/services").headers().firstValue("ETag").orElseThrow();
        assertThat(listTag).startsWith("\"");
        assertThat(hub.get("/v1/services", "If-None-Match", "W/" + listTag).statusCode()).isEqualTo(304);
        assertThat(hub.get("/v1/services/rr-etag", "If-None-Match", "*").statusCode()).isEqualTo(304);
        assertThat(hub.get("/v1/services/rr-etag", "If-None-Match", "\"nope\"").statusCode()).isEqualTo(200);
    }

    @Test
    void aPlainHeartbeatKeepsTheWeakEtagAndAChangedReportMovesIt() throws Exception {
        String id = hub.register("rr-beat", 60);
        HttpResponse<String> r1 = hub.get("/v1/services/rr-beat");
        String etag = r1.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).startsWith("W/\"");
        long v = TestHub.json(hub.get("/v1/instances")).get("version").asLong();

        // a lease renewal is not a change: same tag (304), and no delta entry for the service
        assertThat(hub.send("PUT", "/v1/instances/" + id + "/heartbeat", null, TestHub.TOKEN).statusCode())
                .isEqualTo(200);
        HttpResponse<String> same = hub.get("/v1/services/rr-beat", "If-None-Match", etag);
        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.headers().firstValue("ETag")).hasValue(etag);
        // the strong form of the same tag matches too (If-None-Match compares weakly)
        assertThat(hub.get("/v1/services/rr-beat", "If-None-Match", etag.substring(2)).statusCode()).isEqualTo(304);
        JsonNode delta = TestHub.json(hub.get("/v1/instances?sinceVersion=" + v));
        assertThat(delta.get("services").findValuesAsText("name")).doesNotContain("rr-beat");

        // a heartbeat whose store report differs is a change readers see at once
        String report = "{\"stores\":{\"cache\":{\"breaker\":\"OPEN\",\"calls\":4,\"errorRate\":0.5}}}";
        assertThat(hub.send("PUT", "/v1/instances/" + id + "/heartbeat", report, TestHub.TOKEN).statusCode())
                .isEqualTo(200);
        HttpResponse<String> changed = hub.get("/v1/services/rr-beat", "If-None-Match", etag);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
        assertThat(TestHub.json(changed).get("instances").get(0).get("stores").get("cache").get("breaker").asText())
                .isEqualTo("OPEN");
        assertThat(TestHub.json(hub.get("/v1/instances?sinceVersion=" + v)).get("services")
                .findValuesAsText("name")).contains("rr-beat");

        // the same report again is no change
        String etag2 = changed.headers().firstValue("ETag").orElseThrow();
        assertThat(hub.send("PUT", "/v1/instances/" + id + "/heartbeat", report, TestHub.TOKEN).statusCode())
                .isEqualTo(200);
        assertThat(hub.get("/v1/services/rr-beat", "If-None-Match", etag2).statusCode()).isEqualTo(304);
    }

    @Test
    void aHeartbeatAnswersWithTheLeaseAndTheCatalogVersion() throws Exception {
        String id = hub.register("rr-beat-answer", 60);
        HttpResponse<String> r = hub.send("PUT", "/v1/instances/" + id + "/heartbeat", null, TestHub.TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode n = TestHub.json(r);
        assertThat(n.get("instanceId").asText()).isEqualTo(id);
        assertThat(java.time.Instant.parse(n.get("leaseExpiresAt").asText())).isAfter(java.time.Instant.now());
        assertThat(n.get("endpointsVersion").asLong())
                .isEqualTo(TestHub.json(hub.get("/v1/endpoints")).get("version").asLong());
        // an empty body sent chunked (no Content-Length) is read, not assumed away
        TestHub.RawResponse chunked = hub.raw("PUT /v1/instances/" + id + "/heartbeat HTTP/1.1\r\nHost: x\r\n"
                + "X-Suho-Lease-Secret: " + hub.leases.get(id) + "\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n0\r\n\r\n");
        assertThat(chunked.status()).isEqualTo(200);
    }

    @Test
    void aRequestWhoseBodyIsSlowToArriveDoesNotHoldUpOtherRequests() throws Exception {
        hub.register("rr-slow", 60);
        String body = "{\"service\":\"rr-slow\",\"host\":\"10.0.0.8\",\"port\":8080}";
        try (java.net.Socket s = new java.net.Socket(hub.base.getHost(), hub.base.getPort())) {
            s.setSoTimeout(10_000);
            var out = s.getOutputStream();
            // the head only: the hub must not wait for this body on a thread other requests need
            out.write(("POST /v1/instances HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestHub.TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.flush();
            for (int i = 0; i < 20; i++) { // more than the hub has I/O threads, each on a new connection
                assertThat(hub.raw("GET /v1/services/rr-slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .status()).isEqualTo(200);
            }
            out.write(body.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 201");
        }
        assertThat(TestHub.json(hub.get("/v1/services/rr-slow")).get("instances").size()).isEqualTo(2);
    }

    @Test
    void allInstancesListsEveryServiceWithItsInstances() throws Exception {
        String a = hub.register("rr-all-a", 60);
        String b = hub.register("rr-all-b", 60);
        HttpResponse<String> r = hub.get("/v1/instances");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.headers().firstValue("ETag")).isPresent();
        JsonNode body = TestHub.json(r);
        assertThat(body.get("delta").asBoolean()).isFalse();
        assertThat(body.get("version").asLong()).isPositive();
        List<String> names = body.get("services").findValuesAsText("name");
        assertThat(names).contains("rr-all-a", "rr-all-b").isSorted();
        assertThat(body.get("services").findValuesAsText("instanceId")).contains(a, b);
        JsonNode inst = body.get("services").get(names.indexOf("rr-all-a")).get("instances").get(0);
        assertThat(inst.get("host").asText()).isEqualTo("10.0.0.7");
        assertThat(inst.get("lease").get("state").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void sinceVersionReturnsOnlyWhatChangedAndNamesRemovedServices() throws Exception {
        String gone = hub.register("rr-delta-gone", 60);
        hub.register("rr-delta-stays", 60);
        long v = TestHub.json(hub.get("/v1/instances")).get("version").asLong();

        String added = hub.register("rr-delta-new", 60);
        assertThat(hub.send("DELETE", "/v1/instances/" + gone, null, TestHub.TOKEN).statusCode()).isEqualTo(204);

        JsonNode delta = TestHub.json(hub.get("/v1/instances?sinceVersion=" + v));
        assertThat(delta.get("delta").asBoolean()).isTrue();
        assertThat(delta.get("version").asLong()).isGreaterThan(v);
        List<String> changed = delta.get("services").findValuesAsText("name");
        assertThat(changed).contains("rr-delta-new").doesNotContain("rr-delta-stays", "rr-delta-gone");
        assertThat(delta.get("services").findValuesAsText("instanceId")).contains(added);
        List<String> removed = new ArrayList<>();
        delta.get("removed").forEach(n -> removed.add(n.asText()));
        assertThat(removed).contains("rr-delta-gone");

        JsonNode none = TestHub.json(hub.get("/v1/instances?sinceVersion=" + delta.get("version").asLong()));
        assertThat(none.get("delta").asBoolean()).isTrue();
        assertThat(none.get("version").asLong()).isGreaterThanOrEqualTo(delta.get("version").asLong());
    }

    @Test
    void aVersionFromAnotherRunGetsTheFullAnswer() throws Exception {
        hub.register("rr-resync", 60);
        JsonNode r = TestHub.json(hub.get("/v1/instances?sinceVersion=" + Long.MAX_VALUE));
        assertThat(r.get("delta").asBoolean()).isFalse();
        assertThat(r.get("services").findValuesAsText("name")).contains("rr-resync");
    }

    @Test
    void badReadsAre4xxJson() throws Exception {
        for (String path : List.of("/v1/instances?sinceVersion=-1", "/v1/instances?sinceVersion=abc",
                "/v1/instances?sinceVersion=1&sinceVersion=2", "/v1/instances?other=1",
                "/v1/services/bad%20name", "/v1/services?x=1")) {
            HttpResponse<String> r = hub.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(400);
            assertThat(TestHub.json(r).get("error").asText()).as(path).isEqualTo("bad_request");
        }
        assertThat(hub.get("/v1/services/rr-never-registered").statusCode()).isEqualTo(404);
        assertThat(hub.send("PUT", "/v1/instances", "{}", TestHub.TOKEN).statusCode()).isEqualTo(405);
    }
}
