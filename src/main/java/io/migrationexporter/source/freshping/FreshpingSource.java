package io.migrationexporter.source.freshping;

import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.Observation;
import io.migrationexporter.collect.Reading;
import io.migrationexporter.collect.RefreshContext;
import io.migrationexporter.collect.SharedResources;
import io.migrationexporter.collect.Source;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.collect.SourceSettings;
import io.migrationexporter.config.Secret;
import io.migrationexporter.source.saas.CallSettings;
import io.migrationexporter.source.saas.SaasApi;
import io.migrationexporter.source.saas.SaasHttp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * All the checks of one Freshping account, listed with one {@code GET /checks/} per refresh
 * (Freshping allows 100 to 300 calls an hour), however many checks the configuration selects.
 * Each selection (a check by name or id, or all of them) is an observation: closed when paused,
 * open when monitoring.
 */
final class FreshpingSource implements Source {
  static final String PAUSED = "PS";
  /** Status codes meaning the check is monitoring, with what they say of the target. */
  static final Map<String, String> MONITORING = Map.of(
      "AV", "available",
      "NR", "not responding",
      "RE", "reporting error",
      "DME", "DNS match failure",
      "SME", "string match failure",
      "SCE", "status code failure");
  /** Freshping pages its list; more pages than this means something loops. */
  private static final int MAX_PAGES = 20;

  static final MetricDef CHECKS = MetricDef.gauge("migration_freshping_checks",
      "Checks in the Freshping account.", "account");
  static final MetricDef CHECK_PAUSED = MetricDef.gauge("migration_freshping_check_paused",
      "1 when the Freshping check is paused (status PS), 0 when it is monitoring.",
      "account", "check", "id");
  static final MetricDef CHECK_STATUS = MetricDef.gauge("migration_freshping_check_status",
      "1 for the current status code of the Freshping check (PS, AV, NR, RE, DME, SME, SCE).",
      "account", "check", "id", "status");

  /** The checks on the account select what its source reads: {@link Selector} requests. */
  record Settings(String account, Secret apiKey, String subdomain, HttpUrl url,
      CallSettings calls) implements SourceSettings {
    @Override
    public Source open(SourceDefinition definition, SharedResources shared) {
      return new FreshpingSource(this, definition.requests(Selector.class), calls.api(
          SaasHttp.shared(shared), "Freshping", definition.schedule().minInterval()));
    }

    @Override
    public String describe(SourceDefinition definition) {
      List<Selector> selectors = definition.requests(Selector.class);
      return "Freshping account " + subdomain + ": GET " + url + "checks/ once per refresh, API key "
          + apiKey.origin() + ", " + calls + ", selects "
          + (selectors.isEmpty() ? "nothing" : selectors.stream().map(Selector::key).toList());
    }
  }

  /** What a check selects: one check by id or by name, or every check of the account. */
  record Selector(String by, String value) {
    static final Selector ALL = new Selector("all", "");

    /** The observation key of the check's result. */
    String key() {
      return by.equals("all") ? "all" : "check-" + by + ":" + value;
    }
  }

  private final Settings settings;
  private final List<Selector> selectors;
  private final SaasApi api;

  FreshpingSource(Settings settings, List<Selector> selectors, SaasApi api) {
    this.settings = settings;
    this.selectors = List.copyOf(selectors);
    this.api = api;
  }

  static String id(String account) {
    return "freshping:" + account;
  }

  @Override
  public CompletableFuture<Reading> refresh(RefreshContext context) {
    HttpUrl first = settings.url().newBuilder().addPathSegment("checks").addPathSegment("").build();
    return page(first, new ArrayList<>(), 1, context).thenApply(this::reading);
  }

  private CompletableFuture<List<FreshpingJson.Check>> page(HttpUrl url,
      List<FreshpingJson.Check> collected, int number, RefreshContext context) {
    Request request = new Request.Builder().url(url)
        .header("Authorization", Credentials.basic(settings.apiKey().reveal(), settings.subdomain()))
        .header("Accept", "application/json")
        .header("User-Agent", "migration-exporter")
        .build();
    return api.send(request, context).thenCompose(answer -> {
      FreshpingJson.Page page = answer.json(FreshpingJson.Page.class);
      if (page.results() == null) {
        throw SaasApi.failure(ErrorKind.BAD_PAYLOAD, "Freshping answered without a results list");
      }
      collected.addAll(page.results());
      HttpUrl next = page.next() == null ? null : HttpUrl.parse(page.next());
      if (next == null) {
        return CompletableFuture.completedFuture(collected);
      }
      if (!next.host().equals(url.host()) || next.port() != url.port()
          || !next.scheme().equals(url.scheme())) {
        throw SaasApi.failure(ErrorKind.BAD_PAYLOAD,
            "Freshping's next page is on another host; not following it with the API key");
      }
      if (number >= MAX_PAGES) {
        throw SaasApi.failure(ErrorKind.BAD_PAYLOAD, "Freshping listed more than " + MAX_PAGES
            + " pages of checks");
      }
      return page(next, collected, number + 1, context);
    });
  }

  private Reading reading(List<FreshpingJson.Check> checks) {
    String account = settings.account();
    Reading.Builder reading = Reading.builder().sample(CHECKS, checks.size(), account);
    Map<String, List<FreshpingJson.Check>> byName = new TreeMap<>();
    Map<String, FreshpingJson.Check> byId = new TreeMap<>();
    for (FreshpingJson.Check check : checks) {
      if (check.id() == null || check.status() == null) {
        throw SaasApi.failure(ErrorKind.BAD_PAYLOAD, "Freshping listed a check without id or status");
      }
      String id = String.valueOf(check.id());
      String name = check.name() == null ? id : check.name();
      byId.put(id, check);
      byName.computeIfAbsent(name, n -> new ArrayList<>()).add(check);
      reading.sample(CHECK_PAUSED, PAUSED.equals(check.status()) ? 1 : 0, account, name, id);
      reading.sample(CHECK_STATUS, 1, account, name, id, check.status());
    }
    for (Selector selector : selectors) {
      Observation observation = switch (selector.by()) {
        case "all" -> all(checks);
        case "id" -> byId.containsKey(selector.value()) ? one(byId.get(selector.value()))
            : Observation.neither("No check with id " + selector.value() + " in Freshping account "
                + settings.subdomain());
        default -> {
          List<FreshpingJson.Check> named = byName.getOrDefault(selector.value(), List.of());
          if (named.size() == 1) {
            yield one(named.get(0));
          }
          yield Observation.neither(named.isEmpty()
              ? "No check named '" + selector.value() + "' in Freshping account " + settings.subdomain()
              : named.size() + " checks are named '" + selector.value() + "': select one by check-id");
        }
      };
      reading.observation(selector.key(), observation);
    }
    return reading.build();
  }

  private static Observation one(FreshpingJson.Check check) {
    if (PAUSED.equals(check.status())) {
      return Observation.closed("Paused");
    }
    String words = MONITORING.get(check.status());
    return words == null
        ? Observation.neither("Unknown Freshping status '" + check.status() + "'")
        : Observation.open("Monitoring (" + words + ")");
  }

  private static Observation all(List<FreshpingJson.Check> checks) {
    if (checks.isEmpty()) {
      return Observation.neither("No check in the Freshping account");
    }
    List<String> monitoring = new ArrayList<>();
    int paused = 0;
    for (FreshpingJson.Check check : checks) {
      if (PAUSED.equals(check.status())) {
        paused++;
      } else {
        monitoring.add(check.name() == null ? String.valueOf(check.id()) : check.name());
      }
    }
    return allWords(checks, monitoring, paused).counting(monitoring.size(), "checks monitoring");
  }

  private static Observation allWords(List<FreshpingJson.Check> checks, List<String> monitoring,
      int paused) {
    if (monitoring.isEmpty()) {
      return Observation.closed("All " + checks.size() + " checks paused");
    }
    if (paused == 0) {
      return Observation.open("All " + checks.size() + " checks monitoring");
    }
    List<String> shown = monitoring.size() > 5 ? monitoring.subList(0, 5) : monitoring;
    return Observation.neither(paused + " of " + checks.size() + " checks paused; still monitoring: "
        + String.join(", ", shown) + (monitoring.size() > shown.size() ? ", ..." : ""));
  }
}
