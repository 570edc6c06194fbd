package io.migrationexporter.collect;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One source as configured: immutable data that holds no resource. The collector creates the
 * source from it when a plan is activated, and keeps the running one across a reload when the
 * new definition is equal.
 *
 * @param id stable identifier, {@code kind:name}, the {@code source} label of the source metrics
 * @param requests what the checks on a shared source ask it to observe, by observation key (the
 *     selections of a Kubernetes cluster, the checks of a Freshping account)
 */
public record SourceDefinition(String id, SourceSchedule schedule, SourceSettings settings,
    SortedMap<String, Object> requests) {

  public SourceDefinition {
    requests = Collections.unmodifiableSortedMap(new TreeMap<>(requests));
  }

  public SourceDefinition(String id, SourceSchedule schedule, SourceSettings settings) {
    this(id, schedule, settings, new TreeMap<>());
  }

  /** The requests of {@code type}, in the order of their keys. */
  public <T> List<T> requests(Class<T> type) {
    return requests.values().stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The same definition with one more request. */
  public SourceDefinition request(String key, Object request) {
    SortedMap<String, Object> more = new TreeMap<>(requests);
    more.put(key, request);
    return new SourceDefinition(id, schedule, settings, more);
  }

  /** One line on what the source reads, for {@code check-config}; never a credential. */
  public String describe() {
    return settings.describe(this);
  }
}
