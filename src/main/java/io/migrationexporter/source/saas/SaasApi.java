package io.migrationexporter.source.saas;

import io.migrationexporter.collect.Durations;
import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.RefreshContext;
import io.migrationexporter.collect.SourceException;
import io.migrationexporter.source.TransportError;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * One SaaS API as one source calls it: its name in messages, the time one call may take, the
 * largest answer it reads, and its poll interval (the back-off when a 429 says nothing of when to
 * come back). Every failure ends as a {@link SourceException} built from safe words only: OkHttp's
 * own messages can quote URLs, and answer bodies can echo headers, so neither is ever passed on.
 *
 * @param service the API's name as people know it ("Scalingo", "Datadog"), used in messages
 * @param timeout one call, from sending to the last byte of the answer; further bounded by the
 *     refresh's remaining time
 * @param bodyLimit answers larger than this are refused
 * @param interval the source's minimum interval
 */
public record SaasApi(SaasHttp http, String service, Duration timeout, long bodyLimit,
    Duration interval) {

  /**
   * Sends {@code request} and completes with its answer, whatever the HTTP status (bodies are
   * read for 2xx answers only), or exceptionally with a {@link SourceException} when no answer
   * came. A request that could not even connect is sent once more if time allows: it never
   * reached the server, so this is safe for any method and costs no rate-limit budget.
   */
  public CompletableFuture<Answer> send(Request request, RefreshContext context) {
    return attempt(request, context, true);
  }

  private CompletableFuture<Answer> attempt(Request request, RefreshContext context,
      boolean mayRetry) {
    Duration budget = context.remaining();
    if (budget.compareTo(timeout) > 0) {
      budget = timeout;
    }
    if (budget.isZero()) {
      return CompletableFuture.failedFuture(new SourceException(ErrorKind.TIMEOUT,
          "no time left in this refresh to call " + service));
    }
    Duration callTimeout = budget;
    Call call = http.client().newCall(request);
    call.timeout().timeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    // The collector abandons a refresh at its deadline by completing this future: stop the call.
    answer.whenComplete((ignored, error) -> {
      if (error != null) {
        call.cancel();
      }
    });
    call.enqueue(new Callback() {
      @Override
      public void onResponse(Call done, Response response) {
        try (response) {
          answer.complete(read(response, context));
        } catch (SourceException e) {
          answer.completeExceptionally(e);
        } catch (IOException e) {
          answer.completeExceptionally(noAnswer(e, callTimeout));
        } catch (RuntimeException e) {
          answer.completeExceptionally(new SourceException(ErrorKind.INTERNAL,
              "internal error reading the answer of " + service + " ("
                  + e.getClass().getSimpleName() + ")"));
        }
      }

      @Override
      public void onFailure(Call failed, IOException e) {
        if (answer.isDone()) {
          return;
        }
        if (mayRetry && e instanceof ConnectException && !context.remaining().isZero()) {
          attempt(request, context, false).whenComplete((retried, error) -> {
            if (error != null) {
              answer.completeExceptionally(error);
            } else {
              answer.complete(retried);
            }
          });
          return;
        }
        answer.completeExceptionally(noAnswer(e, callTimeout));
      }
    });
    return answer;
  }

  private Answer read(Response response, RefreshContext context)
      throws IOException, SourceException {
    int status = response.code();
    String contentType = response.header("Content-Type", "");
    Instant now = context.clock().instant();
    Answer.RateLimit rateLimit = Answer.RateLimit.of(response.header("Retry-After"),
        response.header("X-RateLimit-Reset"), now);
    if (status < 200 || status > 299) {
      return new Answer(this, status, contentType, new byte[0], now, rateLimit);
    }
    ResponseBody body = response.body();
    BufferedSource source = body.source();
    if (source.request(bodyLimit + 1)) {
      throw new SourceException(ErrorKind.BAD_PAYLOAD, service + " answered with more than "
          + Sizes.format(bodyLimit) + ", the body limit");
    }
    byte[] bytes = source.getBuffer().readByteArray();
    return new Answer(this, status, contentType, bytes, now, rateLimit);
  }

  private SourceException noAnswer(IOException error, Duration callTimeout) {
    if (error instanceof InterruptedIOException) {
      return new SourceException(ErrorKind.TIMEOUT, service + " did not answer within "
          + Durations.format(callTimeout));
    }
    TransportError transport = TransportError.classify(error);
    if (transport.kind().equals(TransportError.TIMEOUT)) {
      return new SourceException(ErrorKind.TIMEOUT, service + " did not answer within "
          + Durations.format(callTimeout));
    }
    return new SourceException(ErrorKind.TRANSPORT, "cannot reach " + service + ": "
        + transport.words());
  }

  /** A failure for a {@code CompletableFuture} stage; the collector unwraps it. */
  public static CompletionException failure(ErrorKind kind, String message) {
    return new CompletionException(new SourceException(kind, message));
  }
}
