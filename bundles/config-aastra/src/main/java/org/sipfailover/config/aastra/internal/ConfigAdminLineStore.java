package org.sipfailover.config.aastra.internal;

import java.io.IOException;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sipfailover.api.config.LineConfig;

/**
 * Lines as ConfigAdmin factory configurations of {@link LineConfig#FACTORY_PID}, named after the line
 * ({@code org.sipfailover.line~aastra-00085d1a2b3c-line1}), bound to no bundle in particular ({@code "?"}).
 */
final class ConfigAdminLineStore implements LineStore {

    /** FileInstall's configuration installer marks the configurations it made of files with this property. */
    static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    private final ConfigurationAdmin admin;

    ConfigAdminLineStore(ConfigurationAdmin admin) {
        this.admin = admin;
    }

    @Override
    public Map<String, Map<String, Object>> list(String folder) throws IOException {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        Configuration[] found;
        try {
            found = admin.listConfigurations("(&(service.factoryPid=" + LineConfig.FACTORY_PID + ")("
                    + AastraSite.FOLDER + "=" + escape(folder) + "))");
        } catch (InvalidSyntaxException e) {
            throw new IOException("folder " + folder + " makes no valid filter", e);
        }
        if (found == null) {
            return out;
        }
        for (Configuration c : found) {
            String pid = c.getPid();
            int tilde = pid.indexOf('~');
            Dictionary<String, Object> props = c.getProperties();
            if (tilde < 0 || props == null) {
                continue;
            }
            Map<String, Object> m = new HashMap<>();
            for (String k : Collections.list(props.keys())) {
                m.put(k, props.get(k));
            }
            out.put(pid.substring(tilde + 1), m);
        }
        return out;
    }

    @Override
    public void put(String name, Map<String, Object> properties) throws IOException {
        admin.getFactoryConfiguration(LineConfig.FACTORY_PID, name, "?").update(new Hashtable<>(properties));
    }

    @Override
    public void delete(String name) throws IOException {
        Configuration[] found;
        try {
            found = admin.listConfigurations("(service.pid=" + escape(LineConfig.FACTORY_PID + "~" + name) + ")");
        } catch (InvalidSyntaxException e) {
            throw new IOException("line " + name + " makes no valid filter", e);
        }
        if (found != null) {
            for (Configuration c : found) {
                c.delete();
            }
        }
    }

    /** The configurations FileInstall's own configuration installer made of files: PID to the file's URL. */
    Map<String, String> fileInstallConfigurations() throws IOException {
        Map<String, String> out = new TreeMap<>();
        Configuration[] found;
        try {
            found = admin.listConfigurations("(" + FILEINSTALL_FILENAME + "=*)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (found != null) {
            for (Configuration c : found) {
                Dictionary<String, Object> props = c.getProperties();
                Object file = props == null ? null : props.get(FILEINSTALL_FILENAME);
                if (file != null) {
                    out.put(c.getPid(), file.toString());
                }
            }
        }
        return out;
    }

    /** RFC 1960 filter value escaping. */
    static String escape(String v) {
        StringBuilder b = new StringBuilder(v.length());
        for (char c : v.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
