// SPDX-License-Identifier: Apache-2.0
/**
 * AudioCodes 400HD files to line configurations: the parser of the {@code path=value} format,
 * the publisher that keeps ConfigAdmin in step with the files, and FileInstall's hook. The keys read, with
 * their confidence tags, and the rules are in this module's README.md. Nothing here is exported.
 */
package org.sipfailover.config.audiocodes.internal;
