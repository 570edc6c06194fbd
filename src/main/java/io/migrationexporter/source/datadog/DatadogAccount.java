package io.migrationexporter.source.datadog;

import io.migrationexporter.config.ConfigNode;
import io.migrationexporter.config.Secret;
import io.migrationexporter.source.saas.CallSettings;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * A Datadog account: its site and the API and application keys every call carries.
 *
 * @param url the site's API, such as https://api.datadoghq.eu
 */
record DatadogAccount(String name, HttpUrl url, Secret apiKey, Secret applicationKey,
    CallSettings calls) {
  static final Map<String, String> SITES = new TreeMap<>(Map.of(
      "us1", "https://api.datadoghq.com",
      "eu", "https://api.datadoghq.eu",
      "us3", "https://api.us3.datadoghq.com",
      "us5", "https://api.us5.datadoghq.com",
      "ap1", "https://api.ap1.datadoghq.com"));
  private static final MediaType JSON = MediaType.get("application/json");

  static DatadogAccount read(String name, ConfigNode node) {
    HttpUrl url;
    if (node.has("url")) {
      if (node.has("site")) {
        throw node.fail("url", "set either site or url, not both");
      }
      url = HttpUrl.get(node.url("url").toString());
    } else {
      String site = node.string("site", "");
      if (!SITES.containsKey(site)) {
        throw node.fail("site", (site.isEmpty() ? "missing" : "unknown site '" + site + "'")
            + ": expected one of " + String.join(", ", SITES.keySet()) + ", or url = \"https://...\"");
      }
      url = HttpUrl.get(SITES.get(site));
    }
    Secret apiKey = node.secret("api-key").orElseThrow(() -> node.fail("api-key",
        "missing: set api-key = ${?DD_API_KEY} or api-key-file = /path/to/file"));
    Secret applicationKey = node.secret("application-key").orElseThrow(() -> node.fail(
        "application-key", "missing: set application-key = ${?DD_APP_KEY} or application-key-file"));
    return new DatadogAccount(name, url, apiKey, applicationKey, CallSettings.read(node));
  }

  Request.Builder request(HttpUrl target) {
    return new Request.Builder().url(target)
        .header("DD-API-KEY", apiKey.reveal())
        .header("DD-APPLICATION-KEY", applicationKey.reveal())
        .header("Accept", "application/json")
        .header("User-Agent", "migration-exporter");
  }

  Request post(String path, String json) {
    return request(url.newBuilder().addPathSegments(path).build())
        .post(RequestBody.create(json, JSON)).build();
  }

  String describe() {
    return "Datadog account " + name + " at " + url + " (API key " + apiKey.origin()
        + ", application key " + applicationKey.origin() + ", " + calls + ")";
  }
}
