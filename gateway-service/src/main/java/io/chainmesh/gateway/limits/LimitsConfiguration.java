package io.chainmesh.gateway.limits;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import io.chainmesh.gateway.GatewayProperties;

@Configuration(proxyBeanMethods = false)
class LimitsConfiguration {

    @Bean
    TenantLimiter tenantLimiter(ReactiveStringRedisTemplate redis, Clock clock, GatewayProperties properties) {
        return new TenantLimiter(redis, clock, properties.limits().computeUnitRetention());
    }
}
