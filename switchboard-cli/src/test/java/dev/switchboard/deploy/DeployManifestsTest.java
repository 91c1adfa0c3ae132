package dev.switchboard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.config.AuthMode;
import dev.switchboard.router.config.ConfigParser;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.config.GatewaySnapshot;
import dev.switchboard.router.config.ServerConfig;
import dev.switchboard.router.http.HealthListener;
import dev.switchboard.router.resilience.Breakers;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The container and Kubernetes files of issue #17 cannot be run here (no container runtime, no cluster, no kubeconform
 * or helm from the allowed registries), so this reads them and checks what matters: the ConfigMap's gateway config
 * passes the gateway's own parser (every key declared, every value in range), probes hit the paths and port the
 * gateway serves (a real health listener answers them), the drain timing adds up to terminationGracePeriodSeconds,
 * the pod runs as the image's non-root user, secrets come from Secrets, and the Dockerfile is multi-stage with a
 * non-root USER, the launcher's JVM flags and a health check.
 */
class DeployManifestsTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path K8S = ROOT.resolve("deploy/kubernetes");
  static final YAMLMapper YAML = new YAMLMapper();

  /** Every document of every manifest, by kind. */
  static Map<String, JsonNode> manifests() throws Exception {
    Map<String, JsonNode> byKind = new HashMap<>();
    for (String file : resources()) {
      try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(K8S.resolve(file).toFile())) {
        while (docs.hasNext()) {
          JsonNode d = docs.next();
          assertNotNull(d.get("apiVersion"), file);
          assertNull(byKind.put(d.path("kind").asText(), d), "one " + d.path("kind").asText());
        }
      }
    }
    return byKind;
  }

  static List<String> resources() throws Exception {
    JsonNode k = YAML.readTree(K8S.resolve("kustomization.yaml").toFile());
    List<String> out = new ArrayList<>();
    k.path("resources").forEach(r -> out.add(r.asText()));
    return out;
  }

  static GatewayConfig configMapConfig(Map<String, JsonNode> m) {
    String text = m.get("ConfigMap").path("data").path("switchboard.yaml").asText();
    assertFalse(text.isBlank(), "the ConfigMap holds switchboard.yaml");
    return ConfigParser.parse(text, "deploy/kubernetes/configmap.yaml"); // throws naming any undeclared key or bad value
  }

  static JsonNode container(Map<String, JsonNode> m) {
    JsonNode containers = m.get("Deployment").path("spec").path("template").path("spec").path("containers");
    assertEquals(1, containers.size());
    return containers.get(0);
  }

  static int port(JsonNode container, JsonNode portRef) {
    if (portRef.isInt()) return portRef.asInt();
    for (JsonNode p : container.path("ports")) if (p.path("name").asText().equals(portRef.asText())) return p.path("containerPort").asInt();
    throw new AssertionError("no container port named " + portRef);
  }

  @Test
  void kustomization_listsEveryManifest_andNoSecret() throws Exception {
    Set<String> files = new HashSet<>();
    try (var list = Files.list(K8S)) {
      list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).forEach(files::add);
    }
    files.remove("secret.example.yaml");
    assertEquals(files, new HashSet<>(resources()), "kustomization.yaml resources");
    Map<String, JsonNode> m = manifests();
    assertEquals(Set.of("ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"), m.keySet());
  }

  @Test
  void configMap_isAValidGatewayConfig_withExternalStores() throws Exception {
    GatewayConfig c = configMapConfig(manifests());
    ServerConfig s = c.server();
    assertEquals(AuthMode.REQUIRED, s.auth(), "a gateway bound to the pod's address requires keys");
    assertTrue(s.healthPort() > 0 && s.healthPort() != s.port(), "probes on their own listener");
    assertFalse(c.storage().embedded(), "keys and spend in the shared PostgreSQL, not a per-pod H2 file");
    assertTrue(c.storage().url().startsWith("jdbc:postgresql://"), c.storage().url());
    assertTrue(c.limits().shared() && c.limits().redis().startsWith("redis://"), "budget counters shared through Redis");
  }

  @Test
  void deployment_probesPortsUserAndSecrets_matchTheGatewayAndTheImage() throws Exception {
    Map<String, JsonNode> m = manifests();
    GatewayConfig c = configMapConfig(m);
    JsonNode ct = container(m);
    JsonNode pod = m.get("Deployment").path("spec").path("template").path("spec");

    assertEquals(c.server().port(), port(ct, YAML.getNodeFactory().textNode("http")));
    assertEquals("/readyz", ct.path("readinessProbe").path("httpGet").path("path").asText());
    assertEquals("/healthz", ct.path("livenessProbe").path("httpGet").path("path").asText());
    assertEquals("/healthz", ct.path("startupProbe").path("httpGet").path("path").asText());
    for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
      assertEquals(c.server().healthPort(), port(ct, ct.path(probe).path("httpGet").path("port")), probe + " on server.health_port");
    }
    Set<Integer> exposed = dockerfileExposed();
    assertTrue(exposed.contains(c.server().port()) && exposed.contains(c.server().healthPort()), "Dockerfile EXPOSE " + exposed);

    // the Service sends traffic to the API port, never the health port
    assertEquals("http", m.get("Service").path("spec").path("ports").get(0).path("targetPort").asText());

    // non-root, the image's user
    assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean());
    assertEquals(dockerfileUid(), pod.path("securityContext").path("runAsUser").asInt());
    assertFalse(ct.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true));
    assertTrue(ct.path("securityContext").path("readOnlyRootFilesystem").asBoolean());

    // the args are the serve command's: the config the ConfigMap mounts, all interfaces, external Kafka
    List<String> args = new ArrayList<>();
    ct.path("args").forEach(a -> args.add(a.asText()));
    assertEquals("serve", args.get(0));
    String mount = null;
    for (JsonNode v : ct.path("volumeMounts")) if (v.path("name").asText().equals("config")) mount = v.path("mountPath").asText();
    assertTrue(args.contains("--config=" + mount + "/switchboard.yaml"), args + " vs the config mount " + mount);
    assertTrue(args.contains("--host=0.0.0.0"), args.toString());
    assertTrue(args.stream().anyMatch(a -> a.startsWith("--kafka=")), "the request log goes to an external Kafka: " + args);

    // secrets: from a Secret, never literal values in the manifest
    assertEquals("switchboard-secrets", ct.path("envFrom").get(0).path("secretRef").path("name").asText());
    for (JsonNode e : ct.path("env")) {
      String name = e.path("name").asText();
      assertFalse(name.contains("KEY") || name.contains("PASSWORD") || name.contains("PEPPER"), "secret " + name + " as a literal env value");
    }
    assertNotNull(ct.path("resources").path("requests").get("cpu"), "the HPA's CPU utilisation needs a CPU request");
    assertNotNull(ct.path("resources").path("limits").get("memory"));
  }

  /** SIGTERM → preStop → drain grace → drain timeout → request-log flush must fit in terminationGracePeriodSeconds. */
  @Test
  void drainTiming_fitsTheTerminationGracePeriod() throws Exception {
    Map<String, JsonNode> m = manifests();
    ServerConfig s = configMapConfig(m).server();
    JsonNode ct = container(m);
    List<String> preStop = new ArrayList<>();
    ct.path("lifecycle").path("preStop").path("exec").path("command").forEach(x -> preStop.add(x.asText()));
    assertEquals("sleep", preStop.get(0), "preStop waits for the endpoint removal to spread");
    long preStopMs = Long.parseLong(preStop.get(1)) * 1000;
    long graceSeconds = m.get("Deployment").path("spec").path("template").path("spec").path("terminationGracePeriodSeconds").asLong();
    assertTrue(s.drainGraceMs() > 0, "a balanced gateway keeps taking connections while readiness turns");
    long needed = preStopMs + s.drainGraceMs() + s.drainTimeoutMs() + 5_000; // 5 s at least for the request log's flush
    assertTrue(graceSeconds * 1000 >= needed, "terminationGracePeriodSeconds " + graceSeconds + " < " + needed + " ms");
    assertTrue(graceSeconds * 1000 <= needed + 30_000, "terminationGracePeriodSeconds far above the drain: a stuck pod lingers");
    assertTrue(m.get("PodDisruptionBudget").path("spec").path("minAvailable").asInt() >= 1);
    JsonNode hpa = m.get("HorizontalPodAutoscaler").path("spec");
    assertEquals("Deployment", hpa.path("scaleTargetRef").path("kind").asText());
    assertEquals("cpu", hpa.path("metrics").get(0).path("resource").path("name").asText());
    assertTrue(hpa.path("minReplicas").asInt() >= 2, "the PDB's minAvailable 1 needs two replicas to let a node drain");
  }

  /** The variables the example Secret provides (its stringData keys). */
  static Set<String> secretVariables() throws Exception {
    Set<String> names = new HashSet<>();
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(K8S.resolve("secret.example.yaml").toFile())) {
      while (docs.hasNext()) {
        JsonNode d = docs.next();
        if (d.path("metadata").path("name").asText().equals("switchboard-secrets")) d.path("stringData").fieldNames().forEachRemaining(names::add);
      }
    }
    return names;
  }

  /** Every variable the gateway reads for this config is in the Secret the Deployment loads. */
  @Test
  void secret_providesEveryVariableTheConfigNeeds() throws Exception {
    GatewayConfig c = configMapConfig(manifests());
    Set<String> provided = secretVariables();
    for (dev.switchboard.router.config.Deployment d : c.deployments().values()) {
      assertTrue(provided.contains(d.apiKeyEnv()), d.name() + "'s api_key_env " + d.apiKeyEnv() + " is not in the Secret " + provided);
    }
    for (String v : List.of(dev.switchboard.router.governance.Governance.PEPPER_ENV, c.server().adminKeyEnv(),
        dev.switchboard.router.governance.Governance.STORAGE_PASSWORD_ENV)) {
      assertTrue(provided.contains(v), v + " is not in the Secret " + provided);
    }
  }

  /**
   * The probe paths are real: the gateway's health listener, started with the ConfigMap's config and the Secret's
   * variables, answers them 200 (without the providers' keys /readyz would say 503, missing_api_key).
   */
  @Test
  void probePaths_areAnsweredByTheHealthListener() throws Exception {
    Map<String, JsonNode> m = manifests();
    GatewayConfig c = configMapConfig(m);
    JsonNode ct = container(m);
    Set<String> secret = secretVariables();
    Vertx vertx = Vertx.vertx();
    try {
      GatewaySnapshot snap = GatewaySnapshot.resolve(c, k -> secret.contains(k) ? "placeholder-value" : null, 1);
      HealthListener health = HealthListener.start(vertx, "127.0.0.1", 0, () -> snap,
          new Breakers(c.resilience(), System::currentTimeMillis), () -> true, ExchangeObserver.NONE)
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      HttpClient http = HttpClient.newHttpClient();
      for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
        String path = ct.path(probe).path("httpGet").path("path").asText();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), probe + " " + path + ": " + r.body());
      }
      health.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void dockerfile_isMultiStage_nonRoot_withTheLaunchersJvmFlags() throws Exception {
    List<String> lines = Files.readAllLines(ROOT.resolve("Dockerfile"));
    List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
    assertEquals(2, froms.size(), "a build stage and a runtime stage: " + froms);
    assertTrue(froms.get(0).contains("maven") && froms.get(0).endsWith(" AS build"), froms.get(0));
    assertTrue(froms.get(1).contains("-jre"), "the runtime stage is a JRE image, not a JDK: " + froms.get(1));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("COPY --from=build ")), "the runtime copies the build's output");
    assertTrue(lines.stream().noneMatch(l -> l.startsWith("RUN mvn") && lines.indexOf(l) > lines.indexOf(froms.get(1))),
        "no Maven in the runtime stage");
    // the last USER is the one the container runs as: numeric and not root
    String user = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
    assertEquals("USER ${UID}:${UID}", user);
    assertTrue(dockerfileUid() > 0);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("HEALTHCHECK ")), "a HEALTHCHECK");
    assertTrue(String.join("\n", lines).contains("/dev/tcp/127.0.0.1/" + configMapConfig(manifests()).server().healthPort()),
        "the health check asks the health port");

    // the JVM flags are the launcher's defaults, not a second opinion
    Matcher launcher = Pattern.compile("JAVA_OPTS=\"\\$\\{SWITCHBOARD_JAVA_OPTS:-([^}]*)}\"").matcher(Files.readString(ROOT.resolve("switchboard")));
    assertTrue(launcher.find(), "the launcher's JAVA_OPTS line");
    assertTrue(String.join("\n", lines).contains("SWITCHBOARD_JAVA_OPTS=\"" + launcher.group(1) + "\""),
        "Dockerfile SWITCHBOARD_JAVA_OPTS = the launcher's: " + launcher.group(1));
    assertTrue(String.join("\n", lines).contains("-Dai.djl.offline=true"), "DJL never downloads in the container");
  }

  static int dockerfileUid() throws Exception {
    Matcher m = Pattern.compile("(?m)^ARG UID=(\\d+)$").matcher(Files.readString(ROOT.resolve("Dockerfile")));
    assertTrue(m.find(), "ARG UID in the Dockerfile");
    return Integer.parseInt(m.group(1));
  }

  static Set<Integer> dockerfileExposed() throws Exception {
    Set<Integer> ports = new HashSet<>();
    for (String l : Files.readAllLines(ROOT.resolve("Dockerfile"))) {
      if (l.startsWith("EXPOSE ")) for (String p : l.substring(7).trim().split("\\s+")) ports.add(Integer.parseInt(p));
    }
    return ports;
  }

  private static void assertNull(Object o, String what) {
    org.junit.jupiter.api.Assertions.assertNull(o, what);
  }
}
