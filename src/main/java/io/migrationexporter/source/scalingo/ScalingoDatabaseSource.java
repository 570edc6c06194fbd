package io.migrationexporter.source.scalingo;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.Observation;
import io.migrationexporter.collect.Reading;
import io.migrationexporter.collect.RefreshContext;
import io.migrationexporter.collect.SharedResources;
import io.migrationexporter.collect.Source;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.collect.SourceSettings;
import io.migrationexporter.config.Redactor;
import io.migrationexporter.source.saas.Answer;
import io.migrationexporter.source.saas.SaasApi;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * The database add-on of one Scalingo app, through the database API: whether periodic backups are
 * enabled (observation {@value #OBSERVATION}: closed when disabled, so that no backup competes with
 * the migration) and the add-on's own figures (connections, CPU, memory) for teams that cannot
 * reach PostgreSQL directly.
 */
final class ScalingoDatabaseSource implements Source {
  static final String OBSERVATION = "backups";

  static final MetricDef BACKUPS_ENABLED = MetricDef.gauge(
      "migration_scalingo_database_backups_enabled",
      "1 when periodic backups are enabled on the app's database add-on.", "account", "app");
  static final MetricDef CONNECTIONS = MetricDef.gauge("migration_scalingo_database_connections",
      "Current connections to the app's database, as the add-on reports them.", "account", "app");
  static final MetricDef CPU = MetricDef.gauge("migration_scalingo_database_cpu_usage_percent",
      "CPU usage of the app's database, in percent, as the add-on reports it.", "account", "app");
  static final MetricDef MEMORY = MetricDef.gauge("migration_scalingo_database_memory_bytes",
      "Memory used by the app's database, as the add-on reports it.", "account", "app");
  static final MetricDef MEMORY_MAX = MetricDef.gauge("migration_scalingo_database_memory_limit_bytes",
      "Memory available to the app's database, as the add-on reports it.", "account", "app");
  static final MetricDef DATA_SIZE = MetricDef.gauge("migration_scalingo_database_data_size_bytes",
      "Size of the app's database data, as the add-on reports it.", "account", "app");

  /**
   * @param addonId the add-on to read; when empty, the app's only add-on of {@code provider}
   */
  record DatabaseSettings(String app, Optional<String> addonId, String provider) {}

  record Definition(ScalingoAccount.Settings account, DatabaseSettings database)
      implements SourceSettings {
    @Override
    public Source open(SourceDefinition definition, SharedResources shared) {
      return new ScalingoDatabaseSource(ScalingoAccount.shared(account, definition, shared),
          database);
    }

    @Override
    public String describe(SourceDefinition definition) {
      return "Scalingo database of app " + database.app() + " (" + database.addonId()
          .map(id -> "add-on " + id).orElse("its " + database.provider() + " add-on")
          + "): backups and metrics from the database API "
          + account.endpoints().databaseApi().orElseThrow() + ", " + account.describe();
    }
  }

  /** A reading that is the verified absence of the database (unknown app, no such add-on). */
  private static final class Absent extends RuntimeException {
    private final String words;

    Absent(String words) {
      super(null, null, false, false);
      this.words = words;
    }
  }

  private final ScalingoAccount account;
  private final DatabaseSettings database;
  private final HttpUrl databaseApi;
  private final BearerCache addonToken = new BearerCache(this::fetchAddonToken);
  private volatile String addonId;

  /** The account's endpoints have a database API: a database source is declared only then. */
  ScalingoDatabaseSource(ScalingoAccount account, DatabaseSettings database) {
    this.account = account;
    this.database = database;
    this.databaseApi = account.settings().endpoints().databaseApi().orElseThrow();
    this.addonId = database.addonId().orElse(null);
  }

  static String id(String account, String app) {
    return "scalingo-database:" + account + "/" + app;
  }

  @Override
  public CompletableFuture<Reading> refresh(RefreshContext context) {
    return addon(context)
        .thenCompose(id -> {
          CompletableFuture<Answer> details = databaseGet(id, "", context);
          CompletableFuture<Answer> metrics = databaseGet(id, "metrics", context);
          return details.thenCombine(metrics, this::reading);
        })
        .exceptionally(error -> {
          Throwable cause = error.getCause() != null ? error.getCause() : error;
          if (cause instanceof Absent absent) {
            return Reading.builder()
                .observation(OBSERVATION, Observation.neither(absent.words))
                .build();
          }
          throw error instanceof RuntimeException runtime ? runtime
              : new java.util.concurrent.CompletionException(error);
        });
  }

  /** The add-on id: configured, or found once among the app's add-ons by provider. */
  private CompletableFuture<String> addon(RefreshContext context) {
    String known = addonId;
    if (known != null) {
      return CompletableFuture.completedFuture(known);
    }
    return account.get(account.appUrl(database.app(), "addons"), context).thenApply(answer -> {
      if (answer.status() == 404) {
        throw new Absent("App " + database.app() + " not found on Scalingo (HTTP 404)");
      }
      List<ScalingoJson.Addon> addons = answer.json(ScalingoJson.AddonsAnswer.class).addons();
      if (addons == null) {
        throw SaasApi.failure(ErrorKind.BAD_PAYLOAD, "Scalingo answered without an add-on list");
      }
      List<String> matching = addons.stream()
          .filter(addon -> addon.id() != null && addon.addonProvider() != null
              && database.provider().equals(addon.addonProvider().id()))
          .map(ScalingoJson.Addon::id)
          .toList();
      if (matching.isEmpty()) {
        throw new Absent("No " + database.provider() + " add-on on app " + database.app());
      }
      if (matching.size() > 1) {
        throw SaasApi.failure(ErrorKind.NOT_FOUND, matching.size() + " " + database.provider()
            + " add-ons on app " + database.app() + ": set database.addon to the one to follow");
      }
      addonId = matching.get(0);
      return addonId;
    });
  }

  private CompletableFuture<String> fetchAddonToken(RefreshContext context) {
    String id = addonId;
    if (id == null) {
      // A concurrent call of this refresh found the discovered add-on gone (404) and forgot it.
      return CompletableFuture.failedFuture(new Absent("The " + database.provider()
          + " add-on of app " + database.app() + " is gone (HTTP 404)"));
    }
    return account.post(account.appUrl(database.app(), "addons", id, "token"), context)
        .thenApply(answer -> {
          if (answer.status() == 404) {
            addonId = database.addonId().orElse(null);
            throw new Absent("Add-on " + id + " not found on app " + database.app() + " (HTTP 404)");
          }
          ScalingoJson.AddonToken token = answer.json(ScalingoJson.AddonTokenAnswer.class).addon();
          if (token == null || !Jwt.sendable(token.token())) {
            throw SaasApi.failure(ErrorKind.BAD_PAYLOAD,
                "Scalingo answered without a usable add-on token");
          }
          Redactor.rememberIssued(token.token());
          return token.token();
        });
  }

  /** GET on the database API with the add-on token; a 401 fetches a new token once. */
  private CompletableFuture<Answer> databaseGet(String id, String what, RefreshContext context) {
    HttpUrl.Builder url = databaseApi.newBuilder().addPathSegment("api").addPathSegment("databases")
        .addPathSegment(id);
    if (!what.isEmpty()) {
      url.addPathSegment(what);
    }
    HttpUrl target = url.build();
    return addonToken.get(context)
        .thenCompose(token -> account.databases().send(request(target, token), context)
            .thenCompose(answer -> {
              if (answer.status() != 401) {
                return CompletableFuture.completedFuture(answer);
              }
              addonToken.invalidate(token);
              return addonToken.get(context)
                  .thenCompose(fresh -> account.databases().send(request(target, fresh), context));
            }));
  }

  private static Request request(HttpUrl url, String token) {
    return new Request.Builder().url(url)
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json")
        .header("User-Agent", ScalingoAccount.USER_AGENT)
        .build();
  }

  private Reading reading(Answer detailsAnswer, Answer metricsAnswer) {
    if (detailsAnswer.status() == 404) {
      addonId = database.addonId().orElse(null);
      return Reading.builder().observation(OBSERVATION, Observation.neither(
          "Database of app " + database.app() + " not found on the database API (HTTP 404)")).build();
    }
    ScalingoJson.Database details = detailsAnswer.json(ScalingoJson.DatabaseAnswer.class).database();
    ScalingoJson.DatabaseMetrics metrics = metricsAnswer.json(ScalingoJson.DatabaseMetrics.class);
    if (details == null || details.periodicBackupsEnabled() == null) {
      throw SaasApi.failure(ErrorKind.BAD_PAYLOAD,
          "Scalingo's database API answered without periodic_backups_enabled");
    }
    String name = account.settings().name();
    String app = database.app();
    boolean enabled = details.periodicBackupsEnabled();
    Reading.Builder reading = Reading.builder()
        .sample(BACKUPS_ENABLED, enabled ? 1 : 0, name, app)
        .observation(OBSERVATION, enabled
            ? Observation.open("Backups enabled")
            : Observation.closed("Backups disabled"));
    if (metrics.cpuUsage() != null) {
      reading.sample(CPU, metrics.cpuUsage(), name, app);
    }
    if (metrics.databaseStats() != null) {
      if (metrics.databaseStats().currentConnections() != null) {
        reading.sample(CONNECTIONS, metrics.databaseStats().currentConnections(), name, app);
      }
      if (metrics.databaseStats().dataSize() != null) {
        reading.sample(DATA_SIZE, metrics.databaseStats().dataSize(), name, app);
      }
    }
    number(metrics.memory(), "memory").ifPresent(bytes -> reading.sample(MEMORY, bytes, name, app));
    number(metrics.memory(), "memory_max").ifPresent(bytes -> reading.sample(MEMORY_MAX, bytes, name, app));
    return reading.build();
  }

  private static Optional<Double> number(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isNumber() ? Optional.of(value.asDouble()) : Optional.empty();
  }
}
