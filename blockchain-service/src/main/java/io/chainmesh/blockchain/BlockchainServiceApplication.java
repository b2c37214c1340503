package io.chainmesh.blockchain;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Node lifecycle through provisioning drivers, node health and the JSON-RPC proxy. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BlockchainServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(BlockchainServiceApplication.class, args);
    }
}
