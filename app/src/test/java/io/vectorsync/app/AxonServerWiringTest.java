package io.vectorsync.app;

import io.vectorsync.store.WakingEventSource;

import io.vectorsync.command.encoder.EmbeddingSpaces;
import io.vectorsync.projections.versions.SpaceModels;
import io.vectorsync.command.encoder.Encoder;
import io.vectorsync.domain.DocumentDeleted;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorIndexes;
import io.vectorsync.projections.index.lucene.HnswSettings;
import io.vectorsync.projections.index.lucene.LuceneVectorIndex;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.store.LogPositions;
import io.vectorsync.upcasters.JsonbSerializer;
import io.vectorsync.upcasters.Upcasters;
import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.axonframework.axonserver.connector.command.AxonServerCommandBus;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.axonserver.connector.query.AxonServerQueryBus;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Axon configuration with and without {@code vectorsync.axonserver}, built but not started: no Axon Server runs
 * here, so what is checked is what goes where, and that building it connects to nothing.
 */
class AxonServerWiringTest {

    private static final String CONNECTOR = "org.axonframework.axonserver";

    @TempDir
    Path dir;

    @Test
    void withAxonServerTheEventsAndCommandsGoThereWhileTokensAndDeadLettersStayInTheStore() throws IOException {
        try (ServerSocket axonServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Built built = Built.of(keys(dir)
                     .axonServer("127.0.0.1:" + axonServer.getLocalPort(), "vectors", "s3cret").settings())) {
            Configuration axon = built.axon;

            assertThat(axon.eventStore()).isInstanceOf(AxonServerEventStore.class);
            assertThat(axon.commandBus()).isInstanceOf(AxonServerCommandBus.class);
            assertThat(axon.queryBus()).isInstanceOf(AxonServerQueryBus.class);
            assertThat(axon.getComponent(LogPositions.class)).isInstanceOf(AxonServerLog.class);
            // the connector registers an in-memory token store: ours replaced it, for every processor
            assertThat(axon.getComponent(TokenStore.class)).isInstanceOf(JdbcTokenStore.class);
            assertThat(axon.getComponent(TransactionManager.class)).isSameAs(built.database.transactionManager());
            for (String group : List.of(Encoder.PROCESSING_GROUP, Vectorsync.VECTOR_INDEX_GROUP)) {
                assertThat(axon.eventProcessingConfiguration().eventProcessor(group)).as(group).isPresent();
                assertThat(axon.eventProcessingConfiguration().tokenStore(group)).as(group)
                        .isInstanceOf(JdbcTokenStore.class);
                assertThat(axon.eventProcessingConfiguration().deadLetterQueue(group)).as(group)
                        .containsInstanceOf(JdbcSequencedDeadLetterQueue.class);
            }
            AxonServerConfiguration connector = axon.getComponent(AxonServerConfiguration.class);
            assertThat(connector.getServers()).isEqualTo("127.0.0.1:" + axonServer.getLocalPort());
            assertThat(connector.getContext()).isEqualTo("vectors");
            assertThat(connector.getToken()).isEqualTo("s3cret");
            assertThat(connector.getClientId()).isEqualTo("wiring-node");
            assertThat(connector.getComponentName()).isEqualTo(AxonServerSettings.COMPONENT_NAME);

            // the connector connects once the configuration starts, not while it is built
            assertThat(axon.getComponent(AxonServerConnectionManager.class).isConnected("vectors")).isFalse();
            axonServer.setSoTimeout(500);
            assertThatThrownBy(axonServer::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void theConnectionGoesToTheConfiguredServerWhenOneIsAskedFor() throws IOException, InterruptedException {
        try (ServerSocket axonServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Built built = Built.of(keys(dir)
                     .axonServer("127.0.0.1:" + axonServer.getLocalPort(), "vectors", null).settings())) {
            AxonServerConnectionManager connections = built.axon.getComponent(AxonServerConnectionManager.class);
            // what starting does first; it waits for the handshake this socket never answers
            Thread connecting = Thread.ofVirtual().start(() -> connections.getConnection("vectors"));
            try {
                axonServer.setSoTimeout(10_000);
                try (Socket connected = axonServer.accept()) {
                    assertThat(connected.getInetAddress().isLoopbackAddress()).isTrue();
                }
            } finally {
                connections.shutdown();
                connecting.join(10_000);
            }
        }
    }

    @Test
    void withoutAxonServerNothingOfTheConnectorIsUsed() {
        Settings settings = keys(dir).settings();
        assertThat(settings.axonServer()).isEqualTo(AxonServerSettings.DISABLED);
        try (Built built = Built.of(settings)) {
            Configuration axon = built.axon;

            assertThat(axon.eventStore()).isInstanceOf(EmbeddedEventStore.class);
            assertThat(axon.commandBus()).isInstanceOf(SimpleCommandBus.class);
            assertThat(axon.queryBus()).isInstanceOf(SimpleQueryBus.class);
            assertThat(axon.getComponent(LogPositions.class)).isSameAs(built.database);
            assertThat(axon.getComponent(TokenStore.class)).isInstanceOf(JdbcTokenStore.class);
            assertThat(axon.eventProcessingConfiguration().tokenStore(Encoder.PROCESSING_GROUP))
                    .isInstanceOf(JdbcTokenStore.class);
            assertThat(axon.getComponent(AxonServerConfiguration.class)).isNull();
            assertThat(axon.getComponent(AxonServerConnectionManager.class)).isNull();
            Stream.of(axon.eventStore(), axon.commandBus(), axon.queryBus(), axon.eventBus())
                    .forEach(component -> assertThat(component.getClass().getName()).doesNotStartWith(CONNECTOR));
        }
    }

    @Test
    void aStoreThatHoldsEventsIsRefusedBeforeAnythingConnects() throws IOException {
        Settings settings = keys(dir).settings();
        try (EventStoreDatabase database = EventStoreDatabase.open(settings.store(), settings.dataDir())) {
            database.storageEngine(JsonbSerializer.create(), Upcasters.chain()).appendEvents(
                    new GenericDomainEventMessage<>("Document", "acme/x", 0, new DocumentDeleted("acme", "x", null)));
        }
        try (ServerSocket axonServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Settings withAxonServer = keys(dir)
                    .axonServer("127.0.0.1:" + axonServer.getLocalPort(), "default", null).settings();
            assertThatThrownBy(() -> Vectorsync.start(withAxonServer)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("holds events of its own").hasMessageContaining("use a new store");
            axonServer.setSoTimeout(200);
            assertThatThrownBy(axonServer::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void serversMustBeHostAndPort() {
        assertThatThrownBy(() -> AxonServerSettings.at(" ", "default", null))
                .hasMessageContaining("vectorsync.axonserver.servers");
        assertThatThrownBy(() -> AxonServerSettings.at("grpc://axon:8124", "default", null))
                .hasMessageContaining("is not host:port");
        assertThatThrownBy(() -> AxonServerSettings.at("axon:eighty", "default", null))
                .hasMessageContaining("port number");
        AxonServerSettings two = AxonServerSettings.at(" axon-1:8124 , axon-2 ", "", "");
        assertThat(two.context()).isEqualTo("default");
        assertThat(two.token()).isNull();
        assertThat(two.configuration("n1").getServers()).isEqualTo("axon-1:8124,axon-2");
        // off, nothing is checked: the defaults need not name a server anyone runs
        assertThat(new AxonServerSettings(false, "", null, null).enabled()).isFalse();
    }

    /** A client-vector space only: no embedding model to load. */
    private static SettingsKeys keys(Path dir) {
        return TestApp.base(dir)
                .put("vectorsync.node.id", "wiring-node")
                .put("vectorsync.default-space", "tiny")
                .clientSpace("tiny", 4);
    }

    /** What {@link Vectorsync#start} opens before it builds the configuration, and the configuration, not started. */
    private record Built(EventStoreDatabase database, VectorIndexes indexes, Configuration axon) implements AutoCloseable {

        static Built of(Settings settings) {
            EventStoreDatabase database = EventStoreDatabase.open(settings.store(), settings.dataDir());
            EmbeddingSpaces spaces = new EmbeddingSpaces(settings.spaces(), settings.defaultSpace(), model -> {
                throw new AssertionError("no model is loaded here: " + model);
            });
            SpaceModels models = Versioning.of(settings, database).models();
            spaces.useModels(models::live, models::inUse);
            VectorIndexes indexes = VectorIndexes.open(List.of(new SpaceSpec("tiny", 4, SpaceSpec.Metric.COSINE)),
                    LuceneVectorIndex.factory(settings.dataDir().resolve("index"), HnswSettings.DEFAULT));
            Configuration axon = AxonSetup.configure(settings, JsonbSerializer.create(), database, indexes, spaces,
                    null, models, null, new io.vectorsync.app.erasure.ErasureProcessing(database, null)).buildConfiguration();
            return new Built(database, indexes, axon);
        }

        /** Not {@code axon.shutdown()}: the connector's shutdown would reach for the server the test has none of. */
        @Override
        public void close() {
            try {
                axon.getComponent(WakingEventSource.class).close();
            } finally {
                indexes.close();
                database.close();
            }
        }
    }
}
