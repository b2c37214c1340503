package io.chainmesh.notification.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP webhook receiver on 127.0.0.1: records every request per path and answers as the path's behaviour says
 * (by the 1-based number of the request on that path). Unknown paths answer 204.
 */
public final class TestReceiver implements AutoCloseable {

    /** One received request, headers lower-cased. */
    public record Received(String path, Map<String, String> headers, String body, Instant at) {
        public String webhookId() {
            return headers.get("webhook-id");
        }
    }

    /** What to answer: status, optional Retry-After. */
    public record Reply(int status, String retryAfter, String body) {
        public static Reply status(int status) {
            return new Reply(status, null, "{\"received\":true}");
        }
    }

    private final HttpServer server;
    private final Map<String, List<Received>> received = new ConcurrentHashMap<>();
    private final Map<String, IntFunction<Reply>> behaviours = new ConcurrentHashMap<>();

    public TestReceiver() throws IOException {
        this(0);
    }

    public TestReceiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public void behave(String path, IntFunction<Reply> behaviour) {
        behaviours.put(path, behaviour);
    }

    public List<Received> at(String path) {
        return List.copyOf(received.getOrDefault(path, List.of()));
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Map<String, String> headers = new ConcurrentHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        List<Received> list = received.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>());
        int n;
        synchronized (list) {
            list.add(new Received(path, headers, body, Instant.now()));
            n = list.size();
        }
        Reply reply = behaviours.getOrDefault(path, i -> Reply.status(204)).apply(n);
        if (reply.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", reply.retryAfter());
        }
        byte[] out = reply.body() == null || reply.status() == 204 ? new byte[0]
                : reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
