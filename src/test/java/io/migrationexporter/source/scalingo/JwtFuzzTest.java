package io.migrationexporter.source.scalingo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.migrationexporter.testing.Fuzz;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The claims of the tokens Scalingo hands out are JSON from upstream too: whatever they hold, the
 * account learns when to exchange again without an exception (which would be lost in a future
 * stage, leaving the token cached with no expiry known).
 */
class JwtFuzzTest {
  private static final List<String> EXPIRIES = List.of("0", "-1", "1", "1658613600", "1.5",
      "9223372036854775807", "-9223372036854775808", "31556889864403199", "31556889864403200",
      "-31557014167219200", "-31557014167219201", "1e400", "99999999999999999999", "\"1658613600\"",
      "null", "true", "[]", "{}", "[1658613600]");

  private static String segment(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(
        json.getBytes(StandardCharsets.UTF_8));
  }

  private static String token(Random random) {
    String header = segment("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
    return switch (random.nextInt(4)) {
      case 0 -> header + "." + segment("{\"exp\":" + EXPIRIES.get(random.nextInt(EXPIRIES.size()))
          + "}") + ".signature";
      case 1 -> header + "." + segment("[".repeat(random.nextInt(5000)) + "1") + ".s";
      case 2 -> {
        byte[] claims = new byte[random.nextInt(64)];
        random.nextBytes(claims);
        yield header + "." + Base64.getUrlEncoder().encodeToString(claims) + "." + header;
      }
      default -> {
        String alphabet = "aZ09.-_=+/%\u00e9\u0000";
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(40); i > 0; i--) {
          text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        yield text.toString();
      }
    };
  }

  @Test
  void anyTokenGivesARenewalTimeWithoutAnException() {
    Fuzz.run(20_220_725L, 1000, fuzz -> {
      String token = token(fuzz.random());
      assertThatCode(() -> Jwt.renewAfter(token)).as("renewAfter(%s)", token)
          .doesNotThrowAnyException();
    });
  }

  @Test
  void anExpiryBeyondTheRangeOfTimesIsNoExpiry() {
    String far = "x." + segment("{\"exp\":9223372036854775807}") + ".y";
    String past = "x." + segment("{\"exp\":-31557014167219200}") + ".y";

    assertThat(Jwt.renewAfter(far)).isEqualTo(Instant.MAX);
    assertThat(Jwt.renewAfter(past)).isEqualTo(Instant.MIN);
  }
}
