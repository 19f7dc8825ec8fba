package dev.siyu.core.channel;

import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.port.ConfigStore;
import java.util.List;

/**
 * Applies an operator blueprint: validates it (nothing is stored when any problem is found),
 * stores it as the tenant's next config version, and creates its channel codes in WeCom.
 */
public final class BlueprintApplier {
    private final ConfigLoader loader;
    private final ConfigStore configs;
    private final ChannelCodeProvisioner provisioner;

    public BlueprintApplier(ConfigLoader loader, ConfigStore configs, ChannelCodeProvisioner provisioner) {
        this.loader = loader;
        this.configs = configs;
        this.provisioner = provisioner;
    }

    /** Throws {@link dev.siyu.core.config.ConfigException} with every problem before anything is written. */
    public Applied apply(String yamlText, String sourceName) {
        ScrmConfig config = loader.load(yamlText, sourceName);
        long version = configs.save(config.tenant(), yamlText);
        return new Applied(config, version, provisioner.provision(config));
    }

    public record Applied(ScrmConfig config, long version, List<ChannelCode> channels) {
        public Applied {
            channels = List.copyOf(channels);
        }
    }
}
