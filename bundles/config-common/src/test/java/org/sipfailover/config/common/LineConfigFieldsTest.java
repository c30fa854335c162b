// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.config.Credentials;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;

/** The table names every setting of a line, and says in which two lines differ. */
class LineConfigFieldsTest {

    private static LineConfig.Builder line() {
        return LineConfig.builder("l1")
                .user("1001")
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.of("pbx.example.test", 0));
    }

    @Test
    void everySettingAccessorIsInTheTable() {
        Set<String> accessors = new TreeSet<>();
        for (Method m : LineConfig.class.getMethods()) {
            if (m.getParameterCount() == 0
                    && !Modifier.isStatic(m.getModifiers())
                    && m.getDeclaringClass() == LineConfig.class) {
                accessors.add(m.getName());
            }
        }
        accessors.removeAll(Set.of("id", "toBuilder", "hashCode", "toString"));
        assertThat(LineConfigFields.FIELDS.keySet()).containsExactlyInAnyOrderElementsOf(accessors);
    }

    @Test
    void differencesAreNamedNeverShown() {
        LineConfig a = line().credentials(new Credentials("1001", "one-secret")).build();
        LineConfig b = line().credentials(new Credentials("1001", "other-secret"))
                .keepAliveInterval(Duration.ofSeconds(5))
                .build();

        assertThat(LineConfigFields.differences(a, b)).containsExactly("credentials", "keepAliveInterval");
        assertThat(LineConfigFields.differences(a, a.toBuilder().build())).isEmpty();
    }
}
