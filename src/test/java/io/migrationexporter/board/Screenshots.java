package io.migrationexporter.board;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntPredicate;
import javax.imageio.ImageIO;

/** Screenshots kept under target/ for people to look at, and checked not to be blank. */
final class Screenshots {
  private static final Path DIR = Path.of("target", "board-screenshots");

  private Screenshots() {}

  /** Saves the viewport as {@code name}.png and returns it decoded. */
  static BufferedImage save(Browser browser, String name) throws Exception {
    byte[] png = browser.screenshot();
    Files.createDirectories(DIR);
    Files.write(DIR.resolve(name + ".png"), png);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image).as("%s.png decodes as an image", name).isNotNull();
    assertThat(distinctColours(image)).as("distinct colours in %s.png: a blank page has one", name)
        .isGreaterThan(200);
    return image;
  }

  static int distinctColours(BufferedImage image) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        colours.add(image.getRGB(x, y) & 0xFFFFFF);
      }
    }
    return colours.size();
  }

  /** How many pixels have a colour {@code rgb} accepts. */
  static long count(BufferedImage image, IntPredicate rgb) {
    long count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if (rgb.test(image.getRGB(x, y) & 0xFFFFFF)) {
          count++;
        }
      }
    }
    return count;
  }

  /** Any shade a person would call green, however dimmed. */
  static boolean greenish(int rgb) {
    int red = rgb >> 16 & 0xFF;
    int green = rgb >> 8 & 0xFF;
    int blue = rgb & 0xFF;
    return green > red + 24 && green > blue + 24;
  }
}
