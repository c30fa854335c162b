// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.jainsip;

import java.util.regex.Pattern;

/**
 * Blanks out what could be a credential in SIP text bound for a log or an error message: the values of
 * Authorization and Proxy-Authorization header fields, digest {@code response} parameters, and passwords in SIP
 * URIs ({@code sip:user:password@host}, deprecated by RFC 3261 §19.1.1 but still a password when it comes).
 *
 * @since 1.1
 */
public final class Redaction {

    private static final Pattern AUTHORIZATION = Pattern.compile("(?i)((?:proxy-)?authorization\\s*:)[^\\r\\n]*");
    private static final Pattern DIGEST_RESPONSE = Pattern.compile("(?i)(\\bresponse\\s*=\\s*)(\"[^\"]*\"?|[^,\\s]*)");
    private static final Pattern URI_PASSWORD = Pattern.compile("(?i)(\\bsips?:[^:@;\\s<>\"]*):[^@;\\s<>\"]*@");

    private Redaction() {}

    /** {@code text} with credentials replaced by {@code ****}; {@code null} stays {@code null}. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String s = AUTHORIZATION.matcher(text).replaceAll("$1 ****");
        s = DIGEST_RESPONSE.matcher(s).replaceAll("$1****");
        return URI_PASSWORD.matcher(s).replaceAll("$1:****@");
    }
}
