package io.migrationexporter.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import io.migrationexporter.check.CheckDefinition;
import io.migrationexporter.check.GateDefinition;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a HOCON file over the bundled {@code reference.conf}, validates all of it and builds the
 * {@link Plan}. Every problem is collected, each as one line naming file, line and key.
 */
public final class ConfigLoader {
  private static final String REFERENCE = "/reference.conf";

  private final List<CheckKind<?>> checkKinds;
  private final List<SourceKind> sourceKinds;
  private final Map<Class<?>, Object> shared;

  /**
   * @param shared resources (clients) shared by the sources of every plan this loader builds, so a
   *     reload reuses them
   */
  public ConfigLoader(List<CheckKind<?>> checkKinds, List<SourceKind> sourceKinds,
      Map<Class<?>, Object> shared) {
    this.checkKinds = List.copyOf(checkKinds);
    this.sourceKinds = List.copyOf(sourceKinds);
    this.shared = shared;
  }

  public ConfigLoader(List<CheckKind<?>> checkKinds, List<SourceKind> sourceKinds) {
    this(checkKinds, sourceKinds, new HashMap<>());
  }

  public Plan load(Path file) throws ConfigException {
    Path absolute = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(absolute) || !Files.isReadable(absolute)) {
      throw new ConfigException(new ConfigProblem(file.toString(), -1, null,
          "cannot read the configuration file"));
    }
    Config merged;
    try {
      Config user = ConfigFactory.parseFile(absolute.toFile(),
          ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
      merged = user.withFallback(reference()).resolve(ConfigResolveOptions.defaults());
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException(new ConfigProblem(Problems.fileOf(e.origin()),
          e.origin() == null ? -1 : e.origin().lineNumber(), null, syntaxMessage(e)));
    }
    Problems problems = new Problems();
    ConfigNode root = new ConfigNode(merged.root(), "", problems, absolute.getParent());
    Plan plan = parse(absolute, root, problems);
    if (!problems.isEmpty()) {
      if (plan != null) {
        plan.closeSources();
      }
      throw new ConfigException(problems.list());
    }
    return plan;
  }

  private static Config reference() {
    URL url = ConfigLoader.class.getResource(REFERENCE);
    if (url == null) {
      throw new IllegalStateException("reference.conf is missing from the build");
    }
    return ConfigFactory.parseURL(url);
  }

  /** Typesafe's messages start with the origin we already print; keep what follows it. */
  private static String syntaxMessage(com.typesafe.config.ConfigException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e.origin() != null) {
      String prefix = e.origin().description() + ": ";
      if (message.startsWith(prefix)) {
        message = message.substring(prefix.length());
      }
    }
    return Redactor.redact(message);
  }

  private Plan parse(Path file, ConfigNode root, Problems problems) {
    ServerSettings[] server = new ServerSettings[1];
    LogSettings[] log = new LogSettings[1];
    PhaseSettings[] phases = new PhaseSettings[1];
    int[] journal = {500};
    problems.attempt(() -> server[0] = server(root.child("server")));
    problems.attempt(() -> log[0] = log(root.child("log")));
    problems.attempt(() -> phases[0] = phases(root.child("phases")));
    problems.attempt(() -> {
      ConfigNode events = root.child("events");
      journal[0] = events.integer("capacity", 10, 100_000);
      events.finish();
    });
    if (phases[0] == null) {
      root.finish();
      return null;
    }
    List<String> order = phases[0].order();

    ConfigNode defaults = root.child("defaults");
    Set<String> defaultClosed = phaseSet(defaults, "closed-phases", order);
    Set<String> defaultOpen = phaseSet(defaults, "open-phases", order);
    overlap(defaults, defaultClosed, defaultOpen);
    Duration interval = defaults.duration("interval");
    Map<String, Object> kindDefaults = new HashMap<>();
    for (CheckKind<?> kind : checkKinds) {
      problems.attempt(() -> {
        ConfigNode node = defaults.child(kind.name());
        kindDefaults.put(kind.name(), kind.parseDefaults(node));
        node.finish();
      });
    }
    defaults.finish();

    PlanBuilder builder = new PlanBuilder(shared, interval, order, defaultClosed, defaultOpen);
    Map<String, AppDefinition> apps = apps(root);
    declareSources(root, builder);

    List<CheckDefinition> checks = new ArrayList<>(builder.impliedChecks());
    Set<String> checkNames = new HashSet<>();
    checks.forEach(check -> checkNames.add(check.name()));
    for (Map.Entry<String, ConfigNode> entry : root.children("checks").entrySet()) {
      problems.attempt(() -> {
        String name = entry.getKey();
        if (!checkNames.add(name)) {
          throw entry.getValue().failHere("a check named '" + name + "' already exists");
        }
        checks.add(check(name, entry.getValue(), apps, builder, kindDefaults, defaultClosed,
            defaultOpen));
      });
    }
    List<GateDefinition> gates = gates(root, order, checks);
    root.finish();
    if (server[0] == null || log[0] == null) {
      builder.closeAll();
      return null;
    }
    return new Plan(file, server[0], log[0], phases[0], journal[0], apps, builder.sources(),
        checks, gates, builder.migrationDefinitions());
  }

  private static ServerSettings server(ConfigNode node) {
    String listen = node.string("listen");
    int colon = listen.lastIndexOf(':');
    if (colon < 0) {
      throw node.fail("listen", "expected host:port such as 0.0.0.0:8642, got '" + listen + "'");
    }
    String host = listen.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw node.fail("listen", "invalid port in '" + listen + "'");
    }
    if (port < 0 || port > 65535 || host.isEmpty()) {
      throw node.fail("listen", "expected host:port such as 0.0.0.0:8642, got '" + listen + "'");
    }
    Optional<Secret> token = node.secret("admin-token");
    Duration scrapeTimeout = node.duration("default-scrape-timeout");
    Duration offset = node.duration("scrape-timeout-offset");
    if (offset.compareTo(scrapeTimeout) >= 0) {
      throw node.fail("scrape-timeout-offset", "must be shorter than default-scrape-timeout");
    }
    Optional<Path> webConfigFile = node.has("web-config-file")
        ? Optional.of(node.readableFile("web-config-file")) : Optional.empty();
    node.finish();
    return new ServerSettings(host, port, token, scrapeTimeout, offset, webConfigFile);
  }

  private static LogSettings log(ConfigNode node) {
    String format = node.choice("format", List.of("text", "json"));
    String level = node.choice("level", List.of("debug", "info", "warn", "error"));
    node.finish();
    return new LogSettings(format.equals("json"), level);
  }

  private static PhaseSettings phases(ConfigNode node) {
    List<String> order = node.stringList("order");
    if (order.size() < 2) {
      throw node.fail("order", "needs at least two phases, one where checks expect closed and"
          + " one where they expect open");
    }
    Set<String> seen = new HashSet<>();
    for (String phase : order) {
      if (!phase.matches("[a-z0-9][a-z0-9_-]*")) {
        throw node.fail("order", "invalid phase name '" + phase
            + "', use lower-case letters, digits, '-' and '_'");
      }
      if (!seen.add(phase)) {
        throw node.fail("order", "phase '" + phase + "' is listed twice");
      }
    }
    String initial = node.string("initial");
    if (!order.contains(initial)) {
      throw node.fail("initial", "'" + initial + "' is not in phases.order " + order);
    }
    Path stateFile = node.file("state-file");
    node.finish();
    return new PhaseSettings(order, initial, stateFile);
  }

  /** A list of phases that must all be in {@code order}: the error names the missing phase. */
  private static Set<String> phaseSet(ConfigNode node, String key, List<String> order) {
    Set<String> phases = new LinkedHashSet<>(node.stringList(key));
    for (String phase : phases) {
      if (!order.contains(phase)) {
        throw node.fail(key, "names phase '" + phase + "', which phases.order " + order
            + " does not list");
      }
    }
    return phases;
  }

  private static void overlap(ConfigNode node, Set<String> closed, Set<String> open) {
    for (String phase : closed) {
      if (open.contains(phase)) {
        throw node.fail("open-phases", "phase '" + phase + "' cannot be both closed and open");
      }
    }
  }

  private static Map<String, AppDefinition> apps(ConfigNode root) {
    Map<String, AppDefinition> apps = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> entry : root.children("apps").entrySet()) {
      root.problems().attempt(() -> {
        ConfigNode node = entry.getValue();
        apps.put(entry.getKey(), new AppDefinition(entry.getKey(), node.string("title", entry.getKey())));
        node.finish();
      });
    }
    return apps;
  }

  private void declareSources(ConfigNode root, PlanBuilder builder) {
    if (!root.has("sources")) {
      return;
    }
    ConfigNode sources = root.child("sources");
    for (SourceKind kind : sourceKinds) {
      for (Map.Entry<String, ConfigNode> entry : sources.children(kind.name()).entrySet()) {
        root.problems().attempt(() -> {
          kind.declare(entry.getKey(), entry.getValue(), builder);
          entry.getValue().finish();
        });
      }
    }
    sources.finish();
  }

  private CheckDefinition check(String name, ConfigNode node, Map<String, AppDefinition> apps,
      PlanBuilder builder, Map<String, Object> kindDefaults, Set<String> defaultClosed,
      Set<String> defaultOpen) {
    List<CheckKind<?>> present = new ArrayList<>();
    for (CheckKind<?> kind : checkKinds) {
      if (node.has(kind.name())) {
        present.add(kind);
      }
    }
    List<String> kindNames = checkKinds.stream().map(CheckKind::name).toList();
    if (present.isEmpty()) {
      node.finish();
      throw node.failHere("a check needs one block saying what to check: one of "
          + String.join(", ", kindNames));
    }
    if (present.size() > 1) {
      throw node.failHere("a check has exactly one kind, found "
          + String.join(" and ", present.stream().map(CheckKind::name).toList()));
    }
    CheckKind<?> kind = present.get(0);
    String title = node.string("title", name);
    String app = node.string("app", "");
    if (!app.isEmpty() && !apps.containsKey(app)) {
      throw node.fail("app", "unknown app '" + app + "'"
          + (apps.isEmpty() ? ", no app is declared under apps" : ", the apps are "
              + String.join(", ", apps.keySet())));
    }
    String group = node.string("group", kind.defaultGroup()).toLowerCase(Locale.ROOT);
    Set<String> closed = node.has("closed-phases")
        ? phaseSet(node, "closed-phases", builder.phases()) : defaultClosed;
    Set<String> open = node.has("open-phases")
        ? phaseSet(node, "open-phases", builder.phases()) : defaultOpen;
    if (node.has("closed-phases") || node.has("open-phases")) {
      overlap(node, closed, open);
    }
    CheckKind.Binding binding = bind(kind, name, node, builder, kindDefaults.get(kind.name()));
    node.finish();
    return new CheckDefinition(name, title, group, app, kind.name(), binding.sourceId(),
        binding.observationKey(), closed, open);
  }

  @SuppressWarnings("unchecked")
  private static <D> CheckKind.Binding bind(CheckKind<D> kind, String name, ConfigNode node,
      PlanBuilder builder, Object defaults) {
    if (defaults == null) {
      throw node.failHere("defaults." + kind.name() + " is invalid, see above");
    }
    ConfigNode block = node.child(kind.name());
    CheckKind.Binding binding = kind.bind(
        new CheckKind.CheckContext<>(name, node, block, (D) defaults, builder));
    block.finish();
    return binding;
  }

  private static List<GateDefinition> gates(ConfigNode root, List<String> order,
      List<CheckDefinition> checks) {
    Set<String> groups = new HashSet<>();
    Set<String> names = new HashSet<>();
    checks.forEach(check -> {
      groups.add(check.group());
      names.add(check.name());
    });
    List<GateDefinition> gates = new ArrayList<>();
    for (Map.Entry<String, ConfigNode> entry : root.children("gates").entrySet()) {
      root.problems().attempt(() -> {
        ConfigNode node = entry.getValue();
        String phase = node.string("phase");
        if (!order.contains(phase)) {
          throw node.fail("phase", "'" + phase + "' is not in phases.order " + order);
        }
        List<String> gateGroups = node.optStringList("groups").orElse(List.of());
        List<String> gateChecks = node.optStringList("checks").orElse(List.of());
        for (String check : gateChecks) {
          if (!names.contains(check)) {
            throw node.fail("checks", "unknown check '" + check + "'");
          }
        }
        if (gateGroups.isEmpty() && gateChecks.isEmpty()) {
          throw node.failHere("a gate needs groups or checks to look at");
        }
        if (gateChecks.isEmpty() && gateGroups.stream().noneMatch(groups::contains)) {
          throw node.fail("groups", "no check is in group " + String.join(" or ", gateGroups)
              + ", so the gate could never open");
        }
        gates.add(new GateDefinition(entry.getKey(), node.string("title", entry.getKey()), phase,
            new HashSet<>(gateGroups), new HashSet<>(gateChecks)));
        node.finish();
      });
    }
    return gates;
  }
}
