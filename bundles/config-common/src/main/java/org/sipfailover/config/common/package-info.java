// SPDX-License-Identifier: Apache-2.0
/**
 * What the vendor configuration adapters share: {@link org.sipfailover.config.common.Problem}, value parsing and
 * the rule that keeps secrets out of messages, the ConfigAdmin form of a line
 * ({@link org.sipfailover.config.common.LinePropertiesCodec}) and where lines are stored; the ConfigAdmin side is
 * in {@code org.sipfailover.config.common.configadmin}. Not exported: each bundle that uses it copies it in with
 * bnd's {@code -conditionalpackage}, so that every adapter stays replaceable on its own.
 */
package org.sipfailover.config.common;
