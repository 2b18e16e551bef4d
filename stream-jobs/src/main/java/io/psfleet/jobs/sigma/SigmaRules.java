package io.psfleet.jobs.sigma;

import io.psfleet.sigma.LoadResult;
import io.psfleet.sigma.SigmaLoader;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Sigma rules a job runs, read where the job is defined (the client) and shipped inside the
 * job's graph, so a remote cluster needs none of the files. Reading checks only that each path
 * exists; what the rules say is judged by the engine when the operator opens.
 */
public final class SigmaRules implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final SigmaRules NONE = new SigmaRules(List.of(), List.of());

  private final List<String> paths;
  private final List<SigmaRuleText> files;

  private SigmaRules(List<String> paths, List<SigmaRuleText> files) {
    this.paths = List.copyOf(paths);
    this.files = List.copyOf(files);
  }

  public static SigmaRules none() {
    return NONE;
  }

  /** Where the pack is inside the jar: the build copies the top-level {@code rules/} there. */
  static final String PACK_RESOURCE = "io/psfleet/rules/";

  /** How the pack's files are named in rule sources (logs, {@code rules check}). */
  public static final String PACK_SOURCE = "psfleet:rules/";

  /**
   * psfleet's own Sigma rule pack, the top-level {@code rules/} folder as the build bundled it into
   * the jar: so it is found wherever the job's classes are (the CLI jar, the job jar on a cluster,
   * the images of {@code deploy/}), whatever the working directory.
   *
   * @throws IllegalStateException when the jar holds no pack (a broken build)
   */
  public static SigmaRules defaultPack() {
    URL marker = SigmaRules.class.getClassLoader().getResource(PACK_RESOURCE + "README.md");
    if (marker == null) {
      throw new IllegalStateException(
          "psfleet's rule pack is missing from the classpath ("
              + PACK_RESOURCE
              + "); rebuild with ./mvnw package, or run with --no-default-rules");
    }
    try {
      URI uri = marker.toURI();
      if (!"jar".equals(uri.getScheme())) {
        return pack(Path.of(uri).getParent());
      }
      FileSystem jar;
      boolean opened = false;
      try {
        jar = FileSystems.getFileSystem(uri);
      } catch (FileSystemNotFoundException e) {
        jar = FileSystems.newFileSystem(uri, Map.of());
        opened = true;
      }
      try {
        return pack(jar.provider().getPath(uri).getParent());
      } finally {
        if (opened) {
          jar.close();
        }
      }
    } catch (IOException | URISyntaxException | UncheckedIOException e) {
      throw new IllegalStateException("cannot read psfleet's rule pack: " + e.getMessage(), e);
    }
  }

  private static SigmaRules pack(Path folder) throws IOException {
    List<SigmaRuleText> files = new ArrayList<>();
    for (Path p : SigmaLoader.ruleFiles(folder)) {
      files.add(
          new SigmaRuleText(
              PACK_SOURCE + folder.relativize(p).toString().replace('\\', '/'),
              new String(Files.readAllBytes(p), StandardCharsets.UTF_8)));
    }
    return new SigmaRules(List.of(PACK_SOURCE), files);
  }

  /** These rules and then {@code more}'s. */
  public SigmaRules plus(SigmaRules more) {
    if (more.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return more;
    }
    List<String> allPaths = new ArrayList<>(paths);
    allPaths.addAll(more.paths);
    List<SigmaRuleText> allFiles = new ArrayList<>(files);
    allFiles.addAll(more.files);
    return new SigmaRules(allPaths, allFiles);
  }

  /** Rules from texts (tests). */
  public static SigmaRules of(List<SigmaRuleText> files) {
    return new SigmaRules(files.stream().map(SigmaRuleText::source).toList(), files);
  }

  /**
   * Reads every rule file given, and every {@code .yml}/{@code .yaml} under each folder given
   * ({@link SigmaLoader#ruleFiles}: what the engine's loader reads), each file once.
   *
   * @throws IllegalArgumentException naming a path that does not exist or cannot be read
   */
  public static SigmaRules read(List<Path> paths) {
    if (paths == null || paths.isEmpty()) {
      return NONE;
    }
    List<SigmaRuleText> files = new ArrayList<>();
    // A file named twice (directly and in its folder) would be a duplicate rule id: read it once.
    Set<Path> seen = new HashSet<>();
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new IllegalArgumentException("--rules: no such file or folder: " + path);
      }
      try {
        if (Files.isDirectory(path)) {
          List<Path> found = SigmaLoader.ruleFiles(path);
          for (Path p : found) {
            if (seen.add(p.toAbsolutePath().normalize())) {
              files.add(text(p));
            }
          }
        } else if (seen.add(path.toAbsolutePath().normalize())) {
          files.add(text(path));
        }
      } catch (IOException | UncheckedIOException e) {
        throw new IllegalArgumentException("--rules: cannot read " + path + ": " + e.getMessage());
      }
    }
    return new SigmaRules(paths.stream().map(Path::toString).toList(), files);
  }

  private static SigmaRuleText text(Path p) throws IOException {
    // Bytes as text: a non-UTF-8 file is the engine's to reject, with its name, at open.
    return new SigmaRuleText(
        p.toString(), new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
  }

  /**
   * Compiles the rules: what each operator running them does when it opens, and what the job's
   * definition does to see which correlation operators the graph needs. Deterministic: the same
   * texts give the same rule set.
   */
  public LoadResult load() {
    SigmaLoader loader = new SigmaLoader();
    for (SigmaRuleText file : files) {
      loader.addText(file.source(), file.yaml());
    }
    return loader.build();
  }

  public boolean isEmpty() {
    return files.isEmpty();
  }

  /** The paths the rules were read from, as given. */
  public List<String> paths() {
    return paths;
  }

  public List<SigmaRuleText> files() {
    return files;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SigmaRules r && paths.equals(r.paths) && files.equals(r.files);
  }

  @Override
  public int hashCode() {
    return paths.hashCode();
  }

  @Override
  public String toString() {
    return "SigmaRules" + paths + " (" + files.size() + " files)";
  }
}
