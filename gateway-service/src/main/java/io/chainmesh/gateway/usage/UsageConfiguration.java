package io.chainmesh.gateway.usage;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import io.chainmesh.common.config.PlatformProperties;
import io.chainmesh.gateway.GatewayProperties;
import io.chainmesh.gateway.redis.RedisFailures;
import io.micrometer.core.instrument.MeterRegistry;

@Configuration(proxyBeanMethods = false)
class UsageConfiguration {

    @Bean
    UsageRecorder usageRecorder(ReactiveStringRedisTemplate redis, RedisFailures redisFailures, MeterRegistry registry,
            GatewayProperties properties, PlatformProperties platform) {
        GatewayProperties.Usage usage = properties.usage();
        return new UsageRecorder(redis, redisFailures, registry, usage.bufferCapacity(), usage.batchSize(),
                usage.maxWait().toMillis(), platform.events().maxLength());
    }
}
