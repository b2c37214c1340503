package io.chainmesh.gateway.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

import io.chainmesh.gateway.GatewayProperties;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/** Edge concerns that are not routing: CORS, the body limit, and the gateway's own OpenAPI description. */
@Configuration(proxyBeanMethods = false)
class EdgeWebConfiguration {

    /**
     * CORS is answered at the edge (preflights never reach a service). Only the configured origins are allowed;
     * with none configured, browsers get no CORS headers and cross-origin calls fail closed.
     */
    @Bean
    @Order(FilterOrder.CORS)
    CorsWebFilter corsWebFilter(GatewayProperties properties) {
        GatewayProperties.Cors cors = properties.cors();
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOriginPatterns(cors.allowedOrigins());
        config.setAllowedMethods(cors.allowedMethods());
        config.addAllowedHeader(CorsConfiguration.ALL);
        config.addExposedHeader("RateLimit-Limit");
        config.addExposedHeader("RateLimit-Remaining");
        config.addExposedHeader("RateLimit-Reset");
        config.addExposedHeader("RateLimit-Policy");
        config.addExposedHeader(HttpHeaders.RETRY_AFTER);
        config.setAllowCredentials(false);
        config.setMaxAge(cors.maxAge());
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", config);
        return new CorsWebFilter(source);
    }

    @Bean
    RequestSizeLimitFilter requestSizeLimitFilter(GatewayProperties properties) {
        return new RequestSizeLimitFilter(properties.maxBodySize().toBytes());
    }

    @Bean
    OpenAPI gatewayOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Chainmesh gateway")
                        .description("Public entry of Chainmesh. Every /v1 and /rpc path is routed to the owning service "
                                + "(see each service's /v3/api-docs). Errors are RFC 9457 problem+json with a stable code.")
                        .version("v1"))
                .components(new Components()
                        .addSecuritySchemes("apiKey", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name("X-API-Key"))
                        .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").description("An API key (cmk_...) or a portal JWT from POST /v1/auth/token")))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
