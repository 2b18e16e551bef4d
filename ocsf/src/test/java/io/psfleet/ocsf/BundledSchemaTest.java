package io.psfleet.ocsf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The copy of OCSF 1.3.0 in this jar is the schema repository's own files, unchanged: where the
 * checkout exists (set {@code -Docsf.schema.source=DIR} to point elsewhere), every bundled file is
 * byte-identical to it, and every file of the parts the validator reads is bundled.
 */
class BundledSchemaTest {
  static final Path SOURCE =
      Path.of(System.getProperty("ocsf.schema.source", "/work/shared/ocsf-schema-1.3.0"));

  /** What the validator needs from the repository, and its license. */
  static final List<String> BUNDLED_PARTS =
      List.of("events/", "objects/", "profiles/", "includes/");

  static final Set<String> BUNDLED_TOP =
      Set.of("LICENSE", "NOTICE", "SNAPSHOT", "version.json", "categories.json", "dictionary.json");

  @Test
  void bundledFilesAreByteIdenticalToTheSchemaRepository() throws IOException {
    assumeTrue(Files.isDirectory(SOURCE), "no OCSF schema checkout at " + SOURCE);
    for (String path : index()) {
      assertThat(bundled(path)).as(path).isEqualTo(Files.readAllBytes(SOURCE.resolve(path)));
    }
  }

  @Test
  void everyFileTheValidatorReadsIsBundled() throws IOException {
    assumeTrue(Files.isDirectory(SOURCE), "no OCSF schema checkout at " + SOURCE);
    Set<String> expected;
    try (Stream<Path> files = Files.walk(SOURCE)) {
      expected =
          files
              .filter(Files::isRegularFile)
              .map(p -> SOURCE.relativize(p).toString().replace('\\', '/'))
              .filter(
                  p -> BUNDLED_TOP.contains(p) || BUNDLED_PARTS.stream().anyMatch(p::startsWith))
              .collect(Collectors.toCollection(TreeSet::new));
    }
    assertThat(new TreeSet<>(index())).isEqualTo(expected);
  }

  @Test
  void bundledCopyCompilesToOcsf130WithDetectionFinding() {
    OcsfSchema schema = OcsfSchema.bundled();

    assertThat(schema.version()).isEqualTo("1.3.0");
    assertThat(schema.eventClass(2004))
        .hasValueSatisfying(c -> assertThat(c.name()).isEqualTo("detection_finding"));
    assertThat(schema.eventClass(2004).orElseThrow().attributes().get("type_uid").enumValues())
        .containsKey("200401");
    assertThat(schema.profiles()).contains("host", "security_control", "datetime", "container");
  }

  @Test
  void schemaCompiledFromTheCheckoutValidatesLikeTheBundledOne() {
    assumeTrue(Files.isDirectory(SOURCE), "no OCSF schema checkout at " + SOURCE);
    OcsfValidator fromCheckout = new OcsfValidator(OcsfSchema.fromDirectory(SOURCE));
    var finding = Findings.minimalWith("\"severity\": \"Low\", \"device\": {\"os\": \"Windows\"}");

    assertThat(fromCheckout.validate(finding)).isEqualTo(OcsfValidator.bundled().validate(finding));
  }

  private static List<String> index() throws IOException {
    try (InputStream in = resource(SchemaFiles.BUNDLED_INDEX)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  private static byte[] bundled(String path) throws IOException {
    try (InputStream in = resource(SchemaFiles.BUNDLED_DIR + "/" + path)) {
      return in.readAllBytes();
    }
  }

  private static InputStream resource(String name) {
    InputStream in = BundledSchemaTest.class.getClassLoader().getResourceAsStream(name);
    assertThat(in).as("classpath resource " + name).isNotNull();
    return in;
  }
}
