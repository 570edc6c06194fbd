package io.migrationexporter.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What sources share (a client, an account's token) is created by the first source opened that
 * needs it, kept across reloads while a source uses it, and closed with the last one.
 */
class SharedResourcesTest {
  private static final SourceSchedule SCHEDULE = new SourceSchedule(Duration.ofSeconds(10),
      Duration.ofSeconds(30), Duration.ofSeconds(5));
  /** Clients created and closed; a record holds no reference to its test. */
  private static final AtomicInteger CREATED = new AtomicInteger();
  private static final AtomicInteger CLOSED = new AtomicInteger();

  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @BeforeEach
  void resetCounts() {
    CREATED.set(0);
    CLOSED.set(0);
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private static final class Client implements AutoCloseable {
    Client() {
      CREATED.incrementAndGet();
    }

    @Override
    public void close() {
      CLOSED.incrementAndGet();
    }
  }

  /** A source that takes the shared client. */
  private record UsesClient(String name) implements SourceSettings {
    @Override
    public Source open(SourceDefinition definition, SharedResources shared) {
      shared.get(Client.class, Client.class, Client::new);
      return context -> CompletableFuture.completedFuture(Reading.builder().build());
    }

    @Override
    public String describe(SourceDefinition definition) {
      return name;
    }
  }

  /** A kind with a bug: its source cannot be created. */
  private record Broken() implements SourceSettings {
    @Override
    public Source open(SourceDefinition definition, SharedResources shared) {
      throw new IllegalStateException("s3cret in a message");
    }

    @Override
    public String describe(SourceDefinition definition) {
      return "broken";
    }
  }

  private static SourceDefinition source(String name) {
    return new SourceDefinition("test:" + name, SCHEDULE, new UsesClient(name));
  }

  @Test
  void aSharedResourceLivesAsLongAsASourceUsesIt() {
    Collector first = Collector.create(List.of(source("a"), source("b")), Clock.systemUTC(), pool);
    assertThat(CREATED).as("one client for both sources").hasValue(1);

    Collector second = Collector.successor(first, List.of(source("b"), source("c")),
        Clock.systemUTC(), pool);
    second.retire(first);
    assertThat(CREATED).as("the new source takes the client in use").hasValue(1);
    assertThat(CLOSED).as("b and c still use it").hasValue(0);

    Collector third = Collector.successor(second, List.of(), Clock.systemUTC(), pool);
    third.retire(second);
    assertThat(CLOSED).as("closed with its last user").hasValue(1);

    Collector fourth = Collector.successor(third, List.of(source("d")), Clock.systemUTC(), pool);
    assertThat(CREATED).as("created again when a source needs it again").hasValue(2);
    fourth.close();
    assertThat(CLOSED).hasValue(2);
  }

  @Test
  void aSourceThatCannotBeCreatedIsUnknownWithAnInternalError() throws Exception {
    Collector collector = Collector.create(List.of(
        new SourceDefinition("test:broken", SCHEDULE, new Broken()), source("fine")),
        Clock.systemUTC(), pool);
    collector.refreshDue().get(5, TimeUnit.SECONDS);

    SourceState broken = collector.states().get("test:broken");
    assertThat(broken.up()).isFalse();
    assertThat(broken.lastErrorKind()).contains(ErrorKind.INTERNAL);
    assertThat(broken.lastError()).contains("internal error: IllegalStateException");
    assertThat(collector.states().get("test:fine").up()).as("the others run").isTrue();
    collector.close();
  }
}
