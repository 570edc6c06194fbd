package io.migrationexporter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migrationexporter.source.TransportError;
import io.migrationexporter.web.Pem;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Reads or changes the phase of a running exporter through its API. */
@Command(name = "phase", mixinStandardHelpOptions = true,
    description = "Show or change the phase of a running exporter.",
    subcommands = {PhaseCommand.Get.class, PhaseCommand.Set.class})
final class PhaseCommand {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String TOKEN_VARIABLE = "MIGRATION_EXPORTER_ADMIN_TOKEN";
  static final String PASSWORD_VARIABLE = "MIGRATION_EXPORTER_BASIC_AUTH_PASSWORD";

  /** Options shared by both verbs. */
  static class Target {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8642",
        description = "Base URL of the exporter (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
        converter = WaitConverter.class,
        description = "How long to wait for the exporter, such as 500ms, 10s or 1m"
            + " (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--ca-file", paramLabel = "FILE",
        description = "PEM CA certificates to trust for an https URL, instead of the system's.")
    Path caFile;

    @Option(names = "--user", paramLabel = "USER", description = "Basic auth user, when the"
        + " exporter's web configuration file has basic_auth_users. The password is read from"
        + " --password-file, or from the environment variable " + PASSWORD_VARIABLE + ".")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE",
        description = "File holding the basic auth password.")
    Path passwordFile;

    /** Sends the request and reports the answer; an exporter that cannot be reached is exit 1. */
    int exchange(HttpRequest.Builder request)
        throws IOException, InterruptedException, GeneralSecurityException {
      HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(timeout);
      if (caFile != null) {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, Pem.trustManagers(caFile), null);
        client.sslContext(context);
      }
      if (user != null) {
        String password = passwordFile != null
            ? Files.readString(passwordFile, StandardCharsets.UTF_8).strip()
            : System.getenv(PASSWORD_VARIABLE);
        if (password == null) {
          throw new IllegalArgumentException("no basic auth password: use --password-file FILE"
              + " or set " + PASSWORD_VARIABLE);
        }
        request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
      }
      HttpResponse<String> response;
      try {
        response = client.build().send(request.timeout(timeout).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        spec.commandLine().getErr().println("migration-exporter: cannot reach the exporter at "
            + url + ": " + TransportError.classify(e).words());
        return 1;
      }
      return report(response);
    }

    URI endpoint() {
      String base = url.toString().replaceAll("/+$", "");
      return URI.create(base + "/api/phase");
    }

    int report(HttpResponse<String> response) throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      JsonNode body;
      try {
        body = JSON.readTree(response.body());
      } catch (IOException e) {
        err.println("migration-exporter: unexpected answer (HTTP " + response.statusCode() + ")");
        return 1;
      }
      if (response.statusCode() != 200) {
        err.println("migration-exporter: HTTP " + response.statusCode() + ": "
            + body.path("error").asText("no explanation"));
        return 1;
      }
      out.println("phase " + body.path("current").asText() + " since "
          + body.path("entered_at").asText() + " (phases: "
          + String.join(" > ", JSON.convertValue(body.path("order"), String[].class)) + ")"
          + (body.path("source").asText().equals("configuration")
              ? ", set by the configuration (phases.current in "
                  + body.path("source_file").asText() + ")"
              : ""));
      return 0;
    }
  }

  /** {@code 500ms}, {@code 10s}, {@code 2m}. */
  static final class WaitConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(ms|s|m)");

    @Override
    public Duration convert(String value) {
      Matcher matcher = FORMAT.matcher(value.trim());
      if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
        throw new CommandLine.TypeConversionException("'" + value
            + "' is not a duration such as 500ms, 10s or 1m");
      }
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        default -> Duration.ofMinutes(amount);
      };
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Print the current phase.")
  static final class Get extends Target implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      return exchange(HttpRequest.newBuilder(endpoint()).GET());
    }
  }

  @Command(name = "set", mixinStandardHelpOptions = true,
      description = {"Enter a phase.",
          "The admin token is read from --token-file, or from the environment variable "
              + TOKEN_VARIABLE + ". It is sent as Authorization: Bearer, or as X-Admin-Token when"
              + " --user sends basic auth in Authorization."})
  static final class Set extends Target implements Callable<Integer> {
    @Parameters(paramLabel = "PHASE", description = "The phase to enter, e.g. maintenance.")
    String phase;

    @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the admin token.")
    Path tokenFile;

    @Override
    public Integer call() throws Exception {
      String token;
      if (tokenFile != null) {
        try {
          token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
          spec.commandLine().getErr().println("migration-exporter: cannot read the token file "
              + tokenFile + " (" + e.getClass().getSimpleName() + ")");
          return 2;
        }
      } else {
        token = System.getenv(TOKEN_VARIABLE);
      }
      if (token == null || token.isEmpty()) {
        spec.commandLine().getErr().println("migration-exporter: no admin token: use --token-file"
            + " FILE or set " + TOKEN_VARIABLE);
        return 2;
      }
      String body = JSON.createObjectNode().put("phase", phase).put("actor", "cli").toString();
      HttpRequest.Builder request = HttpRequest.newBuilder(endpoint());
      if (user != null) {
        request.header("X-Admin-Token", token);
      } else {
        request.header("Authorization", "Bearer " + token);
      }
      return exchange(request
          .header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }
  }
}
