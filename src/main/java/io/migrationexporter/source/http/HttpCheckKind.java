package io.migrationexporter.source.http;

import io.migrationexporter.collect.MetricDef;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.config.CheckKind;
import io.migrationexporter.config.ConfigNode;
import io.migrationexporter.config.ExampleTarget;
import io.migrationexporter.config.KindExample;
import io.migrationexporter.config.Secret;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code http { url = "https://app.example.org/" }}: the target answers 503 when closed and 2xx or
 * 3xx when open, unless configured otherwise.
 */
public final class HttpCheckKind implements CheckKind<HttpCheckKind.Defaults> {
  private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE",
      "OPTIONS", "PATCH");
  /** Header values are sent as they are but never printed; these often carry credentials. */
  private static final Pattern SENSITIVE_HEADER = Pattern.compile(
      "(?i)authorization|proxy-authorization|cookie|.*token.*|.*key.*|.*secret.*|.*password.*");

  /** {@code defaults.http}: every key here can also be set in a check's own block. */
  public record Defaults(String method, StatusSet closedStatus, StatusSet openStatus,
      boolean followRedirects, Duration connectTimeout, Duration timeout, boolean tlsVerify,
      long bodyLimit) {}

  @Override
  public String name() {
    return "http";
  }

  @Override
  public List<MetricDef> families() {
    return List.of(HttpProbeSource.STATUS, HttpProbeSource.DURATION, HttpProbeSource.ERROR);
  }

  @Override
  public String defaultGroup() {
    return "maintenance";
  }

  @Override
  public Defaults parseDefaults(ConfigNode node) {
    return new Defaults(node.choice("method", METHODS), statuses(node, "closed-status"),
        statuses(node, "open-status"), node.bool("follow-redirects"),
        node.duration("connect-timeout"), node.duration("timeout"), node.bool("tls-verify"),
        node.bytes("body-limit"));
  }

  @Override
  public Binding bind(CheckContext<Defaults> check) {
    ConfigNode block = check.block();
    Defaults defaults = check.defaults();
    URI url = block.url("url", true);
    String method = block.has("method") ? block.choice("method", METHODS) : defaults.method();
    Map<String, String> headers = new LinkedHashMap<>();
    Map<String, Secret> secretHeaders = new LinkedHashMap<>();
    block.stringMap("headers").forEach((name, value) -> {
      if (!name.matches("[A-Za-z0-9-]+")) {
        throw block.fail("headers", "invalid header name '" + name + "'");
      }
      if (SENSITIVE_HEADER.matcher(name).matches()) {
        secretHeaders.put(name, Secret.of(value));
      } else {
        headers.put(name, value);
      }
    });
    url = credentialsToHeader(block, url, secretHeaders);
    StatusSet closed = block.has("closed-status") ? statuses(block, "closed-status")
        : defaults.closedStatus();
    StatusSet open = block.has("open-status") ? statuses(block, "open-status") : defaults.openStatus();
    Optional<String> closedBody = block.optRegex("closed-body-regex").map(Pattern::pattern);
    Optional<String> openBody = block.optRegex("open-body-regex").map(Pattern::pattern);
    Duration connectTimeout = block.duration("connect-timeout", defaults.connectTimeout());
    Duration timeout = block.duration("timeout", defaults.timeout());
    boolean tlsVerify = block.bool("tls-verify", defaults.tlsVerify());
    Optional<Path> caFile = block.has("ca-file") ? Optional.of(caFile(block)) : Optional.empty();
    long bodyLimit = block.has("body-limit") ? block.bytes("body-limit") : defaults.bodyLimit();
    boolean followRedirects = block.bool("follow-redirects", defaults.followRedirects());

    String app = check.node().string("app", "");
    HttpProbe probe = new HttpProbe(check.checkName(), app, url, method, headers, secretHeaders,
        closed, open,
        closedBody, openBody, followRedirects, connectTimeout, timeout, tlsVerify, caFile,
        bodyLimit);
    // The collector's own limit only catches a probe that outlives its timeouts.
    var schedule = check.plan().schedule(check.node(), timeout.plus(connectTimeout).plusSeconds(1));
    SourceDefinition source = new SourceDefinition(HttpProbeSource.id(check.checkName()), schedule,
        probe);
    check.plan().addSource(source, block, "url");
    return new Binding(source.id(), HttpProbeSource.OBSERVATION);
  }

  /**
   * {@code https://user:password@host/}: Java's HTTP client ignores user info, so it becomes an
   * {@code Authorization: Basic} secret header, as curl sends it, and leaves the URL, which
   * check-config prints.
   */
  private static URI credentialsToHeader(ConfigNode block, URI url,
      Map<String, Secret> secretHeaders) {
    String userInfo = url.getRawUserInfo();
    if (userInfo == null) {
      return url;
    }
    if (secretHeaders.keySet().stream().anyMatch("authorization"::equalsIgnoreCase)) {
      throw block.fail("url", "carries a user and password, and headers set Authorization too;"
          + " keep one of them");
    }
    String decoded = url.getUserInfo();
    int colon = decoded.indexOf(':');
    if (colon >= 0) {
      // Remembered by the redactor, should anything ever quote the URL as written.
      Secret.of(decoded.substring(colon + 1));
    }
    secretHeaders.put("Authorization", Secret.of("Basic " + Base64.getEncoder()
        .encodeToString(decoded.getBytes(StandardCharsets.UTF_8))));
    String written = url.toString();
    int at = written.indexOf(userInfo + "@");
    return URI.create(written.substring(0, at) + written.substring(at + userInfo.length() + 1));
  }

  private static Path caFile(ConfigNode block) {
    Path file = block.readableFile("ca-file");
    try {
      HttpProbeClients.trustOnly(file);
    } catch (IOException | GeneralSecurityException e) {
      throw block.fail("ca-file", "cannot use " + file + " as CA certificates: " + e.getMessage());
    }
    return file;
  }

  private static StatusSet statuses(ConfigNode node, String key) {
    List<String> entries = node.stringList(key);
    if (entries.isEmpty()) {
      throw node.fail(key, "needs at least one status code or class");
    }
    try {
      return new StatusSet(entries.stream().map(String::toLowerCase).toList());
    } catch (IllegalArgumentException e) {
      throw node.fail(key, e.getMessage());
    }
  }

  @Override
  public KindExample example(ExampleTarget target) {
    return KindExample.probe("""
        checks.example {
          interval = %s
          http {
            url = "%s/example", timeout = %s
            headers { Authorization = "Bearer %s", X-Api-Key = "%s" }
          }
        }
        """.formatted(target.interval(), target.url(), target.timeout(),
        target.secret("http-bearer"), target.secret("http-api-key")));
  }
}
