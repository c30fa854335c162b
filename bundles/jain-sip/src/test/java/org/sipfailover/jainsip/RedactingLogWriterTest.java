// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.log4j.AppenderSkeleton;
import org.apache.log4j.Logger;
import org.apache.log4j.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class RedactingLogWriterTest {

    private static final String REGISTER = "REGISTER sip:example.test SIP/2.0\r\n"
            + "Authorization: Digest username=\"alice\",realm=\"example.test\",nonce=\"n1\",uri=\"sip:example.test\","
            + "response=\"5f2a1c0b3d4e5f60718293a4b5c6d7e8\"\r\nCall-ID: c1\r\n\r\n";

    @Test
    void whatJainSipLogsLosesTheCredentials() {
        RedactingLogWriter writer = new RedactingLogWriter();
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "redaction-test");
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "ERROR");
        writer.setStackProperties(p);
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger.getLogger(writer.getLoggerName()).addAppender(new AppenderSkeleton() {
            @Override
            protected void append(LoggingEvent e) {
                lines.add(e.getRenderedMessage()
                        + (e.getThrowableInformation() == null
                                ? ""
                                : " "
                                        + e.getThrowableInformation()
                                                .getThrowable()
                                                .getMessage()));
            }

            @Override
            public void close() {}

            @Override
            public boolean requiresLayout() {
                return false;
            }
        });

        writer.logError("Problem connecting for message " + REGISTER);
        writer.logError("send failed", new IOException("could not send " + REGISTER));
        writer.logException(new IOException("Problem connecting 127.0.0.1 for message " + REGISTER));

        assertThat(lines)
                .hasSize(3)
                .allSatisfy(l -> assertThat(l)
                        .contains("Authorization: ****")
                        .doesNotContain("5f2a1c0b")
                        .doesNotContain("username"));
    }

    @Test
    void redaction() {
        assertThat(Redaction.redact("Proxy-Authorization: Digest response=abc, x\r\nTo: <sip:bob:pw@h>"))
                .isEqualTo("Proxy-Authorization: ****\r\nTo: <sip:bob:****@h>");
        assertThat(Redaction.redact("... response=\"0123\" ...")).isEqualTo("... response=**** ...");
        assertThat(Redaction.redact(null)).isNull();
    }
}
