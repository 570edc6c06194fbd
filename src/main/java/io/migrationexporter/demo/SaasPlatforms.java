package io.migrationexporter.demo;

import io.migrationexporter.demo.fakes.FakeDatadog;
import io.migrationexporter.demo.fakes.FakeFreshping;
import io.migrationexporter.demo.fakes.FakeScalingo;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The services the simulated production runs on, faked on 127.0.0.1 with their real APIs: the
 * hosting platform (Scalingo: containers, database backups), the uptime monitor (Freshping) and
 * the log platform (Datadog, where the migration script logs). The story changes their state; the
 * exporter reads it through the same API calls as in production, with credentials from files.
 */
final class SaasPlatforms implements AutoCloseable {
  static final String ACCOUNT = "pix";

  /** An app hosted on Scalingo: its process types and their number of containers when running. */
  record HostedApp(String name, Map<String, Integer> formation, boolean hasDatabase) {}

  private final FakeScalingo scalingo = new FakeScalingo(Clock.systemUTC());
  private final FakeFreshping freshping;
  private final FakeDatadog datadog;
  private final Map<String, HostedApp> apps = new LinkedHashMap<>();
  private final Path scalingoTokenFile;
  private final Path freshpingKeyFile;
  private final Path datadogApiKeyFile;
  private final Path datadogApplicationKeyFile;

  SaasPlatforms(Workspace workspace, List<HostedApp> hosted, List<String> monitoredSites) {
    String scalingoToken = "tk-us-" + Credentials.random();
    String freshpingKey = Credentials.random();
    String datadogApiKey = Credentials.random();
    String datadogApplicationKey = Credentials.random();
    scalingoTokenFile = workspace.secret("scalingo-token", scalingoToken);
    freshpingKeyFile = workspace.secret("freshping-api-key", freshpingKey);
    datadogApiKeyFile = workspace.secret("datadog-api-key", datadogApiKey);
    datadogApplicationKeyFile = workspace.secret("datadog-application-key",
        datadogApplicationKey);
    freshping = new FakeFreshping(freshpingKey, ACCOUNT);
    datadog = new FakeDatadog(datadogApiKey, datadogApplicationKey);
    scalingo.acceptToken(scalingoToken);
    for (HostedApp app : hosted) {
      apps.put(app.name(), app);
      if (app.hasDatabase()) {
        scalingo.app(app.name()).database(app.name() + "-postgresql");
      }
      scaleUp(app.name());
    }
    long id = 100_001;
    for (String site : monitoredSites) {
      freshping.check(id++, site, "AV");
    }
  }

  /** Binds the three fakes, each on a free port of 127.0.0.1. */
  void start() {
    scalingo.start();
    freshping.start();
    datadog.start();
  }

  String scalingoUrl() {
    return scalingo.url();
  }

  String freshpingUrl() {
    return freshping.apiUrl();
  }

  String datadogUrl() {
    return datadog.url();
  }

  Path scalingoTokenFile() {
    return scalingoTokenFile;
  }

  Path freshpingKeyFile() {
    return freshpingKeyFile;
  }

  Path datadogApiKeyFile() {
    return datadogApiKeyFile;
  }

  Path datadogApplicationKeyFile() {
    return datadogApplicationKeyFile;
  }

  /** {@code scalingo scale web:0 ...}: every container of the app stops. */
  void scaleDown(String app) {
    apps.get(app).formation().keySet().forEach(type -> scalingo.app(app).scale(type, 0));
  }

  /** The app's formation runs again. */
  void scaleUp(String app) {
    apps.get(app).formation().forEach((type, amount) -> scalingo.app(app).scale(type, amount));
  }

  /** Periodic backups of every database add-on, on or off. */
  void backups(boolean enabled) {
    apps.values().stream().filter(HostedApp::hasDatabase).forEach(app ->
        scalingo.app(app.name()).database(app.name() + "-postgresql").backups(enabled));
  }

  /** Every uptime check paused, or monitoring again. */
  void monitoring(boolean on) {
    freshping.pauseAll(!on);
  }

  /** {@code scalingo run -d}: a detached one-off container; returns its host name for the logs. */
  String startOneOff(String app) {
    return app + "-" + scalingo.app(app).runOneOff(Instant.now());
  }

  void stopOneOffs(String app) {
    scalingo.app(app).stopOneOffs();
  }

  /** A log line of {@code service}, as the container {@code host} sends it to Datadog. */
  void log(String host, String service, String message) {
    datadog.log(Instant.now(), host, service, message);
  }

  @Override
  public void close() {
    scalingo.close();
    freshping.close();
    datadog.close();
  }

  @Override
  public String toString() {
    return "the fake Scalingo, Freshping and Datadog";
  }
}
