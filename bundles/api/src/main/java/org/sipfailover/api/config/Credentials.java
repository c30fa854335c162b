// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.config;

import java.util.Objects;

/**
 * Digest credentials (RFC 3261 §22). The password never appears in {@link #toString()}: log lines and
 * shell output may print a credentials object safely.
 *
 * @param authName the digest user name
 * @param password the password; may be empty
 */
public record Credentials(String authName, String password) {

    public Credentials {
        Objects.requireNonNull(authName, "authName");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "Credentials[authName=" + authName + ", password=" + (password.isEmpty() ? "" : "****") + "]";
    }
}
