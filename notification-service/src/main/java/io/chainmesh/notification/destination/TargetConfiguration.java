package io.chainmesh.notification.destination;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.chainmesh.notification.NotificationProperties;

@Configuration(proxyBeanMethods = false)
class TargetConfiguration {

    @Bean
    TargetAddressPolicy targetAddressPolicy(NotificationProperties properties) {
        return new TargetAddressPolicy(properties.targets().allowPrivate(), properties.targets().allowedCidrs());
    }
}
