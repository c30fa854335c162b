// SPDX-License-Identifier: Apache-2.0
/**
 * The adapters' ConfigAdmin and FileInstall side: lines as factory configurations, and the vendor files
 * FileInstall's own configuration installer took first. Apart from {@link org.sipfailover.config.common} so that
 * a bundle that only reads line properties (the lines bundle) copies in no ConfigAdmin code. Not exported.
 */
package org.sipfailover.config.common.configadmin;
