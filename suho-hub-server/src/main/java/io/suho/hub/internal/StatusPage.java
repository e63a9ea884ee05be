package io.suho.hub.internal;

import io.suho.client.core.HealthStatus;
import io.suho.client.core.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The status page at {@code /}: server-rendered HTML, no scripts, refreshed every 10 s — store health (hub's
 * probes and clients' breakers) and the registered services, readable at a glance at 3 am.
 */
public final class StatusPage {
    private final HealthView health;
    private final InstanceRegistry registry;
    private final Clock clock;

    public StatusPage(HealthView health, InstanceRegistry registry, Clock clock) {
        this.health = health;
        this.registry = registry;
        this.clock = clock;
    }

    public String render() {
        Map<Store, HealthView.ClientView> clients = health.clientViews();
        HealthStatus overall = health.overall(clients);
        Instant now = clock.instant();
        StringBuilder h = new StringBuilder(4096);
        h.append("<!doctype html><html lang=en><head><meta charset=utf-8><meta http-equiv=refresh content=10>")
                .append("<title>Suho hub: ").append(overall).append("</title><style>")
                .append("body{font:15px/1.4 system-ui,sans-serif;margin:2em;background:#fafafa;color:#222}")
                .append("table{border-collapse:collapse;margin-bottom:2em}td,th{padding:.35em .8em;")
                .append("border-bottom:1px solid #ddd;text-align:left;vertical-align:top}")
                .append(".UP{background:#c8f7c5}.DEGRADED{background:#fff3b0}.DOWN{background:#ffc9c9;")
                .append("font-weight:bold}.UNKNOWN{background:#e4e4e4}small{color:#666}</style></head><body>")
                .append("<h1>Suho hub <span class=").append(overall).append(">&nbsp;").append(overall)
                .append("&nbsp;</span></h1><p><small>").append(esc(now.toString()))
                .append(" · refreshes every 10 s · JSON: <a href=/v1/health>/v1/health</a>, ")
                .append("<a href=/v1/services>/v1/services</a>, <a href=/metrics>/metrics</a></small></p>")
                .append("<h2>Stores</h2><table><tr><th>store</th><th>status</th><th>for</th><th>latency</th>")
                .append("<th>hosts</th><th>last error</th><th>clients with breaker open</th></tr>");
        for (Store s : Store.values()) {
            StoreMonitor.State st = health.state(s);
            HealthView.ClientView cv = clients.get(s);
            h.append("<tr><td>").append(s.id()).append("</td><td class=").append(st.status()).append('>')
                    .append(st.status()).append("</td><td>").append(st.probed() ? ago(st.since(), now) : "")
                    .append("</td><td>").append(st.probed() ? String.format(java.util.Locale.ROOT, "%.1f ms",
                            st.latencyMs()) : "").append("</td><td>");
            var ep = health.hosts(s);
            h.append(esc(ep)).append("</td><td>").append(st.lastError() == null ? "" : esc(st.lastError()))
                    .append(st.lastErrorAt() == null ? "" : " <small>(" + ago(st.lastErrorAt(), now) + " ago)</small>")
                    .append("</td><td").append(cv.breakerOpen() > 0 ? " class=DOWN>" : ">")
                    .append(cv.reporting() == 0 ? "" : cv.breakerOpen() + " of " + cv.reporting())
                    .append("</td></tr>");
        }
        h.append("</table><h2>Services</h2><table><tr><th>service</th><th>instances</th><th>hosts</th></tr>");
        Map<String, StringBuilder> services = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (Instance i : registry.all()) {
            counts.merge(i.service(), 1, Integer::sum);
            StringBuilder sb = services.computeIfAbsent(i.service(), k -> new StringBuilder());
            if (sb.length() < 600) {
                sb.append(sb.length() == 0 ? "" : ", ").append(i.host()).append(':').append(i.port());
            }
        }
        if (counts.isEmpty()) {
            h.append("<tr><td colspan=3><small>no instance registered</small></td></tr>");
        }
        counts.forEach((name, n) -> h.append("<tr><td><a href=\"/v1/services/").append(esc(name)).append("\">")
                .append(esc(name)).append("</a></td><td>").append(n).append("</td><td>")
                .append(esc(services.get(name).toString())).append("</td></tr>"));
        h.append("</table></body></html>");
        return h.toString();
    }

    private static String ago(Instant then, Instant now) {
        Duration d = Duration.between(then, now);
        long s = Math.max(0, d.toSeconds());
        return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s / 3600 + " h";
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
