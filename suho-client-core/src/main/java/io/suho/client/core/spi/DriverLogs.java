package io.suho.client.core.spi;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a driver's routine chatter out of the application's INFO log: a store module names the driver loggers that
 * log at INFO what nobody needs at INFO (Kafka's dump of every client's whole configuration, its version banner,
 * "metrics scheduler closed"), and this class raises them to WARN — <b>only where the application did not set a
 * level for that logger or a parent of it</b> (the root logger aside). Warnings and errors still come through; an
 * application that wants the INFO lines back sets the logger's level (e.g. {@code
 * <logger name="org.apache.kafka.common.config.AbstractConfig" level="INFO"/>}).
 *
 * <p>Works with the SLF4J bindings applications use: Logback, Log4j 2 ({@code log4j-slf4j2-impl}), slf4j-simple and
 * java.util.logging ({@code slf4j-jdk14}), reached by reflection so none of them is a dependency. With any other
 * binding it does nothing. Idempotent and cheap; call it before the driver creates its loggers' first lines.
 */
public final class DriverLogs {
    private static final Logger log = LoggerFactory.getLogger(DriverLogs.class);
    private static final String SIMPLE_PREFIX = "org.slf4j.simpleLogger.log.";
    /** java.util.logging keeps loggers weakly: hold the ones whose level was set. */
    private static final List<Object> KEEP = new ArrayList<>();

    /**
     * Kafka client loggers whose INFO lines are routine: the configuration dump of every producer, consumer and admin
     * client ({@code AbstractConfig}, ~100 lines each), the version banner, metrics and telemetry start/stop, the
     * producer's id and the cluster id. Group membership and partition assignment (the consumer coordinator) stay at
     * INFO.
     */
    public static final List<String> KAFKA = List.of(
            "org.apache.kafka.common.config.AbstractConfig",
            "org.apache.kafka.common.utils.AppInfoParser",
            "org.apache.kafka.common.utils.internals.AppInfoParser",
            "org.apache.kafka.common.metrics.Metrics",
            "org.apache.kafka.common.telemetry.internals.KafkaMetricsCollector",
            "org.apache.kafka.clients.producer.KafkaProducer",
            "org.apache.kafka.clients.producer.internals.TransactionManager",
            "org.apache.kafka.clients.Metadata");

    private DriverLogs() {
    }

    /** {@link #quietUnlessConfigured(String...)} for {@link #KAFKA}; call before creating a Kafka client. */
    public static int quietKafka() {
        return quietUnlessConfigured(KAFKA.toArray(String[]::new));
    }

    /**
     * Raises each named logger to WARN unless the application configured it (or a parent other than the root).
     *
     * @param loggerNames full logger names, e.g. {@code org.apache.kafka.common.config.AbstractConfig}
     * @return how many loggers were raised (0 with an unknown binding or when all are configured)
     */
    public static synchronized int quietUnlessConfigured(String... loggerNames) {
        int raised = 0;
        for (String name : loggerNames) {
            try {
                if (raise(name)) {
                    raised++;
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                log.debug("cannot set the level of logger {}: {}", name, e.toString());
            }
        }
        return raised;
    }

    private static boolean raise(String name) throws ReflectiveOperationException {
        // decide by the binding's factory, not by creating the logger: slf4j-simple fixes a logger's level when it
        // is created, so it must not exist before its level property is set
        String factory = LoggerFactory.getILoggerFactory().getClass().getName();
        switch (factory) {
            case "ch.qos.logback.classic.LoggerContext":
                return logback(LoggerFactory.getLogger(name));
            case "org.apache.logging.slf4j.Log4jLoggerFactory":
                return log4j2(name);
            case "org.slf4j.simple.SimpleLoggerFactory":
                return simple(name);
            case "org.slf4j.jul.JDK14LoggerFactory":
                return jul(name);
            default:
                return false;
        }
    }

    private static boolean logback(Object logger) throws ReflectiveOperationException {
        Class<?> type = logger.getClass();
        Method getLevel = type.getMethod("getLevel");
        Method getName = type.getMethod("getName");
        // an explicit level on the logger or a parent below the root is the application's choice
        Object context = type.getMethod("getLoggerContext").invoke(logger);
        Method lookup = context.getClass().getMethod("exists", String.class);
        String name = (String) getName.invoke(logger);
        for (String n = name; n != null; n = parent(n)) {
            Object l = lookup.invoke(context, n);
            if (l != null && getLevel.invoke(l) != null) {
                return false;
            }
        }
        Class<?> level = Class.forName("ch.qos.logback.classic.Level", true, type.getClassLoader());
        type.getMethod("setLevel", level).invoke(logger, level.getField("WARN").get(null));
        return true;
    }

    private static boolean log4j2(String name) throws ReflectiveOperationException {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        Class<?> logManager = Class.forName("org.apache.logging.log4j.LogManager", true, cl);
        Object context = logManager.getMethod("getContext", boolean.class).invoke(null, false);
        Object config = context.getClass().getMethod("getConfiguration").invoke(context);
        Object loggerConfig = config.getClass().getMethod("getLoggerConfig", String.class).invoke(config, name);
        String configured = (String) loggerConfig.getClass().getMethod("getName").invoke(loggerConfig);
        if (!configured.isEmpty()) {
            return false; // the logger or a parent has a LoggerConfig of the application's
        }
        Class<?> level = Class.forName("org.apache.logging.log4j.Level", true, cl);
        Class<?> configurator = Class.forName("org.apache.logging.log4j.core.config.Configurator", true, cl);
        configurator.getMethod("setLevel", String.class, level).invoke(null, name, level.getField("WARN").get(null));
        return true;
    }

    private static boolean simple(String name) {
        Properties file = new Properties();
        try (InputStream in = Thread.currentThread().getContextClassLoader()
                .getResourceAsStream("simplelogger.properties")) {
            if (in != null) {
                file.load(in);
            }
        } catch (IOException e) {
            return false;
        }
        for (String n = name; n != null; n = parent(n)) {
            if (System.getProperty(SIMPLE_PREFIX + n) != null || file.getProperty(SIMPLE_PREFIX + n) != null) {
                return false;
            }
        }
        // read by slf4j-simple when a logger of that name is created; one already created keeps its level
        System.setProperty(SIMPLE_PREFIX + name, "warn");
        return true;
    }

    private static boolean jul(String name) {
        java.util.logging.LogManager manager = java.util.logging.LogManager.getLogManager();
        for (String n = name; n != null; n = parent(n)) {
            java.util.logging.Logger l = manager.getLogger(n);
            if ((l != null && l.getLevel() != null) || manager.getProperty(n + ".level") != null) {
                return false;
            }
        }
        java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
        l.setLevel(java.util.logging.Level.WARNING);
        KEEP.add(l);
        return true;
    }

    private static String parent(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? null : name.substring(0, dot);
    }
}
