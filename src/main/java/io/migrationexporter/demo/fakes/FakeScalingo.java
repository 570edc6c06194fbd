package io.migrationexporter.demo.fakes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake Scalingo: the token exchange of auth.scalingo.com, a region's API and its database API,
 * all on one port. API tokens are exchanged (HTTP Basic, empty user, the token as password) for
 * JWTs whose lifetime the test sets; API calls need a JWT that has not expired; database calls need
 * the add-on's own token.
 */
public final class FakeScalingo extends FakeServer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern APP_PATH = Pattern.compile("/v1/apps/([^/]+)/(ps|containers|addons)");
  private static final Pattern ADDON_TOKEN = Pattern.compile("/v1/apps/([^/]+)/addons/([^/]+)/token");
  private static final Pattern DATABASE = Pattern.compile("/api/databases/([^/]+)(/metrics)?");

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Set<String> apiTokens = ConcurrentHashMap.newKeySet();
  private final Map<String, Instant> jwts = new ConcurrentHashMap<>();
  private final Map<String, String> addonTokens = new ConcurrentHashMap<>();
  private final Map<String, App> apps = new ConcurrentHashMap<>();
  private volatile Duration jwtLifetime = Duration.ofHours(1);

  /** A container as {@code /ps} lists it; {@code deletedAt} is null until it is deleted. */
  public record Container(String type, int index, String state, Instant createdAt,
      Instant deletedAt) {
    public String label() {
      return type + "-" + index;
    }
  }

  /** A database add-on with what the database API reports of it. */
  public static final class Database {
    private final String addonId;
    private volatile boolean backupsEnabled = true;
    private volatile long connections;
    private volatile double cpuPercent = 3;
    private volatile long memoryBytes = 512L << 20;

    Database(String addonId) {
      this.addonId = addonId;
    }

    public String addonId() {
      return addonId;
    }

    public Database backups(boolean enabled) {
      backupsEnabled = enabled;
      return this;
    }

    public Database connections(long count) {
      connections = count;
      return this;
    }

    public Database cpu(double percent) {
      cpuPercent = percent;
      return this;
    }
  }

  /** An app: its containers, its formation and its add-ons. */
  public static final class App {
    private final String name;
    private final List<Container> containers = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> formation = new ConcurrentHashMap<>();
    private final Map<String, Database> databases = new ConcurrentHashMap<>();
    private volatile boolean listsStoppedContainers;

    App(String name) {
      this.name = name;
    }

    /**
     * Scales {@code type} to {@code amount} running containers, as {@code scalingo scale} does.
     * The containers it replaces disappear from {@code /ps}, or stay listed as stopped after
     * {@link #listsStoppedContainers()}.
     */
    public App scale(String type, int amount) {
      formation.put(type, amount);
      if (listsStoppedContainers) {
        containers.replaceAll(c -> c.type().equals(type) && c.state().equals("running")
            ? new Container(type, c.index(), "stopped", c.createdAt(), c.deletedAt()) : c);
      } else {
        containers.removeIf(c -> c.type().equals(type));
      }
      int next = (int) containers.stream().filter(c -> c.type().equals(type)).count();
      for (int i = 1; i <= amount; i++) {
        containers.add(new Container(type, next + i, "running", Instant.now(), null));
      }
      return this;
    }

    /** From now on {@code /ps} keeps listing the containers a scale-down stopped, as Scalingo's may. */
    public App listsStoppedContainers() {
      listsStoppedContainers = true;
      return this;
    }

    /** Sets deleted_at on every listed container of {@code type}, leaving its state as it was. */
    public App deleted(String type) {
      Instant now = Instant.now();
      containers.replaceAll(c -> c.type().equals(type)
          ? new Container(type, c.index(), c.state(), c.createdAt(), now) : c);
      return this;
    }

    /** Starts a detached one-off container ({@code scalingo run -d}); returns its label. */
    public String runOneOff(Instant startedAt) {
      int index = 1000 + containers.size();
      containers.add(new Container("one-off", index, "running", startedAt, null));
      return "one-off-" + index;
    }

    public App stopOneOffs() {
      containers.removeIf(c -> c.type().equals("one-off"));
      return this;
    }

    public App state(String type, String state) {
      containers.replaceAll(c -> c.type().equals(type)
          ? new Container(c.type(), c.index(), state, c.createdAt(), c.deletedAt()) : c);
      return this;
    }

    public Database database(String addonId) {
      return databases.computeIfAbsent(addonId, Database::new);
    }

    public String name() {
      return name;
    }
  }

  public FakeScalingo(Clock clock) {
    this.clock = clock;
  }

  /** An API token the exchange accepts. */
  public FakeScalingo acceptToken(String apiToken) {
    apiTokens.add(apiToken);
    return this;
  }

  public void revokeTokens() {
    apiTokens.clear();
  }

  /** How long the JWTs issued from now on are valid ({@code exp} claim). */
  public void jwtLifetime(Duration lifetime) {
    jwtLifetime = lifetime;
  }

  /** Every JWT issued so far stops working at once, as if it had expired early. */
  public void expireIssuedJwts() {
    jwts.replaceAll((jwt, exp) -> Instant.EPOCH);
  }

  /** The JWTs and add-on tokens issued so far: credentials a leak test looks for. */
  public List<String> issuedCredentials() {
    List<String> all = new ArrayList<>(jwts.keySet());
    all.addAll(addonTokens.keySet());
    return all;
  }

  public App app(String name) {
    return apps.computeIfAbsent(name, App::new);
  }

  public void removeApp(String name) {
    apps.remove(name);
  }

  @Override
  protected Reply route(Call call) {
    String path = call.path();
    if (path.equals("/v1/tokens/exchange")) {
      return exchange(call);
    }
    if (path.equals("/v1/regions") && call.method().equals("GET")) {
      return Reply.json(200, "{\"regions\":[{\"name\":\"fake\",\"api\":\"" + url()
          + "\",\"database_api\":\"" + url() + "\",\"default\":true}]}");
    }
    Matcher database = DATABASE.matcher(path);
    if (database.matches() && call.method().equals("GET")) {
      return database(call, database.group(1), database.group(2) != null);
    }
    if (!validJwt(call)) {
      return Reply.error(401, "invalid or expired token");
    }
    Matcher token = ADDON_TOKEN.matcher(path);
    if (token.matches() && call.method().equals("POST")) {
      App app = apps.get(token.group(1));
      Database db = app == null ? null : app.databases.get(token.group(2));
      if (db == null) {
        return Reply.error(404, "addon not found");
      }
      String addonToken = token(clock.instant().plus(Duration.ofHours(1)));
      addonTokens.put(addonToken, db.addonId());
      return Reply.json(200, "{\"addon\":{\"id\":\"" + db.addonId() + "\",\"token\":\""
          + addonToken + "\"}}");
    }
    Matcher appPath = APP_PATH.matcher(path);
    if (!appPath.matches() || !call.method().equals("GET")) {
      return Reply.error(404, "no such route");
    }
    App app = apps.get(appPath.group(1));
    if (app == null) {
      return Reply.error(404, "app not found");
    }
    return switch (appPath.group(2)) {
      case "ps" -> Reply.json(200, ps(app));
      case "containers" -> Reply.json(200, formation(app));
      default -> Reply.json(200, addons(app));
    };
  }

  private Reply exchange(Call call) {
    if (!call.method().equals("POST")) {
      return Reply.error(405, "method not allowed");
    }
    Optional<String> token = call.basicPassword("");
    if (token.isEmpty() || !apiTokens.contains(token.get())) {
      return Reply.error(401, "invalid token");
    }
    Instant exp = clock.instant().plus(jwtLifetime);
    String jwt = token(exp);
    jwts.put(jwt, exp);
    return Reply.json(200, "{\"token\":\"" + jwt + "\"}");
  }

  private boolean validJwt(Call call) {
    Optional<String> bearer = call.bearer();
    Instant exp = bearer.map(jwts::get).orElse(null);
    return exp != null && clock.instant().isBefore(exp);
  }

  private String token(Instant exp) {
    String header = encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
    byte[] id = new byte[12];
    random.nextBytes(id);
    String payload = encode("{\"exp\":" + exp.getEpochSecond() + ",\"jti\":\""
        + HexFormat.of().formatHex(id) + "\"}");
    byte[] signature = new byte[24];
    random.nextBytes(signature);
    return header + "." + payload + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(signature);
  }

  private static String encode(String json) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String ps(App app) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("containers");
    for (Container container : app.containers) {
      ObjectNode node = list.addObject();
      node.put("id", app.name + "-" + container.label());
      node.put("app_id", "app-" + app.name);
      node.put("created_at", container.createdAt().toString());
      if (container.deletedAt() == null) {
        node.putNull("deleted_at");
      } else {
        node.put("deleted_at", container.deletedAt().toString());
      }
      node.put("command", container.type().equals("one-off") ? "npm run migrate" : "npm start");
      node.put("type", container.type());
      node.put("type_index", container.index());
      node.put("label", container.label());
      node.put("state", container.state());
      node.put("app", app.name);
      node.putObject("container_size").put("name", "M").put("human_name", "M");
    }
    return root.toString();
  }

  private static String formation(App app) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("containers");
    new LinkedHashMap<>(app.formation).forEach((type, amount) -> list.addObject()
        .put("app_id", "app-" + app.name).put("name", type).put("amount", amount)
        .put("command", "npm start").put("size", "M"));
    return root.toString();
  }

  private static String addons(App app) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("addons");
    for (Database db : app.databases.values()) {
      ObjectNode node = list.addObject();
      node.put("id", db.addonId());
      node.put("app_id", "app-" + app.name);
      node.putObject("addon_provider").put("id", "postgresql").put("name", "PostgreSQL");
      node.putObject("plan").put("name", "postgresql-starter-512");
    }
    return root.toString();
  }

  private Reply database(Call call, String addonId, boolean metrics) {
    String owner = call.bearer().map(addonTokens::get).orElse(null);
    if (owner == null || !owner.equals(addonId)) {
      return Reply.error(401, "invalid addon token");
    }
    Database db = apps.values().stream().map(app -> app.databases.get(addonId))
        .filter(d -> d != null).findFirst().orElse(null);
    if (db == null) {
      return Reply.error(404, "database not found");
    }
    ObjectNode root = JSON.createObjectNode();
    if (metrics) {
      root.put("cpu_usage", db.cpuPercent);
      root.putObject("memory").put("memory", db.memoryBytes).put("memory_max", 1L << 30)
          .put("swap", 0).put("swap_max", 0);
      root.putObject("database_stats").put("data_size", 123_456_789L)
          .put("current_connections", db.connections).put("index_size", 1000);
      root.putObject("instances_metrics");
    } else {
      ObjectNode node = root.putObject("database");
      node.put("id", db.addonId());
      node.put("type_name", "postgresql");
      node.put("periodic_backups_enabled", db.backupsEnabled);
      node.putArray("periodic_backups_scheduled_at").add(1);
    }
    return Reply.json(200, root.toString());
  }
}
