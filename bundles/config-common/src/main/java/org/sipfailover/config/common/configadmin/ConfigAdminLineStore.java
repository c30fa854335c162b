// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.common.configadmin;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.config.common.LineStore;

/**
 * Line configurations as ConfigAdmin factory configurations of {@link LineConfig#FACTORY_PID}, named
 * ({@code org.sipfailover.line~<name>}) and bound to any bundle ({@code "?"}), so that whichever bundle runs
 * lines receives them; and the configurations FileInstall's own configuration installer made of files.
 */
public final class ConfigAdminLineStore implements LineStore {

    /** FileInstall's ConfigInstaller marks the configurations it made from a file with this property. */
    public static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    private static final String ANY_LOCATION = "?";

    private final ConfigurationAdmin admin;

    public ConfigAdminLineStore(ConfigurationAdmin admin) {
        this.admin = admin;
    }

    @Override
    public Map<String, Map<String, Object>> lines() throws IOException {
        return named(
                "(" + ConfigurationAdmin.SERVICE_FACTORYPID + "=" + LineConfig.FACTORY_PID + ")",
                new LinkedHashMap<>());
    }

    @Override
    public Map<String, Map<String, Object>> lines(String key, String value) throws IOException {
        return named(
                "(&(" + ConfigurationAdmin.SERVICE_FACTORYPID + "=" + LineConfig.FACTORY_PID + ")(" + key + "="
                        + escape(value) + "))",
                new TreeMap<>());
    }

    private Map<String, Map<String, Object>> named(String filter, Map<String, Map<String, Object>> out)
            throws IOException {
        for (Configuration c : list(filter)) {
            String pid = c.getPid();
            int tilde = pid.indexOf('~');
            Dictionary<String, Object> d = c.getProperties();
            if (tilde < 0 || d == null) {
                continue; // a configuration made without a name is nobody's file line
            }
            Map<String, Object> props = new LinkedHashMap<>();
            for (Enumeration<String> keys = d.keys(); keys.hasMoreElements(); ) {
                String k = keys.nextElement();
                if (!k.equals("service.pid")
                        && !k.equals(ConfigurationAdmin.SERVICE_FACTORYPID)
                        && !k.equals(ConfigurationAdmin.SERVICE_BUNDLELOCATION)) {
                    props.put(k, d.get(k));
                }
            }
            out.put(pid.substring(tilde + 1), props);
        }
        return out;
    }

    @Override
    public void put(String name, Map<String, Object> properties) throws IOException {
        admin.getFactoryConfiguration(LineConfig.FACTORY_PID, name, ANY_LOCATION)
                .update(new Hashtable<>(properties));
    }

    @Override
    public void delete(String name) throws IOException {
        for (Configuration c : list("(service.pid=" + escape(LineConfig.FACTORY_PID + "~" + name) + ")")) {
            c.delete();
        }
    }

    /** The configurations FileInstall's own configuration installer made of files: PID to the file's URL. */
    public Map<String, String> fileInstallConfigurations() throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (Configuration c : list("(" + FILEINSTALL_FILENAME + "=*)")) {
            Dictionary<String, Object> d = c.getProperties();
            Object file = d == null ? null : d.get(FILEINSTALL_FILENAME);
            if (file != null) {
                out.put(c.getPid(), file.toString());
            }
        }
        return out;
    }

    /** The file FileInstall's configuration installer made that configuration of, if it did: its URL. */
    public Optional<String> fileInstallFile(String pid) throws IOException {
        for (Configuration c : list("(&(service.pid=" + escape(pid) + ")(" + FILEINSTALL_FILENAME + "=*))")) {
            Dictionary<String, Object> d = c.getProperties();
            Object file = d == null ? null : d.get(FILEINSTALL_FILENAME);
            if (file != null) {
                return Optional.of(file.toString());
            }
        }
        return Optional.empty();
    }

    private Configuration[] list(String filter) throws IOException {
        try {
            Configuration[] found = admin.listConfigurations(filter);
            return found == null ? new Configuration[0] : found;
        } catch (InvalidSyntaxException e) {
            throw new IOException("filter " + filter + " is not valid", e);
        }
    }

    /** Escapes an LDAP filter value (RFC 4515). */
    public static String escape(String v) {
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
