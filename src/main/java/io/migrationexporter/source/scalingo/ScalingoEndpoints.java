package io.migrationexporter.source.scalingo;

import io.migrationexporter.config.ConfigNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * Where an account's APIs live: the authentication service, the region's API and its database API.
 * A region is named ({@code osc-fr1}, {@code osc-secnum-fr1}) or its URLs are given.
 */
record ScalingoEndpoints(String region, HttpUrl auth, HttpUrl api, Optional<HttpUrl> databaseApi) {
  static final String DEFAULT_AUTH = "https://auth.scalingo.com";
  static final Map<String, String> REGIONS = Map.of(
      "osc-fr1", "osc-fr1.scalingo.com",
      "osc-secnum-fr1", "osc-secnum-fr1.scalingo.com");

  static ScalingoEndpoints read(ConfigNode node) {
    HttpUrl auth = HttpUrl.get(node.has("auth-url") ? node.url("auth-url").toString() : DEFAULT_AUTH);
    if (node.has("api-url")) {
      if (node.has("region")) {
        throw node.fail("api-url", "set either region or api-url, not both");
      }
      HttpUrl api = HttpUrl.get(node.url("api-url").toString());
      Optional<HttpUrl> databases = node.has("db-api-url")
          ? Optional.of(HttpUrl.get(node.url("db-api-url").toString())) : Optional.empty();
      return new ScalingoEndpoints("custom", auth, api, databases);
    }
    if (!node.has("region")) {
      throw node.fail("region", "missing: set region = " + String.join(" or ", regionNames())
          + ", or api-url (and db-api-url) for another region");
    }
    String region = node.string("region");
    String host = REGIONS.get(region);
    if (host == null) {
      throw node.fail("region", "unknown region '" + region + "', expected "
          + String.join(" or ", regionNames()) + "; for another region set api-url and db-api-url");
    }
    if (node.has("db-api-url")) {
      throw node.fail("db-api-url", "set with api-url only; region " + region + " implies it");
    }
    return new ScalingoEndpoints(region, auth, HttpUrl.get("https://api." + host),
        Optional.of(HttpUrl.get("https://db-api." + host)));
  }

  private static List<String> regionNames() {
    return REGIONS.keySet().stream().sorted().toList();
  }

  @Override
  public String toString() {
    return (region.equals("custom") ? "" : "region " + region + ", ") + "API " + api
        + databaseApi.map(url -> ", database API " + url).orElse("") + ", auth " + auth;
  }
}
