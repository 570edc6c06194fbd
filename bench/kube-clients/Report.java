import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What each client program prints once its first list is back: the time since the JVM started,
 * the resident memory and the classes loaded. Benchmark code only (bench/kubernetes.sh).
 */
final class Report {
  private Report() {}

  static void firstList(int items) throws Exception {
    long sinceStart = System.currentTimeMillis()
        - ManagementFactory.getRuntimeMXBean().getStartTime();
    long rssKib = Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(line -> line.startsWith("VmRSS:")).mapToLong(line ->
            Long.parseLong(line.replaceAll("[^0-9]", ""))).findFirst().orElse(-1);
    System.out.printf("first-list-ms %d rss-mib %d classes %d items %d%n", sinceStart,
        rssKib / 1024, ManagementFactory.getClassLoadingMXBean().getLoadedClassCount(), items);
  }
}
