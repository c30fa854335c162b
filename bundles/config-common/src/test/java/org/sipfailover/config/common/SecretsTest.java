// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one rule for values in messages: quoted only when they cannot be or hide a secret, never cut. */
class SecretsTest {

    @Test
    void keysThatNameSecretsAreSecretInBothVendorsSpelling() {
        assertThat(Secrets.isSecret("sip line1 password")).isTrue();
        assertThat(Secrets.isSecret("voip/line/0/auth_password")).isTrue();
        assertThat(Secrets.isSecret("admin passwd")).isTrue();
        assertThat(Secrets.isSecret("sip xml token secret")).isTrue();
        assertThat(Secrets.isSecret("user pin")).isTrue();
        assertThat(Secrets.isSecret("wpa passphrase")).isTrue();
        assertThat(Secrets.isSecret("sip proxy ip")).isFalse();
        assertThat(Secrets.isSecret("voip/signalling/sip/proxy_port")).isFalse();
        assertThat(Secrets.isSecret("sip pinned")).isFalse();
    }

    @Test
    void aShortPlainValueIsQuoted() {
        assertThat(Secrets.shown("sip proxy port", "fifty")).isEqualTo("'fifty'");
        assertThat(Secrets.shown(null, "70000")).isEqualTo("'70000'");
    }

    @Test
    void aSecretKeysValueIsNeverShown() {
        assertThat(Secrets.shown("sip line1 password", "1234")).isEqualTo("the value");
        assertThat(Secrets.shown("voip/line/0/auth_password", "x")).isEqualTo("the value");
    }

    @Test
    void aValueThatCouldHideASecretIsNotShownNotEvenCut() {
        String longValue = "a".repeat(Secrets.MAX_SHOWN + 1);
        assertThat(Secrets.shown("k", longValue)).isEqualTo("the value");
        assertThat(Secrets.shown("k", "a".repeat(Secrets.MAX_SHOWN))).isEqualTo("'" + "a".repeat(40) + "'");
        // two lines run together, in each vendor's syntax
        assertThat(Secrets.shown("sip proxy port", "5060sip line1 password: hunter2"))
                .isEqualTo("the value");
        assertThat(Secrets.shown("k", "5060voip/line/0/auth_password=hunter2")).isEqualTo("the value");
        assertThat(Secrets.shown("k", "a:b")).isEqualTo("the value");
        assertThat(Secrets.shown("k", "a=b")).isEqualTo("the value");
        assertThat(Secrets.shown("k", "bad host!")).isEqualTo("the value");
        assertThat(Secrets.shown("k", "tab\there")).isEqualTo("the value");
        assertThat(Secrets.shown("k", "nbsp\u00a0here")).isEqualTo("the value");
    }
}
