package io.chainmesh.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.chainmesh.common.problem.Problems;

/**
 * A small real HTTP server on a free loopback port that stands in for another service at the network boundary (never
 * for our own code under test). Routes are a method and a path regex whose groups the handler receives; an unrouted
 * request gets 404. Every request is recorded, so a test can assert what the service under test sent.
 */
public final class HttpStandIn implements AutoCloseable {

    /** What the stand-in received. {@code groups} are the path regex's capturing groups. */
    public record Request(String method, String path, String query, Map<String, List<String>> headers, String body,
            List<String> groups) {

        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** What it answers. */
    public record Response(int status, String contentType, String body) {

        public static Response json(int status, String body) {
            return new Response(status, "application/json", body);
        }

        public static Response problem(int status, String code) {
            return new Response(status, "application/problem+json",
                    "{\"type\":\"" + Problems.typeOf(code) + "\",\"status\":" + status + ",\"code\":\""
                            + code + "\"}");
        }

        public static Response empty(int status) {
            return new Response(status, null, "");
        }
    }

    private record Route(String method, Pattern path, Function<Request, Response> handler) {
    }

    private final HttpServer server;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final List<Request> received = new CopyOnWriteArrayList<>();

    private HttpStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public static HttpStandIn start() {
        try {
            return new HttpStandIn();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds a route; later routes win over earlier ones that match the same request. */
    public HttpStandIn route(String method, String pathRegex, Function<Request, Response> handler) {
        routes.add(0, new Route(method, Pattern.compile(pathRegex), handler));
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Request> requests() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Response response = Response.empty(404);
            for (Route route : routes) {
                Matcher m = route.path.matcher(path);
                if (route.method.equalsIgnoreCase(exchange.getRequestMethod()) && m.matches()) {
                    List<String> groups = new java.util.ArrayList<>();
                    for (int i = 1; i <= m.groupCount(); i++) {
                        groups.add(m.group(i));
                    }
                    Request request = new Request(exchange.getRequestMethod(), path,
                            exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), body,
                            List.copyOf(groups));
                    received.add(request);
                    response = route.handler.apply(request);
                    break;
                }
            }
            byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
            if (response.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", response.contentType());
            }
            exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }
}
