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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    /**
     * Sends the request and reports the answer; an exporter that cannot be reached is exit 1.
     *
     * @param requested the phase asked for, or null for a read
     * @param sent the credentials the request carries, which nothing printed may contain
     */
    int exchange(HttpRequest.Builder request, String requested, List<String> sent)
        throws IOException, InterruptedException, GeneralSecurityException {
      HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(timeout);
      if (caFile != null) {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, Pem.trustManagers(caFile), null);
        client.sslContext(context);
      }
      List<String> credentials = new ArrayList<>(sent);
      if (user != null) {
        String password = passwordFile != null
            ? Files.readString(passwordFile, StandardCharsets.UTF_8).strip()
            : System.getenv(PASSWORD_VARIABLE);
        if (password == null) {
          throw new IllegalArgumentException("no basic auth password: use --password-file FILE"
              + " or set " + PASSWORD_VARIABLE);
        }
        String basic = Base64.getEncoder().encodeToString(
            (user + ":" + password).getBytes(StandardCharsets.UTF_8));
        credentials.add(password);
        credentials.add(basic);
        request.header("Authorization", "Basic " + basic);
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
      return report(response, requested, credentials);
    }

    URI endpoint() {
      String base = url.toString().replaceAll("/+$", "");
      return URI.create(base + "/api/phase");
    }

    /**
     * Prints the phase, or why not, in this command's own words: what the server sends back is
     * never printed as is (a proxy or a wrong URL may echo the request, credentials included).
     * Only phase names of the expected shape and a timestamp are taken from the answer, and not
     * when they contain a credential sent.
     */
    int report(HttpResponse<String> response, String requested, List<String> credentials) {
      PrintWriter err = spec.commandLine().getErr();
      int status = response.statusCode();
      if (status != 200) {
        err.println("migration-exporter: HTTP " + status + ": " + refusal(status, requested));
        return 1;
      }
      Optional<String> line = phaseLine(response.body(), requested)
          .filter(text -> credentials.stream().noneMatch(text::contains));
      if (line.isEmpty()) {
        err.println("migration-exporter: unexpected answer (HTTP 200): not a phase; is --url the"
            + " exporter's address?");
        return 1;
      }
      spec.commandLine().getOut().println(line.get());
      return 0;
    }
  }

  private static final Pattern PHASE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern FILE_NAME = Pattern.compile("[^\\p{Cntrl}]{1,1024}");

  private static String sourceFile(JsonNode answer) {
    String file = answer.path("source_file").asText("");
    return FILE_NAME.matcher(file).matches() ? file : "its file";
  }

  /** What a refusal means, by status; the server's own message is not printed. */
  static String refusal(int status, String requested) {
    return switch (status) {
      case 400 -> requested == null ? "the exporter refused the request"
          : "the exporter has no phase named " + requested + " (phase get lists its phases)";
      case 401 -> "the exporter asks for credentials: --user for basic auth, and the admin token";
      case 403 -> "refused: the admin token is wrong, or the exporter has no server.admin-token"
          + " (phase changes over HTTP switched off)";
      case 404 -> "no phase endpoint at this URL; is it the exporter's address?";
      case 409 -> "the exporter's configuration sets the phase (phases.current): change it there"
          + " and reload";
      case 429 -> "too many failed attempts from this address; retry in a minute";
      default -> status >= 500 ? "the exporter failed; its log says why"
          : "the exporter refused the request";
    };
  }

  /** The line for a phase answer, empty when the answer is not one (or not for {@code requested}). */
  static Optional<String> phaseLine(String body, String requested) {
    JsonNode answer;
    try {
      answer = JSON.readTree(body);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (answer == null || !answer.path("order").isArray()) {
      return Optional.empty();
    }
    String current = answer.path("current").asText("");
    List<String> order = new ArrayList<>();
    answer.path("order").forEach(phase -> order.add(phase.asText("")));
    Instant entered;
    try {
      entered = Instant.parse(answer.path("entered_at").asText(""));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
    boolean shaped = PHASE_NAME.matcher(current).matches() && order.contains(current)
        && order.stream().allMatch(phase -> PHASE_NAME.matcher(phase).matches());
    if (!shaped || (requested != null && !requested.equals(current))) {
      return Optional.empty();
    }
    return Optional.of("phase " + current + " since " + entered + " (phases: "
        + String.join(" > ", order) + ")"
        + (answer.path("source").asText("").equals("configuration")
            ? ", set by the configuration (phases.current in " + sourceFile(answer) + ")" : ""));
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
      return exchange(HttpRequest.newBuilder(endpoint()).GET(), null, List.of());
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
          .PUT(HttpRequest.BodyPublishers.ofString(body)), phase, List.of(token));
    }
  }
}
