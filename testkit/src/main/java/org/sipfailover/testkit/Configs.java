// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Instances of Declarative Services configuration annotations outside OSGi, as SCR would make them:
 * each element returns the given value, else its default.
 */
public final class Configs {

    private Configs() {}

    /**
     * @param type the configuration annotation type
     * @param values element name to value; missing elements take their defaults
     * @throws IllegalArgumentException naming an element that the type does not have
     */
    public static <A> A of(Class<A> type, Map<String, ?> values) {
        for (String key : values.keySet()) {
            try {
                type.getMethod(key);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(type.getSimpleName() + " has no element '" + key + "'", e);
            }
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (values.containsKey(m.getName())) {
                return values.get(m.getName());
            }
            if (m.getDefaultValue() != null) {
                return m.getDefaultValue();
            }
            return fallback(type, m);
        });
        return type.cast(proxy);
    }

    private static Object fallback(Class<?> type, Method m) {
        switch (m.getName()) {
            case "toString":
                return type.getSimpleName() + "(test configuration)";
            case "hashCode":
                return System.identityHashCode(type);
            case "annotationType":
                return type;
            default:
                throw new IllegalStateException(type.getSimpleName() + "." + m.getName() + " has no value");
        }
    }
}
