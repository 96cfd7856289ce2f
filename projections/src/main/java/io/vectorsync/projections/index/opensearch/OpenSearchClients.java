package io.vectorsync.projections.index.opensearch;

import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.ssl.SSLContextBuilder;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.json.jsonb.JsonbJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Duration;

/**
 * The one place that builds an OpenSearch client: Apache HttpClient 5 transport, JSON through JSON-B
 * (the project's JSON stack; the client would otherwise default to Jackson), basic auth, TLS and the
 * timeouts of {@link OpenSearchSettings}. Whoever creates a client closes it with {@link #close}.
 */
final class OpenSearchClients {

    private OpenSearchClients() {
    }

    public static OpenSearchClient create(OpenSearchSettings settings) {
        HttpHost[] hosts = settings.endpoints().stream().map(OpenSearchClients::host).toArray(HttpHost[]::new);
        TlsStrategy tls = tls(settings.tls()).buildAsync();
        ConnectionConfig connection = ConnectionConfig.custom()
                .setConnectTimeout(timeout(settings.connectTimeout()))
                .setSocketTimeout(timeout(settings.socketTimeout()))
                .build();
        BasicCredentialsProvider credentials = credentials(settings, hosts);
        OpenSearchTransport transport = ApacheHttpClient5TransportBuilder.builder(hosts)
                .setMapper(new JsonbJsonpMapper())
                // our own connection manager, to carry the TLS strategy and the timeouts (a connection
                // manager set here replaces the builder's, and with it any connection-config callback)
                .setHttpClientConfigCallback(http -> http
                        .setDefaultCredentialsProvider(credentials)
                        .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                                .setTlsStrategy(tls)
                                .setDefaultConnectionConfig(connection)
                                .setMaxConnPerRoute(16)
                                .setMaxConnTotal(32)
                                .build()))
                .setRequestConfigCallback(request -> request
                        .setConnectionRequestTimeout(timeout(settings.connectTimeout()))
                        .setResponseTimeout(timeout(settings.socketTimeout())))
                .build();
        return new OpenSearchClient(transport);
    }

    /** Closes the client's transport and its connections. */
    public static void close(OpenSearchClient client) {
        try {
            client._transport().close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the OpenSearch client", e);
        }
    }

    /** Request options with a shorter response timeout, for readiness checks that must answer quickly. */
    static RequestConfig quickRequest(Duration timeout) {
        return RequestConfig.custom()
                .setConnectionRequestTimeout(timeout(timeout))
                .setResponseTimeout(timeout(timeout))
                .build();
    }

    private static BasicCredentialsProvider credentials(OpenSearchSettings settings, HttpHost[] hosts) {
        BasicCredentialsProvider credentials = new BasicCredentialsProvider();
        if (settings.username() != null) {
            for (HttpHost host : hosts) {
                credentials.setCredentials(new AuthScope(host),
                        new UsernamePasswordCredentials(settings.username(), settings.password().toCharArray()));
            }
        }
        return credentials;
    }

    /**
     * TLS as configured, for either transport ({@code buildAsync()} for the client, {@code buildClassic()}
     * for the {@link SearchTransport}).
     */
    static ClientTlsStrategyBuilder tls(OpenSearchSettings.Tls tls) {
        try {
            // BOTH: HttpClient checks the host name itself too; the JDK's check alone (the builder's
            // default) lets a certificate for another name pass when the endpoint is an IP address
            ClientTlsStrategyBuilder builder = ClientTlsStrategyBuilder.create()
                    .setHostVerificationPolicy(HostnameVerificationPolicy.BOTH);
            if (tls.trustAll()) {
                SSLContext trustingEverything = SSLContextBuilder.create()
                        .loadTrustMaterial(null, (chain, authType) -> true)
                        .build();
                // CLIENT: only our (no-op) verifier checks the host name, not also the JDK's built-in one
                return builder.setSslContext(trustingEverything)
                        .setHostVerificationPolicy(HostnameVerificationPolicy.CLIENT)
                        .setHostnameVerifier(NoopHostnameVerifier.INSTANCE);
            }
            if (tls.truststore() != null) {
                char[] password = tls.truststorePassword() == null ? null : tls.truststorePassword().toCharArray();
                return builder.setSslContext(SSLContextBuilder.create()
                        .loadTrustMaterial(tls.truststore().toFile(), password)
                        .build());
            }
            return builder.setSslContext(SSLContexts.createSystemDefault());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS for OpenSearch: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenSearch truststore " + tls.truststore(), e);
        }
    }

    static HttpHost host(URI endpoint) {
        int port = endpoint.getPort() != -1 ? endpoint.getPort() : "https".equals(endpoint.getScheme()) ? 443 : 80;
        return new HttpHost(endpoint.getScheme(), endpoint.getHost(), port);
    }

    static Timeout timeout(Duration duration) {
        return Timeout.ofMilliseconds(duration.toMillis());
    }
}
