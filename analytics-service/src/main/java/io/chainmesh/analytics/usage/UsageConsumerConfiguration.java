package io.chainmesh.analytics.usage;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.chainmesh.analytics.AnalyticsProperties;
import io.chainmesh.common.events.StreamConsumer;

@Configuration(proxyBeanMethods = false)
class UsageConsumerConfiguration {

    @Bean
    StreamConsumer usageStreamConsumer(StringRedisTemplate redis, UsageEventHandler handler,
            AnalyticsProperties properties) {
        AnalyticsProperties.Consumer consumer = properties.consumer();
        return new StreamConsumer(redis, consumer.stream(), consumer.group(), consumer.resolvedName(), handler,
                consumer.options());
    }
}
