// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A problem prints as compilers print errors: file, line when there is one, key when there is one. */
class ProblemTest {

    @Test
    void printsFileLineKeyAndMessage() {
        assertThat(new Problem("p.cfg", 4, "sip proxy port", "bad")).hasToString("p.cfg:4: sip proxy port: bad");
        assertThat(new Problem("p.cfg", 0, "sip proxy port", "bad")).hasToString("p.cfg: sip proxy port: bad");
        assertThat(new Problem("p.cfg", 7, null, "bad")).hasToString("p.cfg:7: bad");
    }

    @Test
    void needsAFileAndAMessage() {
        assertThatThrownBy(() -> new Problem(null, 1, "k", "m")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Problem("f", 1, "k", null)).isInstanceOf(NullPointerException.class);
    }
}
