import io.migrationexporter.demo.fakes.FakeKubernetes;
import java.util.concurrent.CountDownLatch;

/**
 * The Kubernetes API fake of the tests (demo/fakes/FakeKubernetes, from the full jar) as a process
 * for bench/kubernetes.sh: namespace pix with 20 Deployments scaled to zero, 100 running pods of
 * other apps, 5 suspended CronJobs and a migration Job with its pod, the shapes of the API
 * reference. Prints {@code listening PORT} once bound; the token is the first argument.
 *
 * <pre>
 *   java -cp target/migration-exporter.jar bench/KubeFake.java TOKEN
 * </pre>
 *
 * Benchmark code only: not part of the exporter.
 */
public final class KubeFake {
  public static void main(String[] args) throws Exception {
    FakeKubernetes fake = new FakeKubernetes();
    fake.acceptToken(args[0]);
    for (int i = 1; i <= 20; i++) {
      fake.deployment("pix", "pix-app-" + i, 0, 0, 0);
    }
    for (int i = 1; i <= 100; i++) {
      fake.pod("pix", "pix-worker-" + i, "pix-worker");
    }
    for (int i = 1; i <= 5; i++) {
      fake.cronJob("pix", "pix-cron-" + i, true);
    }
    fake.migrationJob("pix", "pix-bigint");
    fake.start();
    System.out.println("listening " + fake.port());
    System.out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      fake.close();
      stopped.countDown();
    }));
    stopped.await();
  }
}
