package io.chainmesh.common.config;

import java.time.Clock;

import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import io.chainmesh.common.events.EventPublisher;
import io.chainmesh.common.events.Outbox;
import io.chainmesh.common.events.OutboxRelay;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityArgumentResolver;
import io.chainmesh.common.identity.IdentityFilter;
import io.chainmesh.common.identity.IdentityTokenCodec;
import io.chainmesh.common.problem.ProblemExceptionHandler;
import io.chainmesh.common.web.RequestBodyLimitFilter;

/** Wires the shared platform pieces into every service. */
@AutoConfiguration(afterName = {
        "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
        "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration"})
@EnableConfigurationProperties(PlatformProperties.class)
public class PlatformAutoConfiguration {

    @Bean
    @ConditionalOnProperty(name = "chainmesh.platform.database.create-if-missing", havingValue = "true")
    static io.chainmesh.common.db.DatabaseBootstrap databaseBootstrap() {
        return new io.chainmesh.common.db.DatabaseBootstrap();
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    @ConditionalOnMissingBean
    IdentityTokenCodec identityTokenCodec(PlatformProperties properties, Clock clock) {
        return new IdentityTokenCodec(properties.identity().secret(), properties.identity().ttl(), clock);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(StringRedisTemplate.class)
    EventPublisher eventPublisher(StringRedisTemplate redis, PlatformProperties properties) {
        return new EventPublisher(redis, properties.events().maxLength());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JdbcClient.class)
    @ConditionalOnBean(JdbcClient.class)
    static class OutboxConfiguration {

        @Bean
        @ConditionalOnMissingBean
        Outbox outbox(JdbcClient jdbc) {
            return new Outbox(jdbc);
        }

        @Configuration(proxyBeanMethods = false)
        @EnableScheduling
        @ConditionalOnProperty(name = "chainmesh.platform.outbox.enabled", havingValue = "true")
        static class RelayConfiguration {
            @Bean
            OutboxRelay outboxRelay(JdbcClient jdbc, TransactionTemplate tx, EventPublisher publisher,
                    PlatformProperties properties) {
                return new OutboxRelay(jdbc, tx, publisher, properties.outbox().retention());
            }
        }
    }

    /**
     * Controllers declare an {@link Identity} parameter that {@link IdentityArgumentResolver} fills from the verified
     * {@code X-Chainmesh-Identity} token; without this springdoc documents it as a query parameter named
     * {@code identity}, which no client can or should send. springdoc keeps its ignore list in a global, so it is
     * extended once when this class is initialised, only where springdoc is on the classpath.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springdoc.core.utils.SpringDocUtils")
    static class SpringDocConfiguration {

        static {
            SpringDocUtils.getConfig().addRequestWrapperToIgnore(Identity.class);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class ServletConfiguration {

        @Bean
        @ConditionalOnMissingBean
        io.chainmesh.common.http.InternalHttpClients internalHttpClients(IdentityTokenCodec codec,
                org.springframework.core.env.Environment environment) {
            return new io.chainmesh.common.http.InternalHttpClients(codec,
                    environment.getProperty("spring.application.name", "chainmesh-service"));
        }

        @Bean
        ProblemExceptionHandler problemExceptionHandler() {
            return new ProblemExceptionHandler();
        }

        @Bean
        FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(PlatformProperties properties) {
            FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
                    new RequestBodyLimitFilter(properties.maxBodySize().toBytes()));
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
            return registration;
        }

        @Bean
        FilterRegistrationBean<IdentityFilter> identityFilter(IdentityTokenCodec codec, PlatformProperties properties) {
            FilterRegistrationBean<IdentityFilter> registration = new FilterRegistrationBean<>(
                    new IdentityFilter(codec, properties.identity().openPaths()));
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
            return registration;
        }

        @Bean
        WebMvcConfigurer identityArgumentResolverConfigurer() {
            return new WebMvcConfigurer() {
                @Override
                public void addArgumentResolvers(java.util.List<HandlerMethodArgumentResolver> resolvers) {
                    resolvers.add(new IdentityArgumentResolver());
                }
            };
        }
    }
}
