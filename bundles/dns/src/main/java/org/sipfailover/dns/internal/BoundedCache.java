// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.dns.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A size-bounded map that drops the least recently used entry first. Thread-safe; every operation holds
 * the lock briefly and does no I/O.
 */
final class BoundedCache<K, V> {

    private final LinkedHashMap<K, V> map;

    BoundedCache(int maxEntries) {
        this.map = new LinkedHashMap<>(Math.min(maxEntries, 1024), 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > maxEntries;
            }
        };
    }

    synchronized V get(K key) {
        return map.get(key);
    }

    synchronized void put(K key, V value) {
        map.put(key, value);
    }

    synchronized void remove(K key) {
        map.remove(key);
    }

    synchronized void removeIf(Predicate<K> keyTest) {
        map.keySet().removeIf(keyTest);
    }
}
