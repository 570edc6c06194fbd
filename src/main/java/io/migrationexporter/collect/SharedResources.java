package io.migrationexporter.collect;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What one source takes, when it is opened, from the resources sources share (an HTTP client, an
 * account's token): each is created by its first user and closed, when it is closeable, once the
 * last source using it is closed.
 */
public final class SharedResources {
  private final Pool pool;

  private SharedResources(Pool pool) {
    this.pool = pool;
  }

  /**
   * The resource shared under {@code key} (a class for one per process, a record of settings for
   * one per account), created with {@code create} when no open source holds it.
   */
  public <T> T get(Object key, Class<T> type, Supplier<T> create) {
    return type.cast(pool.take(this, key, create));
  }

  /** Gives back what this source took: called by the collector when it closes the source. */
  void release() {
    pool.release(this);
  }

  /** The resources of a collector and its successors, with the sources using each. */
  static final class Pool {
    private static final Logger LOG = Logger.getLogger(SharedResources.class.getName());
    private final Map<Object, Object> resources = new HashMap<>();
    private final Map<Object, Set<SharedResources>> users = new HashMap<>();

    SharedResources forOneSource() {
      return new SharedResources(this);
    }

    private synchronized Object take(SharedResources user, Object key, Supplier<?> create) {
      // not computeIfAbsent: creating one resource may take another (an account its client)
      Object resource = resources.get(key);
      if (resource == null) {
        resource = create.get();
        resources.put(key, resource);
      }
      users.computeIfAbsent(key, unused -> new HashSet<>()).add(user);
      return resource;
    }

    private synchronized void release(SharedResources user) {
      users.entrySet().removeIf(entry -> {
        entry.getValue().remove(user);
        if (!entry.getValue().isEmpty()) {
          return false;
        }
        Object resource = resources.remove(entry.getKey());
        if (resource instanceof AutoCloseable closeable) {
          try {
            closeable.close();
          } catch (Exception e) {
            LOG.log(Level.WARNING, "closing a shared " + resource.getClass().getSimpleName()
                + " failed", e);
          }
        }
        return true;
      });
    }
  }
}
