package io.suho.bench;

import java.util.Map;

/** Outage drills ({@code --drill STORE}); see docs/resilience.md. */
final class Drills {
    private Drills() {
    }

    static int run(Map<String, String> args) {
        System.err.println("drill " + args.get("drill") + ": no drill is implemented for this store yet");
        return 2;
    }
}
