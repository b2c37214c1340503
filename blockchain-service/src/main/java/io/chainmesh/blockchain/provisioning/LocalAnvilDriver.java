package io.chainmesh.blockchain.provisioning;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

import io.chainmesh.blockchain.BlockchainProperties;
import io.chainmesh.blockchain.node.Node;

/**
 * The {@code local} driver: one anvil process per node on this host, from the pinned npm package
 * ({@code CHAINMESH_ANVIL_BIN}). Each node owns {@code <dataDir>/<nodeId>/}: {@code state.json} (anvil
 * {@code --state}, loaded at start and dumped every {@code state-interval} and on exit, so a restart keeps the chain),
 * {@code anvil.log} (stdout and stderr) and {@code anvil.pid}.
 *
 * <p>Processes outlive this service on purpose (a deploy or crash of blockchain-service must not take tenants' chains
 * down). On the next start the reconciler calls {@link #ensureRunning}, which <em>adopts</em> a process when its pid
 * file names a live anvil launched for this node's port and that port answers with the node's chain id; a live
 * process that fails those checks is killed and replaced, so a node never ends up with two processes, and a pid
 * reused by an unrelated process is never killed. Each process runs in its own session ({@code setsid}) so that
 * {@code bin/chainmesh down} can stop it by pid file and a signal to this service's process group does not reach it.
 */
@Component
class LocalAnvilDriver implements ProvisioningDriver, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LocalAnvilDriver.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final BlockchainProperties.Local config;
    private final RpcProbe probe;
    /** Processes this instance launched or adopted, so shutdown can stop them when configured to. */
    private final Map<UUID, ProcessHandle> known = new ConcurrentHashMap<>();
    private volatile boolean running;

    LocalAnvilDriver(BlockchainProperties properties, RpcProbe probe) {
        this.config = properties.nodes().local();
        this.probe = probe;
    }

    @Override
    public String name() {
        return "local";
    }

    Path dirOf(UUID nodeId) {
        return config.dataDir().toAbsolutePath().resolve(nodeId.toString());
    }

    Path pidFileOf(UUID nodeId) {
        return dirOf(nodeId).resolve("anvil.pid");
    }

    private static String urlOf(int port) {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public Provisioned ensureRunning(Node node) throws ProvisioningException {
        if (node.port() == null || node.chainId() == null) {
            throw new ProvisioningException("local node has no port or chain id assigned");
        }
        int port = node.port();
        String url = urlOf(port);
        Optional<ProcessHandle> existing = ourProcess(node);
        if (existing.isPresent()) {
            if (answersWithChainId(url, node.chainId())) {
                known.put(node.id(), existing.get());
                return new Provisioned(node.chainId(), List.of(url));
            }
            log.warn("Node {}: anvil pid {} is alive but not answering on :{}; replacing it", node.id(),
                    existing.get().pid(), port);
            kill(existing.get());
        }
        if (portTaken(port)) {
            throw new ProvisioningException("port " + port + " is taken by another process");
        }
        ProcessHandle process = launch(node);
        known.put(node.id(), process);
        long deadline = System.nanoTime() + config.startTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new ProvisioningException("anvil exited during start-up: " + logTail(node.id()));
            }
            if (answersWithChainId(url, node.chainId())) {
                log.info("Node {}: anvil pid {} running on :{} (chain id {})", node.id(), process.pid(), port,
                        node.chainId());
                return new Provisioned(node.chainId(), List.of(url));
            }
            sleep(100);
        }
        kill(process);
        throw new ProvisioningException("anvil did not answer within " + config.startTimeout().toSeconds() + " s");
    }

    @Override
    public boolean isAlive(Node node) {
        return ourProcess(node).isPresent();
    }

    @Override
    public void stop(Node node) {
        ourProcess(node).ifPresent(this::kill);
        known.remove(node.id());
        try {
            Files.deleteIfExists(pidFileOf(node.id()));
        } catch (IOException e) {
            log.warn("Node {}: could not remove pid file", node.id(), e);
        }
    }

    @Override
    public void destroy(Node node) {
        stop(node);
        try {
            FileSystemUtils.deleteRecursively(dirOf(node.id()));
        } catch (IOException e) {
            log.warn("Node {}: could not remove its data directory", node.id(), e);
        }
    }

    /** The live anvil recorded in the node's pid file, if it really is the one launched for this node's port. */
    private Optional<ProcessHandle> ourProcess(Node node) {
        Path pidFile = pidFileOf(node.id());
        long pid;
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            pid = Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> isAnvilFor(p, node));
    }

    private boolean isAnvilFor(ProcessHandle process, Node node) {
        // /proc/<pid>/cmdline: NUL-separated argv; commandLine() from ProcessHandle.Info truncates on some kernels.
        try {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"))
                    .replace('\0', ' ');
            return cmdline.contains("anvil") && cmdline.contains("--port " + node.port() + " ")
                    && cmdline.contains(dirOf(node.id()).toString());
        } catch (IOException e) {
            String command = process.info().commandLine().orElse("");
            return command.contains("anvil") && command.contains(dirOf(node.id()).toString());
        }
    }

    private ProcessHandle launch(Node node) throws ProvisioningException {
        Path dir = dirOf(node.id());
        try {
            Files.createDirectories(dir);
            List<String> command = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                command.add("/usr/bin/setsid");
            }
            command.addAll(List.of(config.anvilBin(), "--host", "127.0.0.1", "--port", Integer.toString(node.port()),
                    "--chain-id", Long.toString(node.chainId()), "--state", dir.resolve("state.json").toString(),
                    "--state-interval", Long.toString(Math.max(1, config.stateInterval().toSeconds())),
                    "--preserve-historical-states"));
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("anvil.log").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            Path tmp = dir.resolve("anvil.pid.tmp");
            Files.writeString(tmp, Long.toString(process.pid()));
            Files.move(tmp, pidFileOf(node.id()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return process.toHandle();
        } catch (IOException e) {
            throw new ProvisioningException("could not start anvil: " + e.getMessage(), e);
        }
    }

    private boolean answersWithChainId(String url, long chainId) {
        try {
            return probe.chainId(url, PROBE_TIMEOUT) == chainId;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM (anvil dumps its state on the way out), then SIGKILL after 5 s. */
    private void kill(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            try {
                process.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception ignored) {
                log.warn("anvil pid {} did not exit after SIGKILL", process.pid());
            }
        }
    }

    static boolean portTaken(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a port can be given to a new node: nothing listens on it and it can be bound. */
    static boolean portFree(int port) {
        if (portTaken(port)) {
            return false;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String logTail(UUID nodeId) {
        try {
            List<String> lines = Files.readAllLines(dirOf(nodeId).resolve("anvil.log"));
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Collection<UUID> knownNodes() {
        return known.keySet();
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
