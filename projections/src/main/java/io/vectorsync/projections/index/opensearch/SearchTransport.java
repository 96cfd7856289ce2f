package io.vectorsync.projections.index.opensearch;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;

import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP of the search path. A k-NN query is a small request whose answer the query API waits for;
 * the OpenSearch client's asynchronous transport hands each request to an I/O reactor thread and back
 * and runs it through its whole request pipeline, which cost about 1.3 ms of a 3–4 ms query on a
 * two-core machine (docs/benchmarks.md). This sends the search JSON with Apache HttpClient's minimal
 * classic client on the calling thread instead: pooled keep-alive connections with the client's TLS,
 * timeouts and endpoints, and basic auth sent up front. No redirects, cookies or compression: OpenSearch
 * needs none of them.
 * <p>
 * Endpoints are used in turn; a request that cannot reach one (refused, or a pooled connection the
 * server had closed) goes to the next. A search is read-only, so sending it again is harmless. A
 * request that reached a node but got no answer in time is not repeated: the caller answers 503.
 */
final class SearchTransport implements Closeable {

    /** OpenSearch's answer: its status and body. */
    record Answer(int status, byte[] body) {

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final List<HttpHost> hosts;
    private final CloseableHttpClient http;
    private final RequestConfig requestConfig;
    private final String authorization;
    private final AtomicInteger next = new AtomicInteger();

    SearchTransport(OpenSearchSettings settings) {
        this.hosts = settings.endpoints().stream().map(OpenSearchClients::host).toList();
        this.http = HttpClients.createMinimal(PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(OpenSearchClients.tls(settings.tls()).buildClassic())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(OpenSearchClients.timeout(settings.connectTimeout()))
                        .setSocketTimeout(OpenSearchClients.timeout(settings.socketTimeout()))
                        // a pooled connection idle this long is checked before use: the server may have closed it
                        .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                        .build())
                .setMaxConnPerRoute(32)
                .setMaxConnTotal(64)
                .build());
        this.requestConfig = RequestConfig.custom()
                .setConnectionRequestTimeout(OpenSearchClients.timeout(settings.connectTimeout()))
                .setResponseTimeout(OpenSearchClients.timeout(settings.socketTimeout()))
                .build();
        this.authorization = settings.username() == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (settings.username() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * POSTs {@code body} to {@code path} (which starts with a slash and is already URL-safe) and returns
     * whatever OpenSearch answered. Throws {@link IOException} when no endpoint answered.
     */
    Answer post(String path, byte[] body, ContentType type) throws IOException {
        int attempts = Math.max(2, hosts.size());
        int first = Math.floorMod(next.getAndIncrement(), hosts.size());
        IOException failure = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            HttpHost host = hosts.get((first + attempt) % hosts.size());
            ClassicRequestBuilder request = ClassicRequestBuilder.post()
                    .setHttpHost(host)
                    .setPath(path)
                    .setEntity(new ByteArrayEntity(body, type));
            if (authorization != null) {
                request.addHeader(HttpHeaders.AUTHORIZATION, authorization);
            }
            ClassicHttpRequest built = request.build();
            try {
                return http.execute(host, built, context(), response ->
                        new Answer(response.getCode(), response.getEntity() == null
                                ? new byte[0] : EntityUtils.toByteArray(response.getEntity())));
            } catch (ConnectException | NoHttpResponseException e) {
                // not reached, or a kept-alive connection closed under us: the next endpoint (or connection)
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                failure = e;
            }
        }
        throw failure;
    }

    private HttpClientContext context() {
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(requestConfig);
        return context;
    }

    @Override
    public void close() {
        http.close(CloseMode.GRACEFUL);
    }
}
