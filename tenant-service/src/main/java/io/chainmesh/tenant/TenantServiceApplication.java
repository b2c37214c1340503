package io.chainmesh.tenant;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Tenants, users, plans and API keys of Chainmesh; issues the access tokens the gateway accepts. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TenantServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(TenantServiceApplication.class, args);
    }
}
