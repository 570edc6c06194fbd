package io.migrationexporter.config;

import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseable;
import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * HOCON's {@code include}, limited to what loading can do without hanging: regular files of at
 * most {@link ConfigFiles#LARGEST_CONFIG} and resources of the exporter's own jar. An include of a
 * URL ({@code url("http://...")} or a bare {@code "http://..."}) is refused: loading, and every
 * reload, would wait on the network and take whatever a server answers.
 */
final class LocalIncluder implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL,
    ConfigIncluderClasspath {
  /** The library's own includer, which does the reading once a name is accepted. */
  private final ConfigIncluder library;

  LocalIncluder() {
    this(null);
  }

  private LocalIncluder(ConfigIncluder library) {
    this.library = library;
  }

  @Override
  public ConfigIncluder withFallback(ConfigIncluder fallback) {
    return fallback == library ? this : new LocalIncluder(fallback);
  }

  @Override
  public ConfigObject include(ConfigIncludeContext context, String what) {
    if (isUrl(what)) {
      throw new Refused(what, "names a URL; only files are included (nothing is fetched while"
          + " loading)");
    }
    for (String name : namesTried(what)) {
      ConfigParseable parseable = context.relativeTo(name);
      if (parseable != null && parseable.origin().filename() != null) {
        check(what, parseable.origin().filename());
      }
    }
    return library.include(context, what);
  }

  @Override
  public ConfigObject includeFile(ConfigIncludeContext context, File file) {
    for (String name : namesTried(file.getPath())) {
      check(file.getPath(), name);
    }
    return ((ConfigIncluderFile) library).includeFile(context, file);
  }

  @Override
  public ConfigObject includeURL(ConfigIncludeContext context, URL url) {
    throw new Refused(url.toString(), "url() includes are not supported; only files are included"
        + " (nothing is fetched while loading)");
  }

  @Override
  public ConfigObject includeResources(ConfigIncludeContext context, String what) {
    return ((ConfigIncluderClasspath) library).includeResources(context, what);
  }

  /** The library's heuristic include reads a name that parses as a URL from that URL. */
  private static boolean isUrl(String what) {
    try {
      new URL(what);
      return true;
    } catch (MalformedURLException e) {
      return false;
    }
  }

  /**
   * The files the library tries for a name: itself with a known extension, else all three, and
   * the bare name too: the library skips it silently, so {@code file("/dev/zero")} or a directory
   * would pass for a missing include instead of being refused.
   */
  private static List<String> namesTried(String name) {
    if (hasKnownExtension(name)) {
      return List.of(name);
    }
    List<String> withExtensions = List.of(name + ".conf", name + ".json", name + ".properties");
    if (name.isBlank()) {
      return withExtensions; // the bare name would be the including file's directory
    }
    List<String> all = new ArrayList<>(List.of(name));
    all.addAll(withExtensions);
    return all;
  }

  /**
   * Refuses an existing file that is no regular file, too large or not UTF-8; a missing one is
   * the library's. A regular file under the bare name of an extension-less include is not read
   * by the library and not checked.
   */
  private static void check(String what, String name) {
    Path file;
    try {
      file = Path.of(name).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      return;
    }
    if (!file.toFile().exists() || !hasKnownExtension(name) && Files.isRegularFile(file)) {
      return;
    }
    Optional<String> refusal = ConfigFiles.refusal(file, ConfigFiles.LARGEST_CONFIG);
    if (refusal.isPresent()) {
      throw new Refused(what, refusal.get());
    }
    Optional<ConfigProblem> notUtf8;
    try {
      notUtf8 = ConfigFiles.notUtf8(file);
    } catch (IOException e) {
      throw new Refused(what, "cannot read file " + file + ": " + e.getClass().getSimpleName());
    }
    if (notUtf8.isPresent()) {
      throw new NotUtf8(notUtf8.get());
    }
  }

  /** The library reads only names with these extensions. */
  private static boolean hasKnownExtension(String name) {
    return name.endsWith(".conf") || name.endsWith(".json") || name.endsWith(".properties");
  }

  /** An included file that is not UTF-8, located in that file. */
  static final class NotUtf8 extends com.typesafe.config.ConfigException {
    private final transient ConfigProblem problem;

    NotUtf8(ConfigProblem problem) {
      super(problem.toString());
      this.problem = problem;
    }

    ConfigProblem problem() {
      return problem;
    }
  }

  /** An include refused; {@link #included} is the name as written, to find its line. */
  static final class Refused extends com.typesafe.config.ConfigException {
    private static final Pattern USER_INFO = Pattern.compile("//[^/?#]*@");
    private final String included;

    Refused(String included, String reason) {
      super("include \"" + USER_INFO.matcher(included).replaceFirst("//" + Redactor.MASK + "@")
          + "\": " + reason);
      this.included = included;
    }

    String included() {
      return included;
    }
  }
}
