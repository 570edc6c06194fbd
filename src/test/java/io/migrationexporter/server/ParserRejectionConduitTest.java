package io.migrationexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.xnio.conduits.StreamSinkConduit;

/**
 * The conduit on its own, below a socket that takes a few bytes at a time: what a full socket
 * buffer does to a connection, which loopback tests cannot arrange.
 */
class ParserRejectionConduitTest {
  /** A connection's output taking at most {@code perWrite} bytes a call, every other call none. */
  private static final class SlowSocket {
    final ByteArrayOutputStream written = new ByteArrayOutputStream();
    final int perWrite;
    boolean full;
    boolean terminated;
    /** What had been written when the output was ended. */
    int writtenAtTermination = -1;

    SlowSocket(int perWrite) {
      this.perWrite = perWrite;
    }

    StreamSinkConduit conduit() {
      return (StreamSinkConduit) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {StreamSinkConduit.class}, (proxy, method, args) -> switch (
              method.getName()) {
            case "write" -> write((ByteBuffer) args[0]);
            case "terminateWrites" -> {
              terminated = true;
              writtenAtTermination = written.size();
              yield null;
            }
            case "flush" -> true;
            case "isWriteShutdown" -> terminated;
            default -> throw new UnsupportedOperationException(method.getName());
          });
    }

    private int write(ByteBuffer src) {
      full = !full;
      if (full) {
        return 0;
      }
      int count = Math.min(perWrite, src.remaining());
      byte[] bytes = new byte[count];
      src.get(bytes);
      written.writeBytes(bytes);
      return count;
    }

    String text() {
      return written.toString(StandardCharsets.UTF_8);
    }
  }

  /** As Undertow's StringWriteChannelListener and sendBadRequestAndClose write. */
  private static void writeAndClose(StreamSinkConduit conduit, byte[] bytes) throws Exception {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    for (int calls = 0; buffer.hasRemaining(); calls++) {
      assertThat(calls).as("progress").isLessThan(1000);
      conduit.write(buffer);
    }
    conduit.terminateWrites();
    for (int calls = 0; !conduit.flush(); calls++) {
      assertThat(calls).as("progress").isLessThan(1000);
    }
  }

  @Test
  void undertowsRejectionIsReplacedWholeThroughPartialWritesAndTheEndWaitsForIt()
      throws Exception {
    SlowSocket socket = new SlowSocket(7);
    ParserRejectionConduit conduit = new ParserRejectionConduit(socket.conduit());
    writeAndClose(conduit, ParserRejectionConduit.UNDERTOW_REJECTION);

    String answer = socket.text();
    assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n")
        .contains("\r\nConnection: close\r\n").contains(ParserRejectionConduit.MESSAGE);
    String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
    assertThat(answer).contains("\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n");
    assertThat(socket.writtenAtTermination).as("ended after the whole answer")
        .isEqualTo(socket.written.size());
  }

  @Test
  void everythingElsePassesUnchanged() throws Exception {
    byte[] response = ("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n"
        + "\r\nHTTP/1.1 200 OK\r\n").getBytes(StandardCharsets.US_ASCII);
    SlowSocket socket = new SlowSocket(5);
    writeAndClose(new ParserRejectionConduit(socket.conduit()), response);
    assertThat(socket.written.toByteArray()).as("the rejection's bytes within a longer write")
        .isEqualTo(response);
  }
}
