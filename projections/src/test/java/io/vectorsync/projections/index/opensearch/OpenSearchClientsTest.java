package io.vectorsync.projections.index.opensearch;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.apache.hc.core5.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS and basic auth of the client and of the {@link SearchTransport} against a local HTTPS endpoint
 * with a self-signed certificate (made with the JDK's keytool). The test node speaks plain HTTP, so
 * this is where TLS is proven.
 */
class OpenSearchClientsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    Path directory;

    private Path keystore;
    private HttpsServer server;
    private final AtomicReference<String> authorization = new AtomicReference<>();

    @BeforeEach
    void startHttpsServer() throws Exception {
        keystore = directory.resolve("node.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "node", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes())).isZero();

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(keystore.toFile())) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            String credentials = exchange.getRequestHeaders().getFirst("Authorization");
            if (credentials == null) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test\"");
                exchange.sendResponseHeaders(401, -1);
            } else {
                authorization.set(credentials);
                byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopHttpsServer() {
        server.stop(0);
    }

    /** The certificate names localhost only: reached as 127.0.0.1, its host name does not match. */
    private OpenSearchSettings settings(String host, OpenSearchSettings.Tls tls) {
        return OpenSearchSettings.defaults(List.of(URI.create("https://" + host + ":" + server.getAddress().getPort())))
                .withCredentials("vectorsync", "s3cret")
                .withTls(tls);
    }

    @Test
    void trustAllAcceptsAnyCertificateAndHostAndSendsBasicAuth() throws IOException {
        assertThat(get(settings("127.0.0.1", OpenSearchSettings.Tls.TRUST_ALL))).isEqualTo(200);
        assertThat(authorization.get()).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("vectorsync:s3cret".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aTruststoreWithTheCertificateIsTrusted() throws IOException {
        assertThat(get(settings("localhost", new OpenSearchSettings.Tls(false, keystore, PASSWORD)))).isEqualTo(200);
    }

    @Test
    void aTruststoreStillChecksTheHostName() {
        assertThatThrownBy(() -> get(settings("127.0.0.1", new OpenSearchSettings.Tls(false, keystore, PASSWORD))))
                .isInstanceOf(IOException.class);
    }

    @Test
    void theJdksTrustStoreRejectsASelfSignedCertificate() {
        assertThatThrownBy(() -> get(settings("localhost", OpenSearchSettings.Tls.SYSTEM))).isInstanceOf(IOException.class);
    }

    @Test
    void theSearchTransportUsesTheSameTlsAndSendsBasicAuth() throws IOException {
        assertThat(search(settings("127.0.0.1", OpenSearchSettings.Tls.TRUST_ALL))).isEqualTo(200);
        assertThat(authorization.get()).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("vectorsync:s3cret".getBytes(StandardCharsets.UTF_8)));
        assertThat(search(settings("localhost", new OpenSearchSettings.Tls(false, keystore, PASSWORD)))).isEqualTo(200);
        assertThatThrownBy(() -> search(settings("127.0.0.1", new OpenSearchSettings.Tls(false, keystore, PASSWORD))))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> search(settings("localhost", OpenSearchSettings.Tls.SYSTEM))).isInstanceOf(IOException.class);
    }

    @Test
    void theSearchTransportMovesOnFromAnEndpointThatRefuses() throws IOException {
        OpenSearchSettings twoEndpoints = settings("localhost", OpenSearchSettings.Tls.TRUST_ALL)
                .withEndpoints(List.of(URI.create("https://127.0.0.1:1"),
                        URI.create("https://localhost:" + server.getAddress().getPort())));
        try (SearchTransport transport = new SearchTransport(twoEndpoints)) {
            for (int i = 0; i < 4; i++) { // whichever endpoint a request starts with
                assertThat(transport.post("/_search", "{}".getBytes(StandardCharsets.UTF_8),
                        ContentType.APPLICATION_JSON).status()).isEqualTo(200);
            }
        }
    }

    private static int search(OpenSearchSettings settings) throws IOException {
        try (SearchTransport transport = new SearchTransport(settings)) {
            SearchTransport.Answer answer = transport.post("/_search", "{}".getBytes(StandardCharsets.UTF_8),
                    ContentType.APPLICATION_JSON);
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
            return answer.status();
        }
    }

    private static int get(OpenSearchSettings settings) throws IOException {
        OpenSearchClient client = OpenSearchClients.create(settings);
        try (Response response = client.generic().execute(Requests.builder().method("GET").endpoint("/").build())) {
            return response.getStatus();
        } finally {
            OpenSearchClients.close(client);
        }
    }
}
