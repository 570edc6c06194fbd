package io.migrationexporter.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSinkConduit;

/**
 * A connection's output, which passes everything through except the one answer Undertow's HTTP
 * parser writes, before any handler runs, to a request it cannot read (a malformed request line
 * or header, a header block over the limit, an invalid character or {@code %} escape, an unknown
 * protocol, a declared body over the limit): a fixed 400 with an empty body that no option
 * changes. That answer, recognised by its exact bytes written at once, becomes a 400 with a JSON
 * message; the parser closes the connection after it, as before.
 */
final class ParserRejectionConduit extends AbstractStreamSinkConduit<StreamSinkConduit> {
  /** HttpReadListener.BAD_REQUEST in Undertow 2.3, written by sendBadRequestAndClose. */
  static final byte[] UNDERTOW_REJECTION = ("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
      + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  /** Says what may be wrong, never what was sent: the request is not repeated. */
  static final String MESSAGE = "the request could not be read as HTTP: a malformed request"
      + " line or header, a header block over 64 KiB, an invalid character or % escape, an"
      + " unknown protocol, or a declared body over 1 MiB; nothing of it is repeated here";
  private static final byte[] ANSWER = answer();

  /** What is left to write of the answer, or null when no rejection is being written. */
  private ByteBuffer answerLeft;
  /** The parser asked to end the output while part of the answer was still to be written. */
  private boolean terminateAfterAnswer;

  ParserRejectionConduit(StreamSinkConduit next) {
    super(next);
  }

  private static byte[] answer() {
    byte[] body = Responses.errorJson(MESSAGE).getBytes(StandardCharsets.UTF_8);
    byte[] head = ("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
        + "Cache-Control: no-store\r\nContent-Length: " + body.length
        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    ByteBuffer answer = ByteBuffer.allocate(head.length + body.length).put(head).put(body);
    return answer.array();
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    if (!answerWritten()) {
      return 0;
    }
    if (src.remaining() == UNDERTOW_REJECTION.length
        && src.equals(ByteBuffer.wrap(UNDERTOW_REJECTION))) {
      // taken whole, so that the parser is done writing; our answer goes out in its place
      src.position(src.limit());
      answerLeft = ByteBuffer.wrap(ANSWER);
      answerWritten();
      return UNDERTOW_REJECTION.length;
    }
    return next.write(src);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    return answerWritten() ? next.write(srcs, offset, length) : 0;
  }

  @Override
  public int writeFinal(ByteBuffer src) throws IOException {
    return Conduits.writeFinalBasic(this, src);
  }

  @Override
  public long writeFinal(ByteBuffer[] srcs, int offset, int length) throws IOException {
    return Conduits.writeFinalBasic(this, srcs, offset, length);
  }

  @Override
  public long transferFrom(FileChannel src, long position, long count) throws IOException {
    return answerWritten() ? next.transferFrom(src, position, count) : 0;
  }

  @Override
  public long transferFrom(StreamSourceChannel source, long count, ByteBuffer throughBuffer)
      throws IOException {
    // through write(), which finishes the answer first
    return Conduits.transfer(source, count, throughBuffer, this);
  }

  @Override
  public void terminateWrites() throws IOException {
    if (answerWritten()) {
      next.terminateWrites();
    } else {
      terminateAfterAnswer = true;
    }
  }

  @Override
  public boolean isWriteShutdown() {
    return terminateAfterAnswer || next.isWriteShutdown();
  }

  @Override
  public boolean flush() throws IOException {
    if (!answerWritten()) {
      return false;
    }
    if (terminateAfterAnswer) {
      terminateAfterAnswer = false;
      next.terminateWrites();
    }
    return next.flush();
  }

  @Override
  public void truncateWrites() throws IOException {
    answerLeft = null;
    terminateAfterAnswer = false;
    next.truncateWrites();
  }

  /** Writes what the next conduit takes of the answer; true when none of it is left. */
  private boolean answerWritten() throws IOException {
    while (answerLeft != null) {
      if (next.write(answerLeft) == 0) {
        return false;
      }
      if (!answerLeft.hasRemaining()) {
        answerLeft = null;
      }
    }
    return true;
  }
}
