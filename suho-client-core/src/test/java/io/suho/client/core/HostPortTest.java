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
}
