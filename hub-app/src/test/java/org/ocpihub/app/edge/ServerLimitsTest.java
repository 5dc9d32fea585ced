package org.ocpihub.app.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.MinimalPeer;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RawHttp;
import org.ocpihub.app.support.RunningHub;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 7 item 7 (server side): a request trickling in is cut off, idle keep-alive connections are closed, and the
 * 413 for an oversized body reaches a client that writes its whole body before reading. Runs its own hub with short
 * limits, so that the tests see the limits act without waiting for the production defaults.
 */
class ServerLimitsTest {

    private static RunningHub hub;

    @BeforeAll
    static void start() {
        hub = RunningHub.start(Map.of("hub.http.read-timeout", "1s", "hub.http.request-timeout", "2s",
                "hub.http.idle-timeout", "1s", "hub.http.max-body-size", "64KB"));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    /** One byte every half second never trips the read timeout; the whole-request timeout still ends it. */
    @Test
    void aBodyTricklingInIsCutOff() throws IOException {
        // a valid token A, so that the hub reads the body (an unknown token would be refused before)
        String tokenA = hub.admin().createPlatform("trickle", List.of(Parties.cpo())).text("token_a");
        URI uri = URI.create(hub.url());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(500); // the pace of the trickle: one byte per read that timed out
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            int bodyLength = 120; // a full minute at this pace
            out.write(("POST /ocpi/2.2.1/credentials HTTP/1.1\r\nHost: x\r\nAuthorization: " + RawHttp.ocpiToken(tokenA) + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + bodyLength + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int written = 0;
            String answer = null;
            while (written < bodyLength && answer == null) {
                try {
                    byte[] buffer = new byte[4096];
                    int n = in.read(buffer);
                    answer = n < 0 ? "closed" : new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                } catch (SocketTimeoutException nothingYet) {
                    try {
                        out.write(' ');
                        out.flush();
                        written++;
                    } catch (IOException reset) {
                        answer = "closed";
                    }
                }
            }
            assertThat(answer).as("the hub let a trickling request run for %d bytes", written).isNotNull();
            assertThat(written).isLessThan(bodyLength);
            assertThat(answer).matches("(?s)(closed|HTTP/1\\.1 408.*)");
        }
    }

    /**
     * Slow headers (attack findings): one header line every half second. Reactor Netty's read and request timeouts
     * start once the headers are read; until then the idle timeout (1 s here) bounds the wait, counted from the
     * connection's start (or the previous answer), however many header bytes trickle in. So the connection ends
     * long before the client runs out of lines; the hub closes it without an answer (README, hub.http.*).
     */
    @Test
    void headersTricklingInAreCutOff() throws IOException {
        URI uri = URI.create(hub.url());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(500); // the pace of the trickle: one header line per read that timed out
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            int lines = 120; // a full minute at this pace
            out.write("GET /ocpi/versions HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int written = 0;
            String answer = null;
            while (written < lines && answer == null) {
                try {
                    byte[] buffer = new byte[4096];
                    int n = in.read(buffer);
                    answer = n < 0 ? "closed" : new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                } catch (SocketTimeoutException nothingYet) {
                    try {
                        out.write(("X-Slow-" + written + ": x\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        written++;
                    } catch (IOException reset) {
                        answer = "closed";
                    }
                } catch (SocketException reset) {
                    answer = "closed"; // a reset while reading: the hub closed the connection
                }
            }
            assertThat(answer).as("the hub let headers trickle in for %d lines", written).isNotNull();
            assertThat(written).isLessThan(lines);
            assertThat(answer).matches("(?s)(closed|HTTP/1\\.1 408.*)");
        }
    }

    /** A request whose body stops coming: the read timeout ends it. */
    @Test
    void aBodyThatStopsComingIsCutOff() throws IOException {
        String tokenA = hub.admin().createPlatform("silent-body", List.of(Parties.cpo())).text("token_a");
        try (RawHttp connection = RawHttp.to(hub.url(), 30_000)) {
            connection.write(("POST /ocpi/2.2.1/credentials HTTP/1.1\r\nHost: x\r\nAuthorization: "
                    + RawHttp.ocpiToken(tokenA) + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = connection.readUntilClosed();
            assertThat(answer).as("the hub answers 408 or just closes").matches("(?s)(|HTTP/1\\.1 408.*)");
        }
    }

    /** A keep-alive connection after its answer, and connections that never send a request, are closed. */
    @Test
    void idleConnectionsAreClosed() throws IOException {
        try (RawHttp used = RawHttp.to(hub.url(), 30_000)) {
            assertThat(used.get("/ocpi/versions", null).status()).isEqualTo(401);
            assertThat(used.closedByServer()).as("idle keep-alive connection closed by the hub").isTrue();
        }
        List<RawHttp> silent = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                silent.add(RawHttp.to(hub.url(), 30_000));
            }
            for (RawHttp connection : silent) {
                assertThat(connection.closedByServer()).as("a connection that never sent anything").isTrue();
            }
        } finally {
            silent.forEach(RawHttp::close);
        }
    }

    /**
     * The input: Java's HttpURLConnection writes a whole oversized body (fixed-length streaming), then
     * reads. It must get the 413 envelope, not a connection reset: on the credentials endpoint (token A) and, a
     * sibling, on the admin API.
     */
    @Test
    void theTooLargeAnswerReachesAClientThatWritesTheWholeBodyFirst() throws IOException {
        String tokenA = hub.admin().createPlatform("too-large", List.of(Parties.cpo())).text("token_a");
        byte[] body = new byte[16 * 1024 * 1024]; // 16 MB, the hub reads at most 64 KB
        Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[body.length - 1] = '}';
        for (int attempt = 0; attempt < 3; attempt++) { // the reset came in some tries only: try a few times
            JsonNode envelope = writeAllThenRead("/ocpi/2.2.1/credentials", RawHttp.ocpiToken(tokenA), body);
            assertThat(envelope.get("status_code").asInt()).isEqualTo(2001);
            assertThat(envelope.get("status_message").asString()).contains("larger than the hub accepts");
            JsonNode admin = writeAllThenRead("/admin/api/platforms", "Bearer " + hub.adminToken(), body);
            assertThat(admin.get("error").asString()).contains("larger than the hub accepts");
        }
    }

    /** A sibling: an answer given before the body is read at all (an unknown token) reaches the client too. */
    @Test
    void anEarlyRefusalReachesAClientThatWritesTheWholeBodyFirst() throws IOException {
        byte[] body = new byte[16 * 1024 * 1024];
        Arrays.fill(body, (byte) ' ');
        for (int attempt = 0; attempt < 3; attempt++) {
            HttpURLConnection http = (HttpURLConnection) URI.create(hub.url() + "/ocpi/2.2.1/credentials").toURL()
                    .openConnection();
            http.setRequestMethod("POST");
            http.setDoOutput(true);
            http.setFixedLengthStreamingMode(body.length);
            http.setReadTimeout(15_000);
            http.setRequestProperty("Authorization", RawHttp.ocpiToken("not-a-token-" + attempt));
            try (OutputStream out = http.getOutputStream()) {
                out.write(body);
            }
            assertThat(http.getResponseCode()).isEqualTo(401);
            http.disconnect();
        }
    }

    private static JsonNode writeAllThenRead(String path, String authorization, byte[] body) throws IOException {
        HttpURLConnection http = (HttpURLConnection) URI.create(hub.url() + path).toURL().openConnection();
        try {
            http.setRequestMethod("POST");
            http.setDoOutput(true);
            http.setFixedLengthStreamingMode(body.length);
            http.setConnectTimeout(5_000);
            http.setReadTimeout(15_000);
            http.setRequestProperty("Content-Type", "application/json");
            http.setRequestProperty("Authorization", authorization);
            try (OutputStream out = http.getOutputStream()) {
                out.write(body);
            }
            assertThat(http.getResponseCode()).as(path).isEqualTo(413);
            try (InputStream error = http.getErrorStream()) {
                return JsonMapper.builder().build().readTree(error.readAllBytes());
            }
        } finally {
            http.disconnect();
        }
    }

    /** A sibling: the same with a raw socket that writes headers and the whole body in one go, then reads. */
    @Test
    void theTooLargeAnswerReachesARawClientThatWritesEverythingFirst() throws IOException {
        String tokenA = hub.admin().createPlatform("too-large-raw", List.of(Parties.cpo())).text("token_a");
        try (MinimalPeer peer = MinimalPeer.start(); RawHttp connection = RawHttp.to(hub.url(), 15_000)) {
            StringBuilder padded = new StringBuilder(peer.credentialsBody("b", Parties.cpo()));
            padded.setLength(padded.length() - 1);
            padded.append(",\"padding\":\"").append("x".repeat(1024 * 1024)).append("\"}");
            RawHttp.Response answer = connection.send("POST", "/ocpi/2.2.1/credentials",
                    Map.of("Authorization", RawHttp.ocpiToken(tokenA)), padded.toString());
            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.json().get("status_code").asInt()).isEqualTo(2001);
        }
    }
}
