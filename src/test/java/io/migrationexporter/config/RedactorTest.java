package io.migrationexporter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The forms in which an upstream can hand a secret back, and the length of what it hands back. */
class RedactorTest {
  static final String KEY = "redactor-key+/ 9f2c";
  static final String ISSUED = "eyJhbGciOiJIUzI1NiJ9.redactor-issued.c2lnbmF0dXJl";

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void upstreamTextIsMaskedOfSecretsInEveryFormAnUpstreamEchoes() {
    Secret.of(KEY);
    Redactor.rememberIssued(ISSUED);
    String[] echoes = {KEY, "Basic " + base64("pix:" + KEY), "Basic " + base64(KEY + ":pix"),
        "Basic " + base64(":" + KEY), base64(KEY), URLEncoder.encode(KEY, StandardCharsets.UTF_8),
        "key=" + URLEncoder.encode(KEY, StandardCharsets.UTF_8).replace("+", "%20"),
        "Bearer " + ISSUED, "Basic " + Base64.getUrlEncoder().encodeToString(
            ("u:" + KEY).getBytes(StandardCharsets.UTF_8))};
    for (String echo : echoes) {
      String text = "name of the check; Authorization: " + echo + "; User-Agent: x";
      assertThat(Redactor.upstream(text, 1000)).as(echo).contains(Redactor.MASK)
          .startsWith("name of the check; Authorization: ").endsWith("; User-Agent: x")
          .doesNotContain(echo.substring(echo.indexOf(' ') + 1));
    }
    assertThat(Redactor.upstream("Basic " + base64("pix:not-a-secret"), 1000))
        .isEqualTo("Basic " + base64("pix:not-a-secret"));
  }

  @Test
  void upstreamTextIsCutToTheLimitAfterMasking() {
    Secret.of(KEY);
    String text = "a".repeat(250) + KEY + "b".repeat(100);

    String cut = Redactor.upstream(text, 256);

    assertThat(cut).hasSize(256).endsWith("…").startsWith("a".repeat(250) + "<reda");
    assertThat(Redactor.upstream("short", 256)).isEqualTo("short");
    assertThat(Redactor.upstream(null, 256)).isNull();
  }

  @Test
  void issuedCredentialsAreForgottenAfterTheNewerOnesKept() {
    String first = "issued-credential-first-0000";
    Redactor.rememberIssued(first);
    assertThat(Redactor.redact(first)).isEqualTo(Redactor.MASK);
    for (int i = 0; i < Redactor.ISSUED_KEPT; i++) {
      Redactor.rememberIssued("issued-credential-newer-" + i);
    }
    assertThat(Redactor.redact(first)).isEqualTo(first);
    assertThat(Redactor.redact("issued-credential-newer-0")).isEqualTo(Redactor.MASK);
  }
}
