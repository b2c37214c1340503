package io.chainmesh.common.config;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * What every service shares, under {@code chainmesh.platform}. (Each service's own settings live under
 * {@code chainmesh.<service>}; these are the platform's, identical in all six.)
 *
 * @param identity    the internal identity token
 * @param events      Redis Streams publishing
 * @param outbox      the transactional outbox relay
 * @param maxBodySize largest request body a service accepts; larger gets 413
 */
@Validated
@ConfigurationProperties("chainmesh.platform")
public record PlatformProperties(@Valid @NotNull Identity identity, @Valid @DefaultValue Events events,
        @Valid @DefaultValue Outbox outbox, @DefaultValue("1MB") DataSize maxBodySize) {

    /**
     * @param secret    HMAC key shared by the gateway and the services, at least 32 bytes
     * @param ttl       lifetime of a token the gateway mints per request
     * @param openPaths service paths reachable without a token (probes, scrape, OpenAPI)
     */
    public record Identity(@NotBlank @Size(min = 32) String secret, @DefaultValue("60s") Duration ttl,
            @DefaultValue({"/actuator/health", "/actuator/health/**", "/actuator/prometheus", "/actuator/info",
                    "/v3/api-docs", "/v3/api-docs/**"}) List<String> openPaths) {
    }

    /** @param maxLength approximate length each stream is trimmed to on publish */
    public record Events(@DefaultValue("1000000") long maxLength) {
    }

    /**
     * @param enabled      run the relay in this service
     * @param pollInterval how often the relay looks for new rows
     * @param retention    how long published rows are kept for inspection
     */
    public record Outbox(@DefaultValue("false") boolean enabled, @DefaultValue("200ms") Duration pollInterval,
            @DefaultValue("7d") Duration retention) {
    }
}
