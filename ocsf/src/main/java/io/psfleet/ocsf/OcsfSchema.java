package io.psfleet.ocsf;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The OCSF schema compiled from its own source files: event classes by {@code class_uid}, objects
 * and dictionary types by name, profile names. Immutable and thread-safe.
 *
 * <p>{@link #bundled()} reads the copy of OCSF 1.3.0 that ships in this jar (so validating needs no
 * checkout of the schema repository); {@link #fromDirectory(Path)} reads a checkout.
 */
public final class OcsfSchema {
  private final String version;
  private final Map<String, DataType> types;
  private final Map<Integer, Definition> classes;
  private final Map<String, Definition> objects;
  private final Set<String> profiles;

  OcsfSchema(
      String version,
      Map<String, DataType> types,
      Map<Integer, Definition> classes,
      Map<String, Definition> objects,
      Set<String> profiles) {
    this.version = version;
    this.types = Map.copyOf(types);
    this.classes = Map.copyOf(classes);
    this.objects = Map.copyOf(objects);
    this.profiles = Set.copyOf(profiles);
  }

  /** OCSF 1.3.0, from the copy bundled in this jar; compiled once, on first use. */
  public static OcsfSchema bundled() {
    return Bundled.SCHEMA;
  }

  /** The schema in a checkout of the ocsf-schema repository (extensions are not read). */
  public static OcsfSchema fromDirectory(Path root) {
    return SchemaCompiler.compile(SchemaFiles.directory(root));
  }

  /** The schema version, from {@code version.json}: {@code "1.3.0"}. */
  public String version() {
    return version;
  }

  public Optional<Definition> eventClass(int classUid) {
    return Optional.ofNullable(classes.get(classUid));
  }

  public Optional<Definition> object(String name) {
    return Optional.ofNullable(objects.get(name));
  }

  /** The dictionary type of that name, or empty when the name is an object's. */
  public Optional<DataType> type(String name) {
    return Optional.ofNullable(types.get(name));
  }

  public Map<Integer, Definition> eventClasses() {
    return classes;
  }

  public Set<String> profiles() {
    return profiles;
  }

  private static final class Bundled {
    static final OcsfSchema SCHEMA = SchemaCompiler.compile(SchemaFiles.bundled());
  }
}
