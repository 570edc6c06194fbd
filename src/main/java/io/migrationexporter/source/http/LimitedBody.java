package io.migrationexporter.source.http;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads at most {@code limit} bytes of a body, then stops reading: a target answering with a huge
 * or endless body costs no more than the limit. With a limit of zero nothing is read.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
  private final int limit;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private Flow.Subscription subscription;

  LimitedBody(long limit) {
    this.limit = (int) Math.min(limit, Integer.MAX_VALUE - 8);
  }

  @Override
  public void onSubscribe(Flow.Subscription newSubscription) {
    subscription = newSubscription;
    if (limit == 0) {
      newSubscription.cancel();
      result.complete(new byte[0]);
    } else {
      newSubscription.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    for (ByteBuffer item : items) {
      int take = Math.min(item.remaining(), limit - buffer.size());
      byte[] chunk = new byte[take];
      item.get(chunk);
      buffer.write(chunk, 0, take);
      if (buffer.size() >= limit) {
        subscription.cancel();
        result.complete(buffer.toByteArray());
        return;
      }
    }
    subscription.request(1);
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    result.complete(buffer.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }
}
