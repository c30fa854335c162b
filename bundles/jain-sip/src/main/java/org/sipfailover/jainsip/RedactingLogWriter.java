// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.jainsip;

import gov.nist.core.LogWriter;

/**
 * JAIN-SIP's log4j stack logger with {@link Redaction} applied to every line and exception message: the stack
 * logs whole messages in places, among them an outgoing request whose connection failed, which may carry our
 * Authorization. Named in the stack property {@link #STACK_LOGGER_PROPERTY}; JAIN-SIP loads it by name, which
 * is why it lives in this bundle.
 *
 * @since 1.1
 */
public class RedactingLogWriter extends LogWriter {

    /** The JAIN-SIP stack property that names the stack logger. */
    public static final String STACK_LOGGER_PROPERTY = "gov.nist.javax.sip.STACK_LOGGER";

    public RedactingLogWriter() {}

    @Override
    public void logDebug(String message) {
        super.logDebug(Redaction.redact(message));
    }

    @Override
    public void logDebug(String message, Exception ex) {
        super.logDebug(Redaction.redact(message), redacted(ex));
    }

    @Override
    public void logTrace(String message) {
        super.logTrace(Redaction.redact(message));
    }

    @Override
    public void logFatalError(String message) {
        super.logFatalError(Redaction.redact(message));
    }

    @Override
    public void logError(String message) {
        super.logError(Redaction.redact(message));
    }

    @Override
    public void logError(String message, Exception ex) {
        super.logError(Redaction.redact(message), redacted(ex));
    }

    @Override
    public void logWarning(String message) {
        super.logWarning(Redaction.redact(message));
    }

    @Override
    public void logInfo(String message) {
        super.logInfo(Redaction.redact(message));
    }

    @Override
    public void logException(Throwable ex) {
        super.logException(redacted(ex));
    }

    /** The exception with its message redacted and its stack trace kept; its causes are left out. */
    private static Exception redacted(Throwable ex) {
        if (ex == null) {
            return null;
        }
        Exception copy = new Exception(ex.getClass().getName() + ": " + Redaction.redact(ex.getMessage()));
        copy.setStackTrace(ex.getStackTrace());
        return copy;
    }
}
