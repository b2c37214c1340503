package io.chainmesh.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import com.github.benmanes.caffeine.cache.Ticker;

/** The only public entry of Chainmesh: routing, authentication, tenant limits, metering. */
@SpringBootApplication
@EnableConfigurationProperties(GatewayProperties.class)
public class GatewayServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayServiceApplication.class, args);
    }

    /** The time of every in-memory cache of the gateway; tests replace it to move time without sleeping. */
    @Bean
    Ticker cacheTicker() {
        return Ticker.systemTicker();
    }
}
