// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.sipfailover.api.config.Credentials;

class DigestChallengeTest {

    private final DigestChallenge challenge = new DigestChallenge(new Object());
    private final Credentials creds = new Credentials("alice", "secret");

    @Test
    void answersTwoChallengesInARowThenGivesUpAndStartsCountingAgain() {
        assertThat(challenge.admit(creds)).isTrue();
        assertThat(challenge.admit(creds)).isTrue();
        assertThat(challenge.admit(creds)).isFalse();

        assertThat(challenge.admit(creds)).isTrue();
    }

    @Test
    void withoutCredentialsNoChallengeIsAnswered() {
        assertThat(challenge.admit(null)).isFalse();
        assertThat(challenge.answeredAndReset()).isFalse();
    }

    @Test
    void aSuccessMakesTheNextChallengeAFirstOne() {
        challenge.admit(creds);
        challenge.admit(creds);
        challenge.reset();

        assertThat(challenge.admit(creds)).isTrue();
        assertThat(challenge.admit(creds)).isTrue();
        assertThat(challenge.admit(creds)).isFalse();
    }

    /** A 403 right after an answered challenge means wrong credentials: asked once, then forgotten. */
    @Test
    void tellsWhetherAChallengeWasAnsweredOnce() {
        assertThat(challenge.answeredAndReset()).isFalse();
        challenge.admit(creds);

        assertThat(challenge.answeredAndReset()).isTrue();
        assertThat(challenge.answeredAndReset()).isFalse();
    }
}
