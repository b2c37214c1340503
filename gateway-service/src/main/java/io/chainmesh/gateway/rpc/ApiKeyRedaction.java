package io.chainmesh.gateway.rpc;

import java.util.regex.Pattern;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.ObservationFilter;

/**
 * Keeps the API key of {@code /rpc/{apiKey}/{nodeId}} out of traces and metrics: every observation tag whose value
 * contains such a path (the server span's {@code http.url}, for one) has the key replaced by {@code {apiKey}}.
 * Logs use {@code PathTemplates}; upstream URLs never contain the key (the route rewrites it away).
 */
@Configuration(proxyBeanMethods = false)
class ApiKeyRedaction {

    private static final Pattern KEY_IN_PATH = Pattern.compile("/rpc/[^/?#]+");

    static String redact(String value) {
        return value != null && value.contains("/rpc/") ? KEY_IN_PATH.matcher(value).replaceAll("/rpc/{apiKey}")
                : value;
    }

    @Bean
    ObservationFilter apiKeyRedactingObservationFilter() {
        return context -> {
            for (KeyValue kv : context.getHighCardinalityKeyValues()) {
                String redacted = redact(kv.getValue());
                if (!redacted.equals(kv.getValue())) {
                    context.addHighCardinalityKeyValue(KeyValue.of(kv.getKey(), redacted));
                }
            }
            for (KeyValue kv : context.getLowCardinalityKeyValues()) {
                String redacted = redact(kv.getValue());
                if (!redacted.equals(kv.getValue())) {
                    context.addLowCardinalityKeyValue(KeyValue.of(kv.getKey(), redacted));
                }
            }
            return context;
        };
    }
}
