package io.chainmesh.blockchain.provisioning.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

import io.chainmesh.blockchain.BlockchainErrors;
import io.chainmesh.blockchain.BlockchainProperties;
import io.chainmesh.blockchain.provisioning.NodeRef;
import io.chainmesh.blockchain.provisioning.NodeRequest;
import io.chainmesh.blockchain.provisioning.Prepared;
import io.chainmesh.blockchain.provisioning.Progress;
import io.chainmesh.blockchain.provisioning.ProvisioningDriver;
import io.chainmesh.blockchain.provisioning.Release;
import io.chainmesh.blockchain.provisioning.Reservations;
import io.chainmesh.blockchain.upstream.JsonRpcProbe;
import io.chainmesh.blockchain.upstream.UpstreamFailure;

/**
 * The {@code local} driver: one anvil process per node on this host, from the pinned npm package
 * ({@code CHAINMESH_ANVIL_BIN}), listening on a port of {@code CHAINMESH_NODE_PORT_RANGE} reserved for the node.
 * Each node owns a directory below {@code CHAINMESH_NODE_DATA_DIR}: {@code state.json} (anvil {@code --state},
 * loaded at start and dumped every {@code state-interval} and on exit, so a restart keeps the chain),
 * {@code anvil.log} (stdout and stderr) and {@code anvil.pid}.
 *
 * <p>Processes outlive this service on purpose (a deploy or crash of blockchain-service must not take tenants' chains
 * down). A process is <em>adopted</em> when its pid file names a live anvil launched for this node's port and
 * directory and that port answers with the node's chain id; a live process that fails those checks is killed and
 * replaced, so a node never ends up with two processes, and a pid reused by an unrelated process is never killed.
 * Each process runs in its own session ({@code setsid}) so that {@code bin/chainmesh down} can stop it by pid file
 * and a signal to this service's process group does not reach it.
 */
@Component
class LocalAnvilDriver implements ProvisioningDriver<LocalAnvilSpec>, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LocalAnvilDriver.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** How soon a starting anvil is looked at again; it usually answers within a second. */
    private static final Duration START_POLL = Duration.ofMillis(100);
    private static final String CHAIN_ID_SEQUENCE = "local_chain_id_seq";

    private final BlockchainProperties.Local config;
    private final JsonRpcProbe probe;
    private final Clock clock;
    private final LocalPorts ports;
    /** Processes this instance launched or adopted after seeing them answer, so shutdown can stop them. */
    private final Map<UUID, ProcessHandle> known = new ConcurrentHashMap<>();
    private volatile boolean running;

    LocalAnvilDriver(BlockchainProperties properties, JsonRpcProbe probe, Clock clock) {
        this.config = properties.nodes().local();
        this.probe = probe;
        this.clock = clock;
        this.ports = new LocalPorts(config);
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public Class<LocalAnvilSpec> specType() {
        return LocalAnvilSpec.class;
    }

    @Override
    public void check(NodeRequest request) {
        if (!request.upstreams().isEmpty()) {
            throw BlockchainErrors.UPSTREAMS_NOT_ALLOWED.exception("Only the external driver takes upstreams.")
                    .with("field", "upstreams");
        }
    }

    @Override
    public Prepared<LocalAnvilSpec> prepare(NodeRequest request, Reservations reservations) {
        // Held until the node is stored: two creations (of any tenant, on any instance) cannot take the same port.
        reservations.lock("local-driver-ports");
        List<Integer> held = reservations.liveSpecs(this).stream().map(LocalAnvilSpec::port).toList();
        int port = ports.allocate(held).orElseThrow(() -> BlockchainErrors.NO_CAPACITY.exception(
                "No port is free for another local node on this host; try again later."));
        long chainId = reservations.nextValue(CHAIN_ID_SEQUENCE) + config.firstChainId() - 1;
        LocalAnvilSpec spec = new LocalAnvilSpec(port, chainId, defaultDir(request.nodeId()).toString(), null, null);
        return new Prepared<>(spec, chainId, List.of());
    }

    @Override
    public Progress<LocalAnvilSpec> reconcile(NodeRef node, LocalAnvilSpec stored) {
        LocalAnvilSpec spec = withDir(node, stored);
        String url = "http://127.0.0.1:" + spec.port();
        Optional<ProcessHandle> existing = ourProcess(spec);
        boolean starting = spec.launchedPid() != null;
        if (existing.isPresent()) {
            ProcessHandle process = existing.get();
            ProcessHandle seen = known.get(node.id());
            if (!starting && seen != null && seen.pid() == process.pid()) {
                return new Progress.Ready<>(spec, spec.chainId(), List.of(url));
            }
            if (answersWithChainId(url, spec.chainId())) {
                known.put(node.id(), process);
                log.info("Node {}: anvil pid {} {} on :{} (chain id {})", node.id(), process.pid(),
                        starting ? "running" : "adopted", spec.port(), spec.chainId());
                return new Progress.Ready<>(spec.settled(), spec.chainId(), List.of(url));
            }
            if (starting && spec.launchedPid() == process.pid()) {
                if (Duration.between(spec.launchedAt(), clock.instant()).compareTo(config.startTimeout()) < 0) {
                    return new Progress.Pending<>(spec, "anvil pid " + process.pid() + " starting", START_POLL);
                }
                kill(process);
                known.remove(node.id());
                return new Progress.Failed<>(spec.settled(),
                        "anvil did not answer within " + config.startTimeout().toSeconds() + " s");
            }
            log.warn("Node {}: anvil pid {} is alive but not answering on :{}; replacing it", node.id(),
                    process.pid(), spec.port());
            kill(process);
            known.remove(node.id());
        } else if (starting) {
            known.remove(node.id());
            return new Progress.Failed<>(spec.settled(), "anvil exited during start-up: " + logTail(spec));
        } else if (known.remove(node.id()) != null) {
            log.warn("Node {}: its anvil is gone; starting it again", node.id());
        }
        if (LocalPorts.taken(spec.port())) {
            return new Progress.Failed<>(spec, "port " + spec.port() + " is taken by another process");
        }
        try {
            ProcessHandle process = launch(spec);
            known.put(node.id(), process);
            return new Progress.Pending<>(spec.launched(process.pid(), clock.instant()),
                    "anvil pid " + process.pid() + " starting", START_POLL);
        } catch (IOException e) {
            return new Progress.Failed<>(spec, "could not start anvil: " + e.getMessage());
        }
    }

    @Override
    public Release<LocalAnvilSpec> stop(NodeRef node, LocalAnvilSpec stored) {
        LocalAnvilSpec spec = withDir(node, stored);
        ourProcess(spec).ifPresent(this::kill);
        known.remove(node.id());
        try {
            Files.deleteIfExists(pidFileOf(spec));
        } catch (IOException e) {
            log.warn("Node {}: could not remove pid file", node.id(), e);
        }
        return new Release.Released<>(spec.settled());
    }

    @Override
    public Release<LocalAnvilSpec> release(NodeRef node, LocalAnvilSpec stored) {
        LocalAnvilSpec spec = stop(node, stored).spec();
        try {
            FileSystemUtils.deleteRecursively(Path.of(spec.dataDir()));
        } catch (IOException e) {
            log.warn("Node {}: could not remove its data directory", node.id(), e);
        }
        return new Release.Released<>(spec);
    }

    private Path defaultDir(UUID nodeId) {
        return config.dataDir().toAbsolutePath().resolve(nodeId.toString());
    }

    /** Nodes stored before the spec named their directory live in the configured one. */
    private LocalAnvilSpec withDir(NodeRef node, LocalAnvilSpec spec) {
        return spec.dataDir() != null ? spec : spec.withDataDir(defaultDir(node.id()).toString());
    }

    private static Path pidFileOf(LocalAnvilSpec spec) {
        return Path.of(spec.dataDir(), "anvil.pid");
    }

    /** The live anvil recorded in the node's pid file, if it really is the one launched for this node. */
    private Optional<ProcessHandle> ourProcess(LocalAnvilSpec spec) {
        Path pidFile = pidFileOf(spec);
        long pid;
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            pid = Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> isAnvilFor(p, spec));
    }

    private static boolean isAnvilFor(ProcessHandle process, LocalAnvilSpec spec) {
        // /proc/<pid>/cmdline: NUL-separated argv; commandLine() from ProcessHandle.Info truncates on some kernels.
        try {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"))
                    .replace('\0', ' ');
            return cmdline.contains("anvil") && cmdline.contains("--port " + spec.port() + " ")
                    && cmdline.contains(spec.dataDir());
        } catch (IOException e) {
            String command = process.info().commandLine().orElse("");
            return command.contains("anvil") && command.contains(spec.dataDir());
        }
    }

    private ProcessHandle launch(LocalAnvilSpec spec) throws IOException {
        Path dir = Path.of(spec.dataDir());
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.addAll(List.of(config.anvilBin(), "--host", "127.0.0.1", "--port", Integer.toString(spec.port()),
                "--chain-id", Long.toString(spec.chainId()), "--state", dir.resolve("state.json").toString(),
                "--state-interval", Long.toString(Math.max(1, config.stateInterval().toSeconds())),
                "--preserve-historical-states"));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("anvil.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        Path tmp = dir.resolve("anvil.pid.tmp");
        Files.writeString(tmp, Long.toString(process.pid()));
        Files.move(tmp, pidFileOf(spec), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return process.toHandle();
    }

    private boolean answersWithChainId(String url, long chainId) {
        try {
            return probe.chainId(url, PROBE_TIMEOUT) == chainId;
        } catch (UpstreamFailure e) {
            return false;
        }
    }

    /** SIGTERM (anvil dumps its state on the way out), then SIGKILL after 5 s. */
    private void kill(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            try {
                process.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                log.warn("anvil pid {} did not exit after SIGKILL", process.pid());
            }
        }
    }

    private static String logTail(LocalAnvilSpec spec) {
        try {
            List<String> lines = Files.readAllLines(Path.of(spec.dataDir(), "anvil.log"));
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (config.stopOnShutdown()) {
            known.forEach((id, process) -> {
                if (process.isAlive()) {
                    kill(process);
                }
            });
            known.clear();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // After the reconciler and the web server have stopped: nothing uses the processes any more.
        return Integer.MAX_VALUE - 4096;
    }
}
