package io.suho.hub;

import io.suho.client.core.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runnable jar's entry point: {@code java -jar suho-hub-server.jar [--config FILE]}. Reads the environment
 * (and the file), starts the hub, prints one line with its URL, and stops gracefully on SIGTERM/SIGINT. A bad
 * setting ends the process with exit code 2 and one line naming the variable. A changed {@code --config} file is
 * re-read every few seconds and its store settings applied without a restart.
 */
public final class HubMain {
    private static final Logger log = LoggerFactory.getLogger(HubMain.class);

    private HubMain() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> {
                    if (i + 1 >= args.length) {
                        fail("--config needs a file name");
                    }
                    file = Path.of(args[++i]);
                }
                case "--help", "-h" -> {
                    System.out.println("usage: java -jar suho-hub-server.jar [--config FILE]\n"
                            + "Settings come from the environment (SUHO_HUB_PORT, SUHO_HUB_TOKEN, POSTGRES_HOST, ...) "
                            + "and FILE (same names, NAME=value or NAME: value); see docs/operations.md.");
                    return;
                }
                default -> fail("unknown argument '" + args[i] + "'; usage: [--config FILE]");
            }
        }
        HubConfig config;
        try {
            config = HubConfig.from(System.getenv(), file);
        } catch (ConfigurationException e) {
            fail("configuration error: " + e.getMessage());
            return;
        }
        HubServer hub;
        try {
            hub = HubServer.start(config);
        } catch (Exception e) {
            fail("cannot start on port " + config.port() + ": " + e.getMessage());
            return;
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        log.info("suho hub listening on {} (started in {} ms; stores {}; required {})", hub.uri(), ms,
                config.targets().keySet(), config.required());
        if (config.token().isEmpty()) {
            log.warn("no SUHO_HUB_TOKEN or SUHO_HUB_TOKEN_FILE: the hub runs READ-ONLY and refuses registrations");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            hub.close();
            stopped.countDown();
        }, "suho-hub-shutdown"));
        if (file != null) {
            watch(file, hub);
        }
        stopped.await();
    }

    private static void watch(Path file, HubServer hub) {
        ScheduledExecutorService w = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "suho-hub-config-watch");
            t.setDaemon(true);
            return t;
        });
        FileTime[] seen = {modified(file)};
        w.scheduleWithFixedDelay(() -> {
            FileTime now = modified(file);
            if (now != null && !now.equals(seen[0])) {
                seen[0] = now;
                try {
                    hub.reconfigure(HubConfig.from(System.getenv(), file));
                    log.info("re-read {}", file);
                } catch (ConfigurationException e) {
                    log.error("ignoring changed {}: {}", file, e.getMessage());
                }
            }
        }, 5, 5, TimeUnit.SECONDS);
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static void fail(String message) {
        System.err.println("suho-hub: " + message);
        System.exit(2);
    }
}
