import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends every URL read from standard input at once (one HTTP/1.1 request each) and prints, when
 * the last one has answered, one line: {@code seconds answers successes failures}, where a
 * success is an answer with the line {@code probe_success 1} (blackbox_exporter's /probe).
 * The time runs from the first request sent to the last answer, without the JVM's own startup,
 * so that the client is not what is measured (1000 curl processes on 2 CPUs would be).
 *
 * <p>Run with {@code java bench/Probes.java SCRAPE_TIMEOUT_SECONDS < urls}. Benchmark code only.
 */
public final class Probes {
  public static void main(String[] args) throws Exception {
    String scrapeTimeout = args.length > 0 ? args[0] : "10";
    List<String> urls = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).lines()
        .filter(line -> !line.isBlank()).toList();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(30)).build();
    AtomicInteger answers = new AtomicInteger();
    AtomicInteger successes = new AtomicInteger();
    long start = System.nanoTime();
    CompletableFuture<?>[] all = urls.stream()
        .map(url -> HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
            .header("X-Prometheus-Scrape-Timeout-Seconds", scrapeTimeout).build())
        .map(request -> client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
            .thenAccept(response -> {
              answers.incrementAndGet();
              if (response.body().lines().anyMatch("probe_success 1"::equals)) {
                successes.incrementAndGet();
              }
            }))
        .toArray(CompletableFuture[]::new);
    CompletableFuture.allOf(all).exceptionally(e -> null).join();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("%.2f %d %d %d%n", seconds, answers.get(), successes.get(),
        answers.get() - successes.get());
  }
}
