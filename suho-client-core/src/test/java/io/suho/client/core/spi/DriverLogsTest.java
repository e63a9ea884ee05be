package io.suho.client.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Core's tests run on Logback: a driver logger nobody configured is raised to WARN, a configured one is left. */
class DriverLogsTest {

    @Test
    void anUnconfiguredDriverLoggerIsRaisedToWarn() {
        String name = "test.driver.unconfigured.Chatty";

        assertThat(DriverLogs.quietUnlessConfigured(name)).isEqualTo(1);

        Logger logger = (Logger) LoggerFactory.getLogger(name);
        assertThat(logger.getLevel()).isEqualTo(Level.WARN);
        assertThat(logger.isInfoEnabled()).isFalse();
        assertThat(logger.isWarnEnabled()).isTrue();
    }

    @Test
    void aLevelTheApplicationSetOnTheLoggerOrAParentIsKept() {
        ((Logger) LoggerFactory.getLogger("test.driver.configured")).setLevel(Level.DEBUG);
        ((Logger) LoggerFactory.getLogger("test.driver.own.Logger")).setLevel(Level.INFO);

        assertThat(DriverLogs.quietUnlessConfigured("test.driver.configured.Chatty", "test.driver.own.Logger"))
                .isZero();

        assertThat(((Logger) LoggerFactory.getLogger("test.driver.configured.Chatty")).getEffectiveLevel())
                .isEqualTo(Level.DEBUG);
        assertThat(((Logger) LoggerFactory.getLogger("test.driver.own.Logger")).getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void kafkasConfigDumpLoggerIsInTheList() {
        assertThat(DriverLogs.KAFKA).contains("org.apache.kafka.common.config.AbstractConfig");
    }
}
