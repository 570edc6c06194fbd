package io.migrationexporter.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Renderings of the newest boards (an exposition format, a JSON view), each computed once per
 * board: a second caller waits for the first one's result. Kept for the {@value #KEPT} newest
 * boards only, so a request still answering with the board a new one just replaced finds its
 * renderings; older boards are rendered but not kept. Boards are told apart by identity: two
 * boards with equal contents are still two boards.
 */
public final class BoardRenderings {
  static final int KEPT = 2;

  /** One board and its renderings by key. */
  private record Kept(Board board, Map<String, byte[]> renderings) {}

  /** Newest board first. */
  private volatile List<Kept> kept = List.of();

  /** The rendering of {@code board} for {@code key}, computed by {@code render} at most once. */
  public byte[] rendering(Board board, String key, Supplier<byte[]> render) {
    return find(board).or(() -> keep(board))
        .map(renderings -> renderings.computeIfAbsent(key, ignored -> render.get()))
        .orElseGet(render);
  }

  /** The rendering of {@code board} for {@code key} if it is computed already; never waits. */
  public Optional<byte[]> renderingIfDone(Board board, String key) {
    return find(board).map(renderings -> renderings.get(key));
  }

  private Optional<Map<String, byte[]>> find(Board board) {
    for (Kept entry : kept) {
      if (entry.board() == board) {
        return Optional.of(entry.renderings());
      }
    }
    return Optional.empty();
  }

  /**
   * Makes room for {@code board} among the newest, ahead of boards of the same instant (a board
   * not seen yet is likely the newer one); empty when it is older than all those kept.
   */
  private synchronized Optional<Map<String, byte[]>> keep(Board board) {
    Optional<Map<String, byte[]>> found = find(board);
    if (found.isPresent()) {
      return found;
    }
    int position = 0;
    while (position < kept.size() && kept.get(position).board().at().isAfter(board.at())) {
      position++;
    }
    if (position == KEPT) {
      return Optional.empty();
    }
    List<Kept> next = new ArrayList<>(kept);
    Map<String, byte[]> renderings = new ConcurrentHashMap<>();
    next.add(position, new Kept(board, renderings));
    kept = List.copyOf(next.subList(0, Math.min(next.size(), KEPT)));
    return Optional.of(renderings);
  }
}
