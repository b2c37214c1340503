package io.chainmesh.blockchain.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Arrays;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.Test;

import io.chainmesh.blockchain.upstream.UpstreamFailure.Kind;

class UpstreamFailureTest {

    @Test
    void transportErrorsAreClassifiedByWhatWentWrong() {
        assertThat(Kind.ofTransport(new SocketTimeoutException("Read timed out"))).isEqualTo(Kind.TIMEOUT);
        assertThat(Kind.ofTransport(new ConnectTimeoutException("connect"))).isEqualTo(Kind.TIMEOUT);
        assertThat(Kind.ofTransport(new HttpHostConnectException("Connection refused"))).isEqualTo(Kind.UNREACHABLE);
        assertThat(Kind.ofTransport(new ConnectException("Connection refused"))).isEqualTo(Kind.UNREACHABLE);
        assertThat(Kind.ofTransport(new UnknownHostException("nowhere"))).isEqualTo(Kind.UNREACHABLE);
        assertThat(Kind.ofTransport(new NoHttpResponseException("closed"))).isEqualTo(Kind.CONNECTION_LOST);
        assertThat(Kind.ofTransport(new IOException("reset"))).isEqualTo(Kind.CONNECTION_LOST);
    }

    @Test
    void httpStatusesAreClassified() {
        assertThat(Kind.ofHttpStatus(429)).isEqualTo(Kind.RATE_LIMITED);
        assertThat(Kind.ofHttpStatus(502)).isEqualTo(Kind.SERVER_ERROR);
        assertThat(Kind.ofHttpStatus(503)).isEqualTo(Kind.SERVER_ERROR);
        assertThat(Kind.ofHttpStatus(404)).isEqualTo(Kind.HTTP_STATUS);
    }

    @Test
    void jsonRpcErrorsAreClassifiedByTheirEip1474Codes() {
        assertThat(Kind.ofJsonRpcError(-32005)).isEqualTo(Kind.JSON_RPC_LIMIT_EXCEEDED);
        assertThat(Kind.ofJsonRpcError(-32601)).isEqualTo(Kind.JSON_RPC_UNSUPPORTED);
        assertThat(Kind.ofJsonRpcError(-32004)).isEqualTo(Kind.JSON_RPC_UNSUPPORTED);
        assertThat(Kind.ofJsonRpcError(-32602)).isEqualTo(Kind.JSON_RPC_INVALID_REQUEST);
        assertThat(Kind.ofJsonRpcError(-32700)).isEqualTo(Kind.JSON_RPC_INVALID_REQUEST);
        assertThat(Kind.ofJsonRpcError(-32603)).isEqualTo(Kind.JSON_RPC_NODE_ERROR);
        assertThat(Kind.ofJsonRpcError(3)).isEqualTo(Kind.JSON_RPC_NODE_ERROR);
    }

    @Test
    void onlyFailuresOfTheUpstreamItselfMoveTheProxyToTheNextOne() {
        assertThat(Arrays.stream(Kind.values()).filter(Kind::upstreamFault)).containsExactly(Kind.TIMEOUT,
                Kind.UNREACHABLE, Kind.CONNECTION_LOST, Kind.RATE_LIMITED, Kind.SERVER_ERROR, Kind.HTTP_STATUS,
                Kind.MALFORMED_ANSWER);
        assertThat(Kind.CONNECTION_LOST.label()).isEqualTo("connection lost");
    }
}
