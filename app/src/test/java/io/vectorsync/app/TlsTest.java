package io.vectorsync.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Helidon's whole {@code server} node is honoured: {@code server.tls} with a certificate this test makes turns the
 * API into HTTPS, keys work over it, plain HTTP does not, and the console's session cookie is marked Secure.
 */
class TlsTest {

    @Test
    void serverTlsFromConfigurationServesHttpsWithTheKeysAndASecureSessionCookie(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(output).isZero();

        String adminKey = FrontDoorTest.ADMIN_KEY;
        Settings settings = TestApp.keys(dir.resolve("data"))
                .put("server.tls.private-key.keystore.passphrase", "changeit")
                .put("server.tls.private-key.keystore.key.alias", "server")
                .put("server.tls.private-key.keystore.resource.path", keystore)
                .adminKey(adminKey)
                .settings();
        Main.Running running = Main.start(settings);
        try {
            assertThat(running.server().hasTls()).isTrue();
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(keystore))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            String base = "https://localhost:" + running.port();
            HttpResponse<String> health = https.send(HttpRequest.newBuilder(URI.create(base + "/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(https.send(HttpRequest.newBuilder(URI.create(base + "/v1/admin/processors")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
            assertThat(https.send(HttpRequest.newBuilder(URI.create(base + "/v1/admin/processors"))
                    .header("Authorization", "Bearer " + adminKey).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            HttpResponse<String> login = https.send(HttpRequest.newBuilder(URI.create(base + "/v1/admin/session"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + adminKey + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(201);
            assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("Secure").contains("HttpOnly");

            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://localhost:" + running.port()
                    + "/health/live")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.io.IOException.class);
        } finally {
            running.stop();
        }
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

}
