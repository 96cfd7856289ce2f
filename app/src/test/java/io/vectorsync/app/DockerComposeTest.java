package io.vectorsync.app;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker/compose.yaml} and {@code docker/Dockerfile}, checked statically: no container engine runs here. The
 * compose file parses, every {@code depends_on} names a service, published ports are unique, every image tag is
 * pinned, and every app node's environment is read by the app as the settings it means (each variable a real setting,
 * node ids unique, roles as intended). The Dockerfile's stages are pinned, it runs as a non-root user, has a health
 * check, and starts the JVM with the options every process needs.
 */
class DockerComposeTest {

    private static final Path DOCKER = Path.of("..", "docker");
    /** Read by the app or the start script directly, not through configuration. */
    private static final Set<String> DIRECT = Set.of("SERVER_PORT", "VECTORSYNC_DATA_DIR", "VECTORSYNC_STORE_URL",
            "VECTORSYNC_JAVA_OPTS");
    /** Settings without a line in application.yaml (no default there to show). */
    private static final Set<String> UNLISTED = Set.of("vectorsync.store.url", "vectorsync.store.user",
            "vectorsync.store.password", "vectorsync.store.pool-size");

    private static Map<String, Object> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(DOCKER.resolve("compose.yaml")));
        services = (Map<String, Object>) compose.get("services");
        assertThat(services).containsKeys("postgres", "opensearch-1", "opensearch-2", "command", "projector-1",
                "projector-2", "query-1", "query-2", "axonserver", "prometheus");
    }

    @Test
    @SuppressWarnings("unchecked")
    void dependenciesExistPortsAreUniqueAndImagesArePinned() {
        Set<String> published = new HashSet<>();
        for (Map.Entry<String, Object> service : services.entrySet()) {
            Map<String, Object> body = (Map<String, Object>) service.getValue();
            Object dependsOn = body.get("depends_on");
            if (dependsOn != null) {
                Set<String> targets = dependsOn instanceof Map<?, ?> map ? (Set<String>) map.keySet()
                        : new HashSet<>((List<String>) dependsOn);
                assertThat(services.keySet()).as(service.getKey() + "'s depends_on").containsAll(targets);
            }
            for (Object port : (List<Object>) body.getOrDefault("ports", List.of())) {
                String host = port.toString().split(":")[0];
                assertThat(published.add(host)).as("host port " + host + " published twice").isTrue();
            }
            String image = (String) body.get("image");
            assertThat(image).as(service.getKey() + "'s image").isNotNull();
            String tag = image.substring(image.lastIndexOf(':') + 1);
            assertThat(image).as("pinned").contains(":");
            assertThat(tag).as(image + ": a pinned version, not latest").doesNotContain("latest").containsPattern("\\d");
        }
    }

    @Test
    void everyAppNodeReadsItsEnvironmentAsTheSettingsItMeans() throws IOException {
        Set<String> known = yamlKeys(Config.create(ConfigSources.classpath("application.yaml")));
        Set<String> nodeIds = new HashSet<>();
        Map<String, String> roles = new LinkedHashMap<>();
        Map<String, String> caches = new LinkedHashMap<>();
        for (String name : List.of("command", "projector-1", "projector-2", "query-1", "query-2")) {
            Map<String, String> env = environment(name);
            for (String variable : env.keySet()) {
                if (!DIRECT.contains(variable) && !variable.equals("SERVER_HOST")) {
                    String key = configKey(variable);
                    assertThat(known.contains(key) || UNLISTED.contains(key)).as(name + ": " + variable + " (" + key
                            + ") is a setting").isTrue();
                }
            }
            Settings settings = Settings.from(Config.builder()
                    .sources(ConfigSources.create(asConfigKeys(env)), ConfigSources.classpath("application.yaml"))
                    .disableEnvironmentVariablesSource().disableSystemPropertiesSource().build(), env);
            assertThat(nodeIds.add(settings.nodeId())).as("node id " + settings.nodeId() + " is unique").isTrue();
            roles.put(name, settings.node().roles().toString());
            assertThat(settings.node().advertisedAddress(false, settings.host(), settings.port()))
                    .as(name + " is reached by its service name, not 0.0.0.0").isEqualTo("http://" + name + ":8080");
            caches.put(name, settings.cache().mode().name().toLowerCase(java.util.Locale.ROOT));
            assertThat(settings.cache().members()).as(name + " lists the cache's members")
                    .containsExactly("projector-1:5701", "projector-2:5701");
            assertThat(settings.indexKind()).isEqualTo("opensearch");
            assertThat(settings.opensearch().endpoints()).hasSize(2);
            assertThat(settings.store().url()).isEqualTo("jdbc:postgresql://postgres:5432/vectorsync");
            assertThat(settings.host()).isEqualTo("0.0.0.0");
            assertThat(settings.access().adminKey()).as("a key is required to listen on every address").isNotBlank();
        }
        assertThat(roles).containsExactly(Map.entry("command", "command"), Map.entry("projector-1", "projector,admin"),
                Map.entry("projector-2", "projector"), Map.entry("query-1", "query"), Map.entry("query-2", "query"));
        assertThat(caches).as("projectors hold the cache's entries; the command node writes it as a lite member, "
                + "query nodes read it as clients").containsExactly(Map.entry("command", "lite"),
                Map.entry("projector-1", "embedded"), Map.entry("projector-2", "embedded"),
                Map.entry("query-1", "client"), Map.entry("query-2", "client"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesEveryAppNodesMetricsWithAKey() throws IOException {
        Map<String, Object> config = new Yaml().load(Files.readString(DOCKER.resolve("prometheus.yml")));
        Map<String, Object> job = ((List<Map<String, Object>>) config.get("scrape_configs")).getFirst();
        assertThat(job.get("metrics_path")).isEqualTo("/observe/metrics");
        assertThat((Map<String, Object>) job.get("authorization")).containsEntry("credentials_file", "/tmp/vectorsync-key");
        List<String> targets = (List<String>) ((List<Map<String, Object>>) job.get("static_configs")).getFirst()
                .get("targets");
        assertThat(targets).containsExactlyInAnyOrder("command:8080", "projector-1:8080", "projector-2:8080",
                "query-1:8080", "query-2:8080");
        Map<String, Object> prometheus = (Map<String, Object>) services.get("prometheus");
        assertThat((List<String>) prometheus.get("volumes")).contains("./prometheus.yml:/etc/prometheus/vectorsync.yml:ro");
        assertThat(String.join(" ", (List<String>) prometheus.get("entrypoint")))
                .contains("> /tmp/vectorsync-key").contains("--config.file=/etc/prometheus/vectorsync.yml");
    }

    @Test
    void theImageIsPinnedRunsAsANonRootUserAndChecksItsHealth() throws IOException {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        Matcher from = Pattern.compile("(?m)^FROM (\\S+)").matcher(dockerfile);
        int stages = 0;
        while (from.find()) {
            stages++;
            assertThat(from.group(1)).as("a pinned base image").matches("[^:]+:\\d[^ ]*");
        }
        assertThat(stages).as("multi-stage").isGreaterThanOrEqualTo(2);
        String runStage = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        Matcher user = Pattern.compile("(?m)^USER (\\S+)").matcher(runStage);
        assertThat(user.find()).as("a USER in the run stage").isTrue();
        assertThat(user.group(1)).isNotIn("root", "0");
        assertThat(runStage).contains("HEALTHCHECK").contains("/health/ready").contains("@/opt/vectorsync/jvm.options")
                .contains("COPY bin/jvm.options");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(String service) {
        Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) services.get(service)).get("environment");
        Map<String, String> resolved = new HashMap<>();
        env.forEach((name, value) -> resolved.put(name, interpolate(String.valueOf(value))));
        return resolved;
    }

    /** Compose's {@code ${NAME:-default}} and {@code ${NAME:?error}}, with the variables the README asks for set. */
    private static String interpolate(String value) {
        Map<String, String> given = Map.of("VECTORSYNC_ADMIN_KEY", "k".repeat(40));
        Matcher variable = Pattern.compile("\\$\\{(\\w+)(?::([-?])([^}]*))?}").matcher(value);
        StringBuilder out = new StringBuilder();
        while (variable.find()) {
            String name = variable.group(1);
            String replacement = given.containsKey(name) ? given.get(name)
                    : "-".equals(variable.group(2)) ? variable.group(3) : "";
            assertThat(given.containsKey(name) || "-".equals(variable.group(2))).as("${" + name + "} has a default or"
                    + " is one the README asks for").isTrue();
            variable.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return variable.appendTail(out).toString();
    }

    /** Helidon's mapping of an environment variable to a key: lower case, {@code _dash_} a dash, {@code _} a dot. */
    private static String configKey(String variable) {
        return variable.toLowerCase(Locale.ROOT).replace("_dash_", "-").replace('_', '.');
    }

    private static Map<String, String> asConfigKeys(Map<String, String> env) {
        Map<String, String> keys = new HashMap<>();
        env.forEach((variable, value) -> keys.put(configKey(variable), value));
        return keys;
    }

    private static Set<String> yamlKeys(Config config) {
        Set<String> keys = new HashSet<>();
        List<Config> pending = new ArrayList<>(List.of(config));
        while (!pending.isEmpty()) {
            Config node = pending.removeLast();
            if (node.isLeaf()) {
                keys.add(node.key().toString());
            } else {
                pending.addAll(node.asNodeList().orElse(List.of()));
            }
        }
        return keys;
    }
}
