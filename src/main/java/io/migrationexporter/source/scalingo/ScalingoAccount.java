package io.migrationexporter.source.scalingo;

import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.RefreshContext;
import io.migrationexporter.collect.SharedResources;
import io.migrationexporter.collect.SourceDefinition;
import io.migrationexporter.config.Redactor;
import io.migrationexporter.config.Secret;
import io.migrationexporter.source.saas.Answer;
import io.migrationexporter.source.saas.CallSettings;
import io.migrationexporter.source.saas.SaasApi;
import io.migrationexporter.source.saas.SaasHttp;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * One Scalingo account as its sources use it: the API token, exchanged for a JWT that all the
 * account's sources share and reuse until 5 minutes before it expires.
 */
final class ScalingoAccount {
  static final String USER_AGENT = "migration-exporter";

  /** What the account was declared with; part of every one of its sources' definitions. */
  record Settings(String name, Secret token, ScalingoEndpoints endpoints, CallSettings calls) {
    String describe() {
      return "account " + name + " (" + endpoints + ", token " + token.origin() + ", " + calls
          + ")";
    }
  }

  /** The sources of one account polled at one interval share its JWT. */
  private record Key(Settings settings, Duration interval) {}

  /** The account {@code settings} declare, shared by the sources opened with them. */
  static ScalingoAccount shared(Settings settings, SourceDefinition source,
      SharedResources shared) {
    SaasHttp http = SaasHttp.shared(shared);
    Duration interval = source.schedule().minInterval();
    return shared.get(new Key(settings, interval), ScalingoAccount.class,
        () -> new ScalingoAccount(settings, http, interval));
  }

  private final Settings settings;
  private final SaasApi api;
  private final SaasApi auth;
  private final SaasApi databases;
  private final BearerCache jwt = new BearerCache(this::exchange);

  ScalingoAccount(Settings settings, SaasHttp http, Duration interval) {
    this.settings = settings;
    this.api = settings.calls().api(http, "Scalingo", interval);
    this.auth = settings.calls().api(http, "Scalingo authentication", interval);
    this.databases = settings.calls().api(http, "Scalingo database API", interval);
  }

  Settings settings() {
    return settings;
  }

  SaasApi databases() {
    return databases;
  }

  /** POST /v1/tokens/exchange with the API token as Basic password and an empty user name. */
  private CompletableFuture<String> exchange(RefreshContext context) {
    Request request = new Request.Builder()
        .url(settings.endpoints().auth().newBuilder().addPathSegments("v1/tokens/exchange").build())
        .header("Authorization", Credentials.basic("", settings.token().reveal()))
        .header("Accept", "application/json")
        .header("User-Agent", USER_AGENT)
        .post(RequestBody.create(new byte[0], null))
        .build();
    return auth.send(request, context).thenApply(answer -> {
      if (answer.status() == 401 || answer.status() == 403) {
        throw SaasApi.failure(ErrorKind.AUTH, "Scalingo refused the API token of account "
            + settings.name() + " at the token exchange (HTTP " + answer.status() + ")");
      }
      String token = answer.json(ScalingoJson.TokenAnswer.class).token();
      if (!Jwt.sendable(token)) {
        throw SaasApi.failure(ErrorKind.BAD_PAYLOAD,
            "Scalingo's token exchange answered without a usable token");
      }
      Redactor.rememberIssued(token);
      return token;
    });
  }

  /** GET {@code url} on the region's API with the account's JWT. */
  CompletableFuture<Answer> get(HttpUrl url, RefreshContext context) {
    return authorized(bearer -> new Request.Builder().url(url)
        .header("Authorization", "Bearer " + bearer)
        .header("Accept", "application/json")
        .header("User-Agent", USER_AGENT)
        .build(), context);
  }

  /** POST {@code url} (no body) on the region's API with the account's JWT. */
  CompletableFuture<Answer> post(HttpUrl url, RefreshContext context) {
    return authorized(bearer -> new Request.Builder().url(url)
        .header("Authorization", "Bearer " + bearer)
        .header("Accept", "application/json")
        .header("User-Agent", USER_AGENT)
        .post(RequestBody.create(new byte[0], null))
        .build(), context);
  }

  /**
   * Sends a request with the current JWT; on 401 (the JWT expired or was revoked early) exchanges
   * the API token once more and sends it again, then gives up with a clear error.
   */
  private CompletableFuture<Answer> authorized(Function<String, Request> request,
      RefreshContext context) {
    return jwt.get(context)
        .thenCompose(bearer -> api.send(request.apply(bearer), context)
            .thenCompose(answer -> {
              if (answer.status() != 401) {
                return CompletableFuture.completedFuture(answer);
              }
              jwt.invalidate(bearer);
              return jwt.get(context)
                  .thenCompose(fresh -> api.send(request.apply(fresh), context))
                  .thenApply(second -> {
                    if (second.status() == 401) {
                      throw SaasApi.failure(ErrorKind.AUTH, "Scalingo refused a freshly exchanged"
                          + " token of account " + settings.name() + " (HTTP 401)");
                    }
                    return second;
                  });
            }));
  }

  HttpUrl appUrl(String app, String... segments) {
    HttpUrl.Builder url = settings.endpoints().api().newBuilder()
        .addPathSegment("v1").addPathSegment("apps").addPathSegment(app);
    for (String segment : segments) {
      url.addPathSegment(segment);
    }
    return url.build();
  }
}
