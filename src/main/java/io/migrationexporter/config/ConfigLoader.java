package io.migrationexporter.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import io.migrationexporter.check.CheckDefinition;
import io.migrationexporter.check.GateDefinition;
import io.migrationexporter.collect.CoreFamilies;
import io.migrationexporter.collect.MetricFamilies;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a HOCON file over the bundled {@code reference.conf}, validates all of it and builds the
 * {@link Plan}. Every problem is collected, each as one line naming file, line and key.
 */
public final class ConfigLoader {
  /** How values from the bundled defaults are located in messages, and told from the user's. */
  static final String REFERENCE = "reference.conf";
  private static final String REFERENCE_RESOURCE = "/reference.conf";
  private static final List<String> SECTIONS = List.of("server", "log", "phases", "events",
      "defaults", "apps", "sources", "checks", "gates", "expectations");

  private final List<CheckKind<?>> checkKinds;
  private final List<SourceKind> sourceKinds;
  private final MetricFamilies families;

  public ConfigLoader(List<CheckKind<?>> checkKinds, List<SourceKind> sourceKinds) {
    this.checkKinds = List.copyOf(checkKinds);
    this.sourceKinds = List.copyOf(sourceKinds);
    this.families = families(this.checkKinds, this.sourceKinds);
  }

  /** The families the core and this loader's kinds declare: all that /metrics may serve. */
  public MetricFamilies families() {
    return families;
  }

  private static MetricFamilies families(List<CheckKind<?>> checkKinds,
      List<SourceKind> sourceKinds) {
    MetricFamilies.Builder families = MetricFamilies.builder().declare("the core",
        CoreFamilies.ALL);
    sourceKinds.forEach(kind -> families.declare("source kind '" + kind.name() + "'",
        kind.families()));
    checkKinds.forEach(kind -> families.declare("check kind '" + kind.name() + "'",
        kind.families()));
    return families.build();
  }

  public Plan load(Path file) throws ConfigException {
    if (!families.clashes().isEmpty()) {
      // The kinds this build registers disagree: no configuration can fix that, and none is read.
      throw new ConfigException(families.clashes().stream()
          .map(clash -> new ConfigProblem("migration-exporter", -1, null, clash)).toList());
    }
    Path absolute = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(absolute) || !Files.isReadable(absolute)) {
      throw new ConfigException(new ConfigProblem(file.toString(), -1, null,
          "cannot read the configuration file"));
    }
    try {
      if (Files.size(absolute) > ConfigFiles.LARGEST_CONFIG) {
        throw new ConfigException(new ConfigProblem(file.toString(), -1, null,
            "the configuration file is larger than " + ConfigFiles.size(ConfigFiles.LARGEST_CONFIG)));
      }
    } catch (IOException e) {
      throw new ConfigException(new ConfigProblem(file.toString(), -1, null,
          "cannot read the configuration file"));
    }
    Optional<ConfigProblem> notUtf8;
    try {
      notUtf8 = ConfigFiles.notUtf8(absolute);
    } catch (IOException e) {
      throw new ConfigException(new ConfigProblem(file.toString(), -1, null,
          "cannot read the configuration file"));
    }
    if (notUtf8.isPresent()) {
      throw new ConfigException(notUtf8.get());
    }
    try {
      return read(absolute);
    } catch (StackOverflowError e) {
      // Typesafe Config parses, merges and resolves recursively: thousands of { or [ inside each
      // other exhaust the stack. That is a problem of the file, not a crash.
      throw new ConfigException(new ConfigProblem(absolute.toString(), -1, null,
          "nested too deeply: more levels of { } or [ ] inside each other than can be read"));
    }
  }

  private Plan read(Path absolute) throws ConfigException {
    Config merged;
    try {
      Config user = ConfigFactory.parseFile(absolute.toFile(), ConfigParseOptions.defaults()
          .setSyntax(ConfigSyntax.CONF).setAllowMissing(false).setIncluder(new LocalIncluder()));
      merged = user.withFallback(reference()).resolve(ConfigResolveOptions.defaults());
    } catch (LocalIncluder.NotUtf8 e) {
      throw new ConfigException(e.problem());
    } catch (LocalIncluder.Refused e) {
      throw new ConfigException(new ConfigProblem(absolute.toString(),
          includeLine(absolute, e.included()), null, Redactor.redact(e.getMessage())));
    } catch (com.typesafe.config.ConfigException e) {
      // An include that names nothing (include required("")) has an origin without a name.
      String where = Problems.fileOf(e.origin());
      throw new ConfigException(new ConfigProblem(
          where == null || where.isBlank() ? absolute.toString() : where,
          e.origin() == null ? -1 : e.origin().lineNumber(), null, syntaxMessage(e)));
    }
    Problems problems = new Problems();
    ConfigNode root = new ConfigNode(merged.root(), "", problems, absolute.getParent(),
        definitions(absolute));
    Plan plan = parse(absolute, merged, root, problems);
    problems.throwIfAny();
    return plan;
  }

  /**
   * The line of the configuration file that includes {@code included}; -1 when an included file
   * does (the includer is not told where the include stands).
   */
  private static int includeLine(Path file, String included) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains("include") && lines.get(i).contains(included)) {
          return i + 1;
        }
      }
    } catch (IOException e) {
      // The line is a help; the message names the include anyway.
    }
    return -1;
  }

  private static Definitions definitions(Path file) {
    try {
      return Definitions.scan(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Definitions.none();
    }
  }

  /**
   * The defaults, with origins named "reference.conf" whether they come from a jar or a
   * directory, so that messages and {@link ConfigNode#isDefault} do not depend on the packaging.
   */
  private static Config reference() {
    URL url = ConfigLoader.class.getResource(REFERENCE_RESOURCE);
    if (url == null) {
      throw new IllegalStateException("reference.conf is missing from the build");
    }
    return ConfigFactory.parseURL(url, ConfigParseOptions.defaults().setOriginDescription(REFERENCE));
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
    return Redactor.redact(Problems.withoutClassName(message));
  }

  /** What every check falls back to: {@code defaults.*}. */
  private record SharedDefaults(Set<String> closed, Set<String> open, Duration interval,
      Map<String, Object> kinds, Duration migrationSilentAfter) {}

  private Plan parse(Path file, Config merged, ConfigNode root, Problems problems) {
    Optional<ServerSettings> server = problems.attempt(() -> server(root.child("server")));
    Optional<LogSettings> log = problems.attempt(() -> log(root.child("log")));
    Optional<PhaseSettings> phases = problems.attempt(() -> phases(root.child("phases")));
    Optional<Events> events = problems.attempt(() -> events(root.child("events"),
        phases.orElse(null)));
    if (phases.isEmpty()) {
      return abandon(root);
    }
    List<String> order = phases.get().order();
    if (!defaultPhasesListed(merged, root, order)) {
      return abandon(root);
    }
    Optional<SharedDefaults> parsedDefaults = problems.attempt(() ->
        defaults(root.child("defaults"), order, problems));
    if (parsedDefaults.isEmpty()) {
      return abandon(root);
    }
    SharedDefaults defaults = parsedDefaults.get();
    Set<String> defaultClosed = defaults.closed();
    Set<String> defaultOpen = defaults.open();

    PlanBuilder builder = new PlanBuilder(defaults.interval(), order, defaultClosed,
        defaultOpen, defaults.migrationSilentAfter());
    Map<String, AppDefinition> apps = apps(root);
    Expectations expectations = Expectations.read(root);
    builder.expectations(expectations);
    int problemsBeforeSources = problems.size();
    declareSources(root, builder);
    if (problems.size() == problemsBeforeSources) {
      // a source refused: its migrations are missing, so a measure for them is not a mistake
      expectations.reportUnknown(builder.migrationsByName());
      builder.reportUnknownProcesses();
    }

    List<CheckDefinition> checks = new ArrayList<>(builder.impliedChecks());
    Set<String> checkNames = new HashSet<>();
    checks.forEach(check -> checkNames.add(check.name()));
    Map<String, ConfigNode> declared = entries(root, "checks");
    for (Map.Entry<String, ConfigNode> entry : declared.entrySet()) {
      problems.attempt(() -> {
        String name = entry.getKey();
        if (!checkNames.add(name)) {
          throw entry.getValue().failHere("a check named '" + name + "' already exists");
        }
        checks.add(check(name, entry.getValue(), apps, builder, defaults.kinds(),
            defaultClosed, defaultOpen));
      });
    }
    boolean everyCheckParsed = checks.size() == builder.impliedChecks().size() + declared.size();
    List<GateDefinition> gates = gates(root, order, checks, checkNames, everyCheckParsed);
    root.finish();
    if (server.isEmpty() || log.isEmpty() || events.isEmpty()) {
      return null;
    }
    return new Plan(file, server.get(), log.get(), phases.get(), events.get().capacity(), apps,
        builder.sources(), checks, gates, builder.migrationDefinitions(), events.get().journal());
  }

  /** {@code events}: the journal's capacity in memory and its file. */
  private record Events(int capacity, JournalSettings journal) {}

  private static Events events(ConfigNode events, PhaseSettings phases) {
    int capacity = events.integer("capacity", 10, 100_000);
    JournalSettings journal = journalFile(events, phases);
    events.finish();
    return new Events(capacity, journal);
  }

  /** {@code events.journal*}; the file defaults to one beside the phase state file. */
  private static JournalSettings journalFile(ConfigNode events, PhaseSettings phases) {
    long maxBytes = events.bytes("journal-max-bytes");
    int files = events.integer("journal-files", 1, 100);
    Optional<Path> file = events.optFile("journal-file");
    if (events.choice("journal", List.of("on", "off")).equals("off")) {
      return new JournalSettings(Optional.empty(), maxBytes, files);
    }
    if (file.isEmpty() && phases != null) {
      Path state = phases.stateFile();
      file = Optional.of(state.resolveSibling(state.getFileName() + ".journal.jsonl"));
    }
    return new JournalSettings(file, maxBytes, files);
  }

  /**
   * Gives up after a problem the rest depends on (the phases, the defaults): the sections not read
   * are not reported as unknown keys on top of it.
   */
  private static Plan abandon(ConfigNode root) {
    SECTIONS.forEach(root::has);
    root.finish();
    return null;
  }

  private SharedDefaults defaults(ConfigNode defaults, List<String> order, Problems problems) {
    Set<String> closed = CheckKeys.phases(defaults, "closed-phases", order);
    Set<String> open = CheckKeys.phases(defaults, "open-phases", order);
    CheckKeys.disjoint(defaults, closed, open);
    Duration interval = defaults.duration("interval");
    Duration silentAfter = defaults.duration("migration-silent-after");
    if (silentAfter.isZero() || silentAfter.isNegative()) {
      throw defaults.fail("migration-silent-after", "must be longer than zero");
    }
    Map<String, Object> kinds = new HashMap<>();
    for (CheckKind<?> kind : checkKinds) {
      problems.attempt(() -> {
        // A kind without defaults needs no block in reference.conf.
        ConfigNode node = defaults.has(kind.name()) ? defaults.child(kind.name())
            : defaults.absent(kind.name());
        kinds.put(kind.name(), kind.parseDefaults(node));
        node.finish();
      });
    }
    defaults.finish();
    return new SharedDefaults(closed, open, interval, kinds, silentAfter);
  }

  /**
   * The bundled defaults name phases (defaults.closed-phases and open-phases, the phase of the
   * default gate). A phases.order that drops one of them, where the user did not set those keys,
   * is one mistake: it is reported once, on phases.order, not on lines of reference.conf.
   */
  private static boolean defaultPhasesListed(Config merged, ConfigNode root, List<String> order) {
    Map<String, List<String>> users = new LinkedHashMap<>();
    List<String> keys = new ArrayList<>(List.of("defaults.closed-phases", "defaults.open-phases"));
    if (merged.hasPath("gates") && merged.getValue("gates") instanceof ConfigObject gates) {
      gates.keySet().forEach(gate -> keys.add(ConfigUtil.joinPath("gates", gate, "phase")));
    }
    for (String key : keys) {
      for (String phase : defaultPhases(merged, key)) {
        if (!order.contains(phase)) {
          users.computeIfAbsent(phase, p -> new ArrayList<>()).add(key);
        }
      }
    }
    if (users.isEmpty()) {
      return true;
    }
    List<String> names = users.keySet().stream().map(phase -> "'" + phase + "'").toList();
    Set<String> where = new LinkedHashSet<>();
    users.values().forEach(where::addAll);
    root.child("phases").problem("order", "lacks " + (names.size() == 1 ? "phase " : "phases ")
        + String.join(", ", names) + ", which the defaults use in " + String.join(", ", where)
        + ": list " + (names.size() == 1 ? "it" : "them") + ", or set those keys too");
    return false;
  }

  /** The phases a key names when its value is the bundled default; none when the user set it. */
  private static List<String> defaultPhases(Config merged, String key) {
    ConfigValue value;
    try {
      value = merged.hasPath(key) ? merged.getValue(key) : null;
    } catch (com.typesafe.config.ConfigException e) {
      return List.of();
    }
    if (value == null || !REFERENCE.equals(Problems.fileOf(value.origin()))) {
      return List.of();
    }
    Object unwrapped = value.unwrapped();
    if (unwrapped instanceof String phase) {
      return List.of(phase);
    }
    if (unwrapped instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of();
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
    } else if (host.contains(":")) {
      throw node.fail("listen", "expected host:port such as 0.0.0.0:8642 (an IPv6 address in"
          + " brackets, [::]:8642), got '" + listen + "'");
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
    Duration requestBudget = node.duration("request-budget");
    if (requestBudget.isZero() || requestBudget.isNegative()) {
      throw node.fail("request-budget", "must be longer than zero, such as 1s");
    }
    Optional<Path> webConfigFile = node.has("web-config-file")
        ? Optional.of(node.readableFile("web-config-file")) : Optional.empty();
    boolean enableLifecycle = node.bool("enable-lifecycle");
    node.finish();
    return new ServerSettings(host, port, token, scrapeTimeout, offset, requestBudget,
        webConfigFile, enableLifecycle);
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
    Optional<PhaseSettings.Current> current = Optional.empty();
    if (node.has("current")) {
      String phase = node.string("current");
      if (!order.contains(phase)) {
        throw node.fail("current", "'" + phase + "' is not in phases.order " + order);
      }
      current = Optional.of(new PhaseSettings.Current(phase, node.whereSet("current")));
    }
    node.finish();
    return new PhaseSettings(order, initial, stateFile, current);
  }

  private static Map<String, AppDefinition> apps(ConfigNode root) {
    Map<String, AppDefinition> apps = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> entry : entries(root, "apps").entrySet()) {
      root.problems().attempt(() -> {
        ConfigNode node = entry.getValue();
        apps.put(entry.getKey(), new AppDefinition(entry.getKey(), node.string("title", entry.getKey())));
        node.finish();
      });
    }
    return apps;
  }

  /**
   * The named objects under {@code key}; none when {@code key} is not an object, which is then
   * reported like any other problem instead of ending the whole load.
   */
  private static Map<String, ConfigNode> entries(ConfigNode node, String key) {
    return node.problems().attempt(() -> node.children(key)).orElse(Map.of());
  }

  private void declareSources(ConfigNode root, PlanBuilder builder) {
    if (!root.has("sources")) {
      return;
    }
    Optional<ConfigNode> section = root.problems().attempt(() -> root.child("sources"));
    if (section.isEmpty()) {
      return;
    }
    ConfigNode sources = section.get();
    for (SourceKind kind : sourceKinds) {
      for (Map.Entry<String, ConfigNode> entry : entries(sources, kind.name()).entrySet()) {
        int before = root.problems().size();
        root.problems().attempt(() -> {
          kind.declare(entry.getKey(), entry.getValue(), builder);
          entry.getValue().finish();
        });
        if (root.problems().size() > before) {
          builder.declarationFailed(kind.name(), entry.getKey());
        }
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
    CheckKeys keys = CheckKeys.read(node, name, kind.defaultGroup(), defaultClosed, defaultOpen,
        builder.phases());
    String app = node.string("app", "");
    if (!app.isEmpty() && !apps.containsKey(app)) {
      throw node.fail("app", "unknown app '" + app + "'"
          + (apps.isEmpty() ? ", no app is declared under apps" : ", the apps are "
              + String.join(", ", apps.keySet())));
    }
    CheckKind.Binding binding = bind(kind, name, node, builder, kindDefaults.get(kind.name()));
    node.finish();
    return keys.definition(name, app, kind.name(), binding.sourceId(), binding.observationKey());
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

  /**
   * @param names every check declared, those with problems included, so that a gate naming one
   *     of them gets no second problem
   * @param everyCheckParsed false when a check had a problem: its group is then unknown
   */
  private static List<GateDefinition> gates(ConfigNode root, List<String> order,
      List<CheckDefinition> checks, Set<String> names, boolean everyCheckParsed) {
    Set<String> groups = new HashSet<>();
    checks.forEach(check -> groups.add(check.group()));
    List<GateDefinition> gates = new ArrayList<>();
    for (Map.Entry<String, ConfigNode> entry : entries(root, "gates").entrySet()) {
      root.problems().attempt(() -> {
        ConfigNode node = entry.getValue();
        String phase = node.string("phase");
        if (!order.contains(phase)) {
          throw node.fail("phase", "'" + phase + "' is not in phases.order " + order);
        }
        List<String> speaksFor = node.optStringList("phases").orElse(List.of());
        if (node.isDefault("phases")) {
          // A phases.order of one's own keeps the bundled gate: it then speaks for those of
          // its phases the order has, possibly none.
          speaksFor = speaksFor.stream().filter(order::contains).toList();
        }
        for (String spoken : speaksFor) {
          if (!order.contains(spoken)) {
            throw node.fail("phases", "'" + spoken + "' is not in phases.order " + order);
          }
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
        // The default gate may select nothing: it then stays closed and says why.
        if (gateChecks.isEmpty() && everyCheckParsed && !node.isDefault("groups")
            && gateGroups.stream().noneMatch(groups::contains)) {
          throw node.fail("groups", "no check is in group " + String.join(" or ", gateGroups)
              + ", so the gate could never open");
        }
        gates.add(new GateDefinition(entry.getKey(), node.string("title", entry.getKey()), phase,
            speaksFor, new HashSet<>(gateGroups), new HashSet<>(gateChecks)));
        node.finish();
      });
    }
    return gates;
  }
}
