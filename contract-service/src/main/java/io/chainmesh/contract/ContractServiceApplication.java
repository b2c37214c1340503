package io.chainmesh.contract;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

import com.github.benmanes.caffeine.cache.Ticker;

/** Wallets, contracts, deployments, transactions and contract event subscriptions. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class ContractServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(ContractServiceApplication.class, args);
    }

    /** The clock of every in-process (Caffeine) cache; a test that moves time builds a component with its own. */
    @Bean
    Ticker cacheTicker() {
        return Ticker.systemTicker();
    }
}
