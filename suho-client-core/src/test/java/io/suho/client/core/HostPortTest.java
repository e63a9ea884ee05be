package io.suho.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {
    @Test
    void parsesHostPortBareHostAndIpv6() {
        assertThat(HostPort.parse("db:6000", 5432)).isEqualTo(new HostPort("db", 6000));
        assertThat(HostPort.parse(" db ", 5432)).isEqualTo(new HostPort("db", 5432));
        assertThat(HostPort.parse("[::1]:7000", 1)).isEqualTo(new HostPort("::1", 7000));
        assertThat(new HostPort("::1", 7000).toString()).isEqualTo("[::1]:7000");
        assertThat(HostPort.parseList("a:1, b ,,c:3", 9)).containsExactly(new HostPort("a", 1), new HostPort("b", 9),
                new HostPort("c", 3));
    }

    @Test
    void rejectsUrlsBadPortsAndEmptyLists() {
        assertThatThrownBy(() -> HostPort.parse("http://x:1", 1)).hasMessageContaining("is a URL");
        assertThatThrownBy(() -> HostPort.parse("x:70000", 1)).hasMessageContaining("outside 1..65535");
        assertThatThrownBy(() -> HostPort.parse("x:abc", 1)).hasMessageContaining("not a port number");
        assertThatThrownBy(() -> HostPort.parseList(" , ", 1)).hasMessageContaining("no host");
    }

    @Test
    void aHostIsOnlyANameOrAnAddress() {
        for (String bad : new String[] {"db/x?sslmode=disable&a=:5432", "user@db:5432", "db host:5432", "db#x",
                "db;x:1"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> HostPort.parse(bad, 5432)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        org.assertj.core.api.Assertions.assertThat(HostPort.parse("[fe80::1%eth0]:5432", 1).host())
                .isEqualTo("fe80::1%eth0");
        org.assertj.core.api.Assertions.assertThat(HostPort.parse("pg-1.internal_x:6543", 1))
                .isEqualTo(new HostPort("pg-1.internal_x", 6543));
    }
}
