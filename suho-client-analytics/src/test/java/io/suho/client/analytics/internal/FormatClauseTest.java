package io.suho.client.analytics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormatClauseTest {
    @Test
    void detectsATrailingFormatClauseOnly() {
        assertThat(ClickHouseAnalyticsClient.endsWithFormat("SELECT 1 FORMAT JSON")).isTrue();
        assertThat(ClickHouseAnalyticsClient.endsWithFormat("select 1\nformat\tTabSeparated")).isTrue();
        assertThat(ClickHouseAnalyticsClient.endsWithFormat("SELECT 1")).isFalse();
        assertThat(ClickHouseAnalyticsClient.endsWithFormat("SELECT informat FROM t")).isFalse();
        assertThat(ClickHouseAnalyticsClient.endsWithFormat("SELECT x AS myformat JSON")).isFalse();
        assertThat(ClickHouseAnalyticsClient.endsWithFormat("SELECT count() FROM t")).isFalse();
    }
}
