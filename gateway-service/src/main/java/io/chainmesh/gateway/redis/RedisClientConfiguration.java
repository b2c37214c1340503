package io.chainmesh.gateway.redis;

import java.time.Duration;

import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.chainmesh.gateway.GatewayProperties;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;

@Configuration(proxyBeanMethods = false)
class RedisClientConfiguration {

    /**
     * Replies are published on Lettuce's computation threads, not its I/O thread (see below). While Redis is
     * disconnected, Lettuce would by default queue commands until it reconnects, so every request would wait for the
     * full timeout. Rejecting them instead makes a dead Redis cost nothing: the gateway sees the failure at once and
     * applies its Redis-down policy ({@link RedisFailures}).
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer failFastWhenRedisIsDown(GatewayProperties properties) {
        Duration connectTimeout = properties.redisTimeout().multipliedBy(4);
        // publishOnScheduler: without it every Redis reply, and with it the rest of the request's filter chain,
        // runs on the single I/O thread of the shared Lettuce connection, which caps the whole gateway at one core.
        return options -> options.publishOnScheduler(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build());
    }
}
