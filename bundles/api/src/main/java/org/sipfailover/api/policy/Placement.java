// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.policy;

import java.util.List;
import java.util.Optional;

/**
 * Where a line is, or should be: its bindings, and which of them carries new requests and
 * subscriptions. Most policies place a line with one binding; {@code dual-flow} keeps two (reg-id 1 and
 * 2). An empty placement means "registered nowhere".
 *
 * @param bindings the bindings, in reg-id order; copied
 * @param active the index in {@code bindings} of the binding that carries new requests and subscriptions,
 *     or -1 when there is none
 */
public record Placement(List<Binding> bindings, int active) {

    /** Registered nowhere. */
    public static final Placement NONE = new Placement(List.of(), -1);

    public Placement {
        bindings = List.copyOf(bindings);
        if (bindings.isEmpty() ? active != -1 : active < 0 || active >= bindings.size()) {
            throw new IllegalArgumentException(
                    "active binding index " + active + " out of range for " + bindings.size() + " bindings");
        }
    }

    /** A placement with a single binding. */
    public static Placement of(Binding binding) {
        return new Placement(List.of(binding), 0);
    }

    /** The binding carrying new requests and subscriptions, if any. */
    public Optional<Binding> activeBinding() {
        return active < 0 ? Optional.empty() : Optional.of(bindings.get(active));
    }

    public boolean isNone() {
        return bindings.isEmpty();
    }

    @Override
    public String toString() {
        if (bindings.isEmpty()) {
            return "none";
        }
        if (bindings.size() == 1) {
            return bindings.get(0).toString();
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bindings.size(); i++) {
            sb.append(i == 0 ? "" : " | ").append(i == active ? "*" : "").append(bindings.get(i));
        }
        return sb.toString();
    }
}
