// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The adapter's configuration, PID {@value AastraInstaller#PID}; optional. */
@ObjectClassDefinition(
        name = "sip-failover Aastra/Mitel files",
        description = "Which folders hold Aastra/Mitel phone files, and which model files apply to which phone")
public @interface AastraInstallerConfig {

    @AttributeDefinition(
            name = "Folders",
            required = false,
            description = "the folders whose aastra.cfg, startup.cfg, <model>.cfg and <MAC>.cfg files are read, "
                    + "each read whole when the adapter starts; empty = any folder FileInstall watches (in Karaf: "
                    + "deploy/), each read whole at the first file FileInstall hands over from it")
    String[] folders() default {};

    @AttributeDefinition(name = "Models", description = "model names whose <model>.cfg file is recognised")
    String[] models() default {
        "480i", "480ict", "51i", "53i", "55i", "57i", "57ict", "6730i", "6731i", "6735i", "6737i", "6739i", "6753i",
        "6755i", "6757i", "6757ict", "6863i", "6865i", "6867i", "6869i", "6873i", "6905", "6910", "6920", "6930",
        "6940", "6970", "9143i", "9480i", "9480ict"
    };

    @AttributeDefinition(
            name = "Phone models",
            required = false,
            description = "<MAC>=<model> entries: the phones whose <model>.cfg is read between the global file and "
                    + "their MAC file (a file cannot tell which model a phone is)")
    String[] phoneModels() default {};
}
