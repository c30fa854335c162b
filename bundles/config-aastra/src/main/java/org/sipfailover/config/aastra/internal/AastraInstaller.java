package org.sipfailover.config.aastra.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Felix FileInstall hands this adapter the Aastra/Mitel files of its watched folders; each phone line becomes
 * one factory configuration of lines, kept in step with the files. The work is done by {@link AastraSite}.
 *
 * <p>The service ranking puts this installer before FileInstall's own ConfigInstaller, which would otherwise
 * take every {@code *.cfg} file for a configuration of its own.
 */
@Component(service = ArtifactInstaller.class, configurationPid = AastraInstaller.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = Constants.SERVICE_RANKING + ":Integer=" + AastraInstaller.RANKING)
@Designate(ocd = AastraInstallerConfig.class)
public final class AastraInstaller implements ArtifactInstaller {

    /** The adapter's configuration PID. */
    public static final String PID = "org.sipfailover.config.aastra";
    static final int RANKING = 100;

    private static final Logger LOG = LoggerFactory.getLogger(AastraInstaller.class);

    private final AastraSite site;
    /** The folders handled; empty = any. */
    private final Set<String> folders;

    @Activate
    public AastraInstaller(BundleContext context, @Reference ConfigurationAdmin configAdmin,
            AastraInstallerConfig config) {
        List<String> dirs = new ArrayList<>(List.of(config.folders()));
        if (dirs.isEmpty() && context.getProperty("felix.fileinstall.dir") != null) {
            dirs.add(context.getProperty("felix.fileinstall.dir"));
        }
        Set<String> keys = new java.util.TreeSet<>();
        dirs.forEach(d -> keys.add(AastraSite.folderKey(Path.of(d.trim()))));
        this.folders = Set.copyOf(keys);
        this.site = new AastraSite(new ConfigAdminLineStore(configAdmin), Set.of(config.models()),
                phoneModels(config.phoneModels()));
        for (String d : folders) {
            if (Files.isDirectory(Path.of(d))) {
                site.scan(Path.of(d));
            }
        }
        LOG.info("aastra: reading phone files in {}", folders.isEmpty() ? "every folder FileInstall watches" : folders);
    }

    private static Map<String, String> phoneModels(String[] entries) {
        Map<String, String> out = new HashMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq <= 0 || eq == e.length() - 1) {
                LOG.warn("aastra: phoneModels entry '{}' ignored: expected <MAC>=<model>", e);
                continue;
            }
            out.put(e.substring(0, eq).trim(), e.substring(eq + 1).trim());
        }
        return out;
    }

    @Override
    public boolean canHandle(File artifact) {
        Path p = artifact.toPath();
        return (folders.isEmpty() || folders.contains(AastraSite.folderOf(p))) && site.handles(p);
    }

    @Override
    public void install(File artifact) {
        site.changed(artifact.toPath());
    }

    @Override
    public void update(File artifact) {
        site.changed(artifact.toPath());
    }

    @Override
    public void uninstall(File artifact) {
        site.removed(artifact.toPath());
    }
}
