package io.chainmesh.common.http;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.bind.DefaultValue;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * How a service reaches another over HTTP, nested in the calling service's own properties (for example
 * {@code chainmesh.contract.blockchain}). One attempt per call: Istio owns service-to-service retries.
 *
 * @param url            base URL of the other service
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout    how long to wait for the answer
 * @param circuitBreaker when to stop calling a service that keeps failing
 */
public record InternalClientSettings(@NotNull URI url, @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("10s") Duration readTimeout, @Valid @DefaultValue CircuitBreaker circuitBreaker) {

    /**
     * @param failureRate      percentage of failed calls in the window that opens the breaker
     * @param slidingWindow    calls the failure rate is computed over
     * @param minimumCalls     calls needed in the window before the breaker may open
     * @param waitInOpenState  how long calls are refused at once before a few are let through again
     */
    public record CircuitBreaker(@DefaultValue("50") @DecimalMin("1") @DecimalMax("100") float failureRate,
            @DefaultValue("50") @Min(1) int slidingWindow, @DefaultValue("20") @Min(1) int minimumCalls,
            @DefaultValue("10s") Duration waitInOpenState) {

        /** A breaker named after the called service that counts only {@link ServiceUnavailableException}s. */
        public io.github.resilience4j.circuitbreaker.CircuitBreaker create(String service) {
            return io.github.resilience4j.circuitbreaker.CircuitBreaker.of(service,
                    io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                            .failureRateThreshold(failureRate)
                            .slidingWindowSize(slidingWindow)
                            .minimumNumberOfCalls(minimumCalls)
                            .waitDurationInOpenState(waitInOpenState)
                            .recordException(e -> e instanceof ServiceUnavailableException)
                            .build());
        }
    }

    /** The same settings against another URL (tests, or a second instance). */
    public InternalClientSettings withUrl(URI other) {
        return new InternalClientSettings(other, connectTimeout, readTimeout, circuitBreaker);
    }
}
