// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * baresip 1.0 (Debian package {@code baresip}) with one account and the two servers as its two outbound proxies,
 * as its documentation and maintainers give a backup server (account parameters {@code outbound},
 * {@code outbound2} and {@code sipnat=outbound}: RFC 5626, one registration per outbound proxy, reg-id 1 and 2;
 * baresip/baresip#916). The Debian 1.0 package has no {@code serreg} module (serial registration with
 * fallback accounts), so this is the one documented way here. Keep-alives are libre's defaults (RFC 5626: CRLF
 * every 120 s over TCP with 10 s pong deadline, STUN every 29 s over UDP).
 */
final class Baresip extends ExternalClient {

    Baresip(String transport) {
        super(transport);
    }

    @Override
    public String name() {
        return "baresip";
    }

    @Override
    String debianPackage() {
        return "baresip";
    }

    @Override
    public String setup() {
        return "outbound + outbound2, sipnat=outbound";
    }

    @Override
    List<String> configure(Registrars servers, Path dir, int localPort) throws IOException {
        Files.writeString(
                dir.resolve("config"),
                String.join(
                        "\n",
                        "poll_method\t\tepoll",
                        "sip_listen\t\t127.0.0.1:" + localPort,
                        "module_path\t\t/usr/lib/baresip/modules",
                        "module\t\t\tuuid.so",
                        "module_app\t\taccount.so",
                        "audio_player\t\tnone",
                        "audio_source\t\tnone",
                        "audio_alert\t\tnone",
                        "video_source\t\tnone",
                        "video_display\t\tnone",
                        ""));
        String t = ";transport=" + transport;
        Files.writeString(
                dir.resolve("accounts"),
                "<sip:" + USER + "@" + Registrars.SHARED_DOMAIN + t + ">"
                        + ";outbound=\"sip:127.0.0.1:" + servers.primary.k.port() + t + "\""
                        + ";outbound2=\"sip:127.0.0.2:" + servers.backup.k.port() + t + "\""
                        + ";sipnat=outbound;regint=600;auth_pass=none\n");
        Files.writeString(dir.resolve("contacts"), "");
        return List.of("/usr/bin/baresip", "-f", dir.toString());
    }
}
