package io.chainmesh.blockchain.network;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class NetworkController {

    record NetworkList(List<Networks.Network> networks) {
    }

    private final Networks networks;

    NetworkController(Networks networks) {
        this.networks = networks;
    }

    @GetMapping("/v1/networks")
    NetworkList networks() {
        return new NetworkList(networks.all());
    }
}
