package io.chainmesh.blockchain.provisioning;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The drivers by name, the one place that knows which exist (every {@link ProvisioningDriver} bean), and the codec
 * of their specs: a spec is stored as the JSON of its record and read back into it.
 */
@Component
public class ProvisioningDrivers {

    private final Map<String, ProvisioningDriver<?>> byName;
    private final JsonMapper json;

    ProvisioningDrivers(List<ProvisioningDriver<?>> drivers, JsonMapper json) {
        this.byName = drivers.stream().collect(Collectors.toUnmodifiableMap(ProvisioningDriver::name,
                Function.identity()));
        // A spec written by a newer version of its driver may carry fields this one does not know.
        this.json = json.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }

    public Optional<ProvisioningDriver<?>> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public ProvisioningDriver<?> get(String name) {
        ProvisioningDriver<?> driver = byName.get(name);
        if (driver == null) {
            throw new IllegalStateException("No provisioning driver named " + name);
        }
        return driver;
    }

    public <S> S readSpec(ProvisioningDriver<S> driver, String stored) {
        return json.readValue(stored, driver.specType());
    }

    public String writeSpec(Object spec) {
        return json.writeValueAsString(spec);
    }
}
