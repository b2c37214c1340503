package io.chainmesh.blockchain.provisioning;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

/** The drivers by name: the one place that knows which implementations exist. */
@Component
public class ProvisioningDrivers {

    private final Map<String, ProvisioningDriver> byName;

    ProvisioningDrivers(List<ProvisioningDriver> drivers) {
        this.byName = drivers.stream().collect(Collectors.toUnmodifiableMap(ProvisioningDriver::name,
                Function.identity()));
    }

    public Optional<ProvisioningDriver> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public ProvisioningDriver get(String name) {
        ProvisioningDriver driver = byName.get(name);
        if (driver == null) {
            throw new IllegalStateException("No provisioning driver named " + name);
        }
        return driver;
    }
}
