package io.chainmesh.blockchain.upstream;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A node's endpoint did not give a usable answer, classified once, where the answer is read ({@link UpstreamClient},
 * {@link JsonRpcProbe}), so that failover, breakers and messages all go by the same {@link Kind} instead of each
 * testing exceptions and status codes of its own. The message is short and safe to show a tenant (no stack trace).
 */
public final class UpstreamFailure extends Exception {

    /**
     * What went wrong. The transport and HTTP kinds are the upstream's fault: its breaker counts them and the proxy
     * tries the next upstream. The JSON-RPC kinds are answers the node gave inside an HTTP 200 (EIP-1474 codes): the
     * proxy hands them to the caller as they are, and only the platform's own probes treat them as failures.
     */
    public enum Kind {
        /** No answer within the timeout (connect, response, or waiting for a pooled connection). */
        TIMEOUT(true),
        /** Could not connect: nothing listens, no route, or the host name does not resolve. */
        UNREACHABLE(true),
        /** The connection broke before a whole answer arrived. */
        CONNECTION_LOST(true),
        /** HTTP 429: the endpoint limits our rate. */
        RATE_LIMITED(true),
        /** HTTP 5xx. */
        SERVER_ERROR(true),
        /** Any other HTTP status than 200. */
        HTTP_STATUS(true),
        /** An HTTP 200 whose body is not the JSON-RPC answer asked for. */
        MALFORMED_ANSWER(true),
        /** JSON-RPC -32005 "limit exceeded". */
        JSON_RPC_LIMIT_EXCEEDED(false),
        /** JSON-RPC -32601 "method not found" or -32004 "method not supported". */
        JSON_RPC_UNSUPPORTED(false),
        /** JSON-RPC -32700, -32600, -32602, -32000: the request was at fault. */
        JSON_RPC_INVALID_REQUEST(false),
        /** Any other JSON-RPC error: -32603 "internal error" and the node's own codes. */
        JSON_RPC_NODE_ERROR(false);

        private final boolean upstreamFault;

        Kind(boolean upstreamFault) {
            this.upstreamFault = upstreamFault;
        }

        /** The upstream failed the request: its breaker records an error and the next upstream is tried. */
        public boolean upstreamFault() {
            return upstreamFault;
        }

        /** The kind of a JSON-RPC {@code error.code} (EIP-1474). */
        public static Kind ofJsonRpcError(int code) {
            return switch (code) {
                case -32005 -> JSON_RPC_LIMIT_EXCEEDED;
                case -32601, -32004 -> JSON_RPC_UNSUPPORTED;
                case -32700, -32600, -32602, -32000 -> JSON_RPC_INVALID_REQUEST;
                default -> JSON_RPC_NODE_ERROR;
            };
        }

        /** The kind of an HTTP status other than 200. */
        public static Kind ofHttpStatus(int status) {
            if (status == 429) {
                return RATE_LIMITED;
            }
            return status >= 500 ? SERVER_ERROR : HTTP_STATUS;
        }

        /** The kind of a transport error. */
        public static Kind ofTransport(Exception error) {
            // Apache's HttpHostConnectException is a ConnectException.
            if (error instanceof ConnectException || error instanceof NoRouteToHostException
                    || error instanceof UnknownHostException) {
                return UNREACHABLE;
            }
            // SocketTimeoutException and Apache's connect and pool-wait timeouts are InterruptedIOExceptions.
            if (error instanceof InterruptedIOException) {
                return TIMEOUT;
            }
            return CONNECTION_LOST;
        }

        /** Lower case with spaces, for messages: {@code connection lost}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    private final Kind kind;

    public UpstreamFailure(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
