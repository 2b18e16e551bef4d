package io.psfleet.ocsf;

import static io.psfleet.ocsf.Findings.minimal;
import static io.psfleet.ocsf.Findings.minimalWith;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.AbstractListAssert;
import org.assertj.core.api.ObjectAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class OcsfValidatorTest {
  static final OcsfValidator VALIDATOR = OcsfValidator.bundled();

  static ValidationResult validate(JsonNode finding) {
    return VALIDATOR.validate(finding);
  }

  static AbstractListAssert<?, ?, String, ObjectAssert<String>> errorsOf(JsonNode finding) {
    return assertThat(validate(finding).errors()).extracting(Issue::toString);
  }

  @Test
  void findingWithOnlyItsRequiredAttributesIsValid() {
    ValidationResult r = validate(minimal());

    assertThat(r.errors()).isEmpty();
    assertThat(r.isValid()).isTrue();
  }

  @Test
  void bytesThatAreNotJsonAreOneError() {
    ValidationResult r = VALIDATOR.validate("{not json".getBytes(StandardCharsets.UTF_8));

    assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("JSON"));
  }

  @Nested
  class Requirements {
    @Test
    void missingRequiredAttributeIsAnErrorAtItsPath() {
      ObjectNode f = minimal();
      ((ObjectNode) f.get("finding_info")).remove("title");

      errorsOf(f).containsExactly("finding_info.title: required attribute is missing");
    }

    @Test
    void requiredAttributeFromAnIncludedFileIsRequiredToo() {
      ObjectNode f = minimal();
      f.remove("time"); // from includes/occurrence.json

      errorsOf(f).containsExactly("time: required attribute is missing");
    }

    @Test
    void nullCountsAsMissing() {
      ObjectNode f = minimal();
      f.putNull("severity_id");

      errorsOf(f).containsExactly("severity_id: required attribute is missing");
    }

    @Test
    void missingRecommendedAttributeIsOnlyAWarning() {
      ValidationResult r = validate(minimal());

      assertThat(r.errors()).isEmpty();
      assertThat(r.warnings())
          .extracting(Issue::toString)
          .contains(
              "message: recommended attribute is missing",
              "finding_info.analytic: recommended attribute is missing",
              "metadata.product.version: recommended attribute is missing");
    }

    @Test
    void optionalAttributeMayBeMissingSilently() {
      assertThat(validate(minimal()).warnings())
          .extracting(Issue::path)
          .doesNotContain("raw_data", "comment", "unmapped");
    }
  }

  @Nested
  class Inheritance {
    @Test
    void detectionFindingHasTheAttributesOfFindingAndBaseEvent() {
      // raw_data from base_event, comment from finding, impact_id from detection_finding itself
      errorsOf(minimalWith("\"raw_data\": \"x\", \"comment\": \"c\", \"impact_id\": 2")).isEmpty();
    }

    @Test
    void objectHasTheAttributesOfTheObjectsItExtends() {
      // device extends endpoint extends _entity: ip from endpoint, name from _entity
      errorsOf(
              minimalWith(
                  """
                  "metadata": {"version": "1.3.0", "profiles": ["host"],
                               "product": {"name": "p", "vendor_name": "v"}},
                  "device": {"type_id": 2, "ip": "10.1.2.3", "name": "ws-1"}
                  """))
          .isEmpty();
    }

    @Test
    void overriddenRequirementWins() {
      // name is recommended in _entity, required in file
      errorsOf(minimalWith("\"evidences\": [{\"file\": {\"type_id\": 1, \"path\": \"C:\\\\a\"}}]"))
          .containsExactly("evidences[0].file.name: required attribute is missing");
    }

    @Test
    void constraintIsInheritedUnlessTheObjectReplacesIt() {
      // product extends _entity and keeps its at_least_one(name, uid)
      errorsOf(
              minimalWith(
                  "\"metadata\": {\"version\": \"1.3.0\", \"product\": {\"vendor_name\": \"v\"}}"))
          .containsExactly(
              "metadata.product: object product needs at least one of [name, uid], has none");
    }
  }

  @Nested
  class UnknownAttributes {
    @Test
    void attributeTheClassDoesNotDefineIsAnError() {
      errorsOf(minimalWith("\"rule_id\": \"psfleet-001\""))
          .containsExactly(
              "rule_id: attribute \"rule_id\" is not defined in class detection_finding (2004)");
    }

    @Test
    void attributeAnObjectDoesNotDefineIsAnError() {
      ObjectNode f = minimal();
      ((ObjectNode) f.get("finding_info")).put("technique", "T1055");

      errorsOf(f)
          .containsExactly(
              "finding_info.technique: attribute \"technique\" is not defined in object"
                  + " finding_info");
    }

    @Test
    void processIsNoAttributeOfDetectionFinding() {
      errorsOf(minimalWith("\"process\": {\"pid\": 4}"))
          .containsExactly(
              "process: attribute \"process\" is not defined in class detection_finding (2004)");
    }

    @Test
    void anythingGoesInsideUnmapped() {
      errorsOf(minimalWith("\"unmapped\": {\"psfleet\": {\"hosts\": [\"a\"], \"x\": 1}}"))
          .isEmpty();
    }
  }

  @Nested
  class Types {
    @Test
    void stringWhereAnIntegerBelongsIsAnError() {
      errorsOf(minimalWith("\"severity_id\": \"4\""))
          .containsExactly("severity_id: expected integer_t, got a string \"4\"");
    }

    @Test
    void integerBeyondIntegerRangeIsAnError() {
      errorsOf(minimalWith("\"impact_id\": 4294967296"))
          .containsExactly("impact_id: expected integer_t, got an integer 4294967296");
    }

    @Test
    void timestampIsALongAndNotAFraction() {
      errorsOf(minimalWith("\"time\": 1795507200123.5"))
          .containsExactly("time: expected timestamp_t (long_t), got a number 1.7955072001235E12");
    }

    @Test
    void floatMustBeAFloatingPointNumberAsTheServerHasIt() {
      String cvss =
          "\"vulnerabilities\": [{\"cve\": {\"uid\": \"CVE-2024-1\", \"cvss\":"
              + " [{\"version\": \"3.1\", \"base_score\": %s}]}}]";

      errorsOf(minimalWith(cvss.formatted("9.8"))).isEmpty();
      errorsOf(minimalWith(cvss.formatted("10")))
          .containsExactly(
              "vulnerabilities[0].cve.cvss[0].base_score: expected float_t, got an integer 10");
    }

    @Test
    void booleanMustBeABoolean() {
      errorsOf(
              minimalWith(
                  """
                  "metadata": {"version": "1.3.0", "profiles": ["host"],
                               "product": {"name": "p", "vendor_name": "v"}},
                  "device": {"type_id": 2, "uid": "h", "is_managed": "yes"}
                  """))
          .containsExactly("device.is_managed: expected boolean_t, got a string \"yes\"");
    }

    @Test
    void objectGivenAsAStringIsAnError() {
      errorsOf(
              minimalWith(
                  """
                  "metadata": {"version": "1.3.0", "profiles": ["host"],
                               "product": {"name": "p", "vendor_name": "v"}},
                  "device": {"type_id": 2, "uid": "h", "os": "Windows"}
                  """))
          .containsExactly("device.os: expected a os object, got a string \"Windows\"");
    }

    @Test
    void subtypeRegexIsChecked() {
      errorsOf(
              minimalWith(
                  """
                  "metadata": {"version": "1.3.0", "profiles": ["host"],
                               "product": {"name": "p", "vendor_name": "v"}},
                  "device": {"type_id": 2, "ip": "not-an-ip", "hostname": "bad host!"}
                  """))
          .containsExactlyInAnyOrder(
              "device.ip: \"not-an-ip\" is not a valid ip_t",
              "device.hostname: \"bad host!\" is not a valid hostname_t");
    }

    @Test
    void subtypeMaxLengthIsChecked() {
      String tooLong = "a".repeat(65);
      errorsOf(
              minimalWith(
                  "\"evidences\": [{\"file\": {\"name\": \"a.dll\", \"type_id\": 1,"
                      + " \"hashes\": [{\"algorithm_id\": 3, \"value\": \""
                      + tooLong
                      + "\"}]}}]"))
          .containsExactly(
              "evidences[0].file.hashes[0].value: length 65 exceeds file_hash_t's maximum 64");
    }

    @Test
    void subtypeRangeIsChecked() {
      errorsOf(
              minimalWith(
                  "\"evidences\": [{\"src_endpoint\": {\"ip\": \"10.0.0.1\", \"port\": 70000}}]"))
          .containsExactly(
              "evidences[0].src_endpoint.port: 70000 is outside port_t's range 0 to 65535");
    }

    @Test
    void uuidTypeIsChecked() {
      ObjectNode f = minimal();
      ((ObjectNode) f.get("metadata")).put("uid", "anything goes: uid is a string_t");
      assertThat(validate(f).errors()).isEmpty();
    }

    @Test
    void jsonTypeTakesAnyValue() {
      errorsOf(
              minimalWith(
                  "\"evidences\": [{\"data\": {\"fleet_hosts\": 7, \"list\": [1, \"a\", null]}}]"))
          .isEmpty();
    }
  }

  @Nested
  class Arrays {
    @Test
    void singleValueWhereAnArrayBelongsIsAnError() {
      ObjectNode f = minimal();
      ((ObjectNode) f.get("finding_info")).put("types", "Persistence");

      errorsOf(f)
          .containsExactly(
              "finding_info.types: expected an array of string_t, got a string \"Persistence\"");
    }

    @Test
    void everyElementIsChecked() {
      errorsOf(
              minimalWith(
                  "\"evidences\": [{\"process\": {\"pid\": 1}}, {\"process\": {\"pid\": \"2\"}}]"))
          .containsExactly("evidences[1].process.pid: expected integer_t, got a string \"2\"");
    }

    @Test
    void objectsInArraysAreValidatedRecursively() {
      errorsOf(
              minimalWith(
                  "\"evidences\": [{\"process\": {\"pid\": 1, \"parent_process\":"
                      + " {\"pid\": 2, \"file\": {\"path\": \"C:\\\\x.exe\"}}}}]"))
          .containsExactlyInAnyOrder(
              "evidences[0].process.parent_process.file.name: required attribute is missing",
              "evidences[0].process.parent_process.file.type_id: required attribute is missing");
    }
  }

  @Nested
  class Enums {
    @Test
    void valueOutsideTheEnumIsAnError() {
      errorsOf(minimalWith("\"severity_id\": 42"))
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e)
                      .startsWith("severity_id: 42 is not a value of enum \"severity_id\"")
                      .contains("4 High", "99 Other"));
    }

    @Test
    void otherTakesTheSourcesOwnCaption() {
      errorsOf(minimalWith("\"severity_id\": 99, \"severity\": \"Sev-B\"")).isEmpty();
    }

    @Test
    void enumOfStringsWithoutOtherRejectsUnlistedValues() {
      errorsOf(
              minimalWith(
                  "\"vulnerabilities\": [{\"cve\": {\"uid\": \"CVE-2024-1\", \"cvss\":"
                      + " [{\"base_score\": 9.8, \"version\": \"3.1\", \"depth\": \"Deep\"}]}}]"))
          .containsExactly(
              "vulnerabilities[0].cve.cvss[0].depth: \"Deep\" is not a value of enum \"depth\""
                  + " (Base, Environmental, Temporal)");
    }

    @Test
    void siblingMustBeTheEnumCaption() {
      errorsOf(minimalWith("\"severity\": \"Medium\""))
          .containsExactly(
              "severity: must be the caption of severity_id 4, \"High\", got \"Medium\"");
      errorsOf(minimalWith("\"severity\": \"High\", \"activity_name\": \"Create\"")).isEmpty();
    }

    @Test
    void enumValuesComeFromTheClassItsBasesAndTheDictionary() {
      // 1 Create from finding, 0 Unknown and 99 Other from the dictionary / classification include
      errorsOf(minimalWith("\"activity_id\": 0, \"type_uid\": 200400")).isEmpty();
      errorsOf(minimalWith("\"activity_id\": 4, \"type_uid\": 200404"))
          .anySatisfy(e -> assertThat(e).startsWith("activity_id: 4 is not a value"));
    }

    @Test
    void derivedClassAttributesHaveTheClassCaptions() {
      errorsOf(
              minimalWith(
                  """
                  "class_name": "Detection Finding", "category_name": "Findings",
                  "type_name": "Detection Finding: Create"
                  """))
          .isEmpty();
      errorsOf(minimalWith("\"type_name\": \"Detection Finding: Update\""))
          .containsExactly(
              "type_name: must be the caption of type_uid 200401, \"Detection Finding: Create\","
                  + " got \"Detection Finding: Update\"");
    }

    @Test
    void everyElementOfAnEnumArrayIsChecked() {
      errorsOf(
              minimalWith(
                  "\"evidences\": [{\"url\": {\"url_string\": \"http://x\","
                      + " \"category_ids\": [3, 1234], \"categories\": [\"Pornography\", \"x\"]}}]"))
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e)
                      .startsWith("evidences[0].url.category_ids[1]: 1234 is not a value"));
    }
  }

  @Nested
  class ClassAttributes {
    @Test
    void typeUidMustBeClassUidTimes100PlusActivityId() {
      errorsOf(minimalWith("\"type_uid\": 200402"))
          .containsExactly(
              "type_uid: 200402 is not class_uid * 100 + activity_id = 2004 * 100 + 1 = 200401");
    }

    @Test
    void categoryUidMustBeTheClassCategory() {
      errorsOf(minimalWith("\"category_uid\": 4"))
          .containsExactly("category_uid: 4 is not a value of enum \"category_uid\" (2 Findings)");
    }

    @Test
    void unknownClassStopsValidation() {
      errorsOf(minimalWith("\"class_uid\": 2999"))
          .containsExactly("class_uid: no OCSF 1.3.0 class has uid 2999");
    }

    @Test
    void missingClassUidStopsValidation() {
      ObjectNode f = minimal();
      f.remove("class_uid");

      errorsOf(f).singleElement().satisfies(e -> assertThat(e).startsWith("class_uid: required"));
    }

    @Test
    void newerSchemaVersionIsAnErrorAndOlderAWarning() {
      ObjectNode newer = minimal();
      ((ObjectNode) newer.get("metadata")).put("version", "1.4.0");
      ObjectNode older = minimal();
      ((ObjectNode) older.get("metadata")).put("version", "1.2.0");
      ObjectNode garbage = minimal();
      ((ObjectNode) garbage.get("metadata")).put("version", "v1");

      errorsOf(newer).singleElement().satisfies(e -> assertThat(e).contains("newer"));
      assertThat(validate(older).errors()).isEmpty();
      assertThat(validate(older).warnings()).extracting(Issue::path).contains("metadata.version");
      errorsOf(garbage).singleElement().satisfies(e -> assertThat(e).contains("semantic version"));
    }
  }

  @Nested
  class Profiles {
    static final String DEVICE = "\"device\": {\"type_id\": 2, \"uid\": \"host-1\"}";

    @Test
    void profileAttributeWithoutTheProfileDeclaredIsAnError() {
      errorsOf(minimalWith(DEVICE))
          .containsExactly(
              "device: attribute \"device\" belongs to profile \"host\", which metadata.profiles"
                  + " does not declare");
    }

    @Test
    void profileAttributeWithTheProfileDeclaredIsValid() {
      errorsOf(
              minimalWith(
                  DEVICE
                      + ", \"metadata\": {\"version\": \"1.3.0\", \"profiles\": [\"host\"],"
                      + " \"product\": {\"name\": \"p\", \"vendor_name\": \"v\"}}"))
          .isEmpty();
    }

    @Test
    void undeclaredProfileAttributeIsStillCheckedInside() {
      errorsOf(minimalWith("\"device\": {\"type_id\": 2, \"uid\": \"h\", \"os\": \"Windows\"}"))
          .containsExactly(
              "device: attribute \"device\" belongs to profile \"host\", which metadata.profiles"
                  + " does not declare",
              "device.os: expected a os object, got a string \"Windows\"");
    }

    @Test
    void declaredProfileBringsItsRequiredAttributes() {
      errorsOf(
              minimalWith(
                  "\"metadata\": {\"version\": \"1.3.0\", \"profiles\": [\"security_control\"],"
                      + " \"product\": {\"name\": \"p\", \"vendor_name\": \"v\"}}"))
          .containsExactly("action_id: required attribute is missing");
    }

    @Test
    void profilesApplyToObjectsToo() {
      String process = "\"evidences\": [{\"process\": {\"pid\": 1, \"namespace_pid\": 7}}]";

      errorsOf(minimalWith(process))
          .containsExactly(
              "evidences[0].process.namespace_pid: attribute \"namespace_pid\" belongs to profile"
                  + " \"container\", which metadata.profiles does not declare");
      errorsOf(
              minimalWith(
                  process
                      + ", \"metadata\": {\"version\": \"1.3.0\", \"profiles\": [\"container\"],"
                      + " \"product\": {\"name\": \"p\", \"vendor_name\": \"v\"}}"))
          .isEmpty();
    }

    @Test
    void datetimeProfileBringsATwinOfEveryTimestamp() {
      String twin = "\"time_dt\": \"2026-11-24T00:00:00.123Z\"";
      String declared =
          ", \"metadata\": {\"version\": \"1.3.0\", \"profiles\": [\"datetime\"],"
              + " \"product\": {\"name\": \"p\", \"vendor_name\": \"v\"}}";

      errorsOf(minimalWith(twin + declared)).isEmpty();
      errorsOf(minimalWith(twin))
          .singleElement()
          .satisfies(e -> assertThat(e).contains("datetime"));
      errorsOf(minimalWith("\"time_dt\": \"yesterday\"" + declared))
          .containsExactly("time_dt: \"yesterday\" is not a valid datetime_t");
    }

    @Test
    void unknownProfileIsAnError() {
      errorsOf(
              minimalWith(
                  "\"metadata\": {\"version\": \"1.3.0\", \"profiles\": [\"psfleet\"],"
                      + " \"product\": {\"name\": \"p\", \"vendor_name\": \"v\"}}"))
          .containsExactly("metadata.profiles[0]: no OCSF profile is called \"psfleet\"");
    }
  }

  @Nested
  class Constraints {
    @Test
    void atLeastOneOfItsAttributes() {
      errorsOf(minimalWith("\"evidences\": [{}]"))
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e).startsWith("evidences[0]: object evidences needs at least one of"));
      errorsOf(minimalWith("\"evidences\": [{\"process\": {\"name\": \"x.exe\"}}]"))
          .containsExactly(
              "evidences[0].process: object process needs at least one of [pid, uid], has none");
    }
  }

  @Nested
  class Observables {
    @Test
    void observableNameMustBeThePathOfAnAttributeOfTheClass() {
      String declared =
          "\"metadata\": {\"version\": \"1.3.0\", \"profiles\": [\"host\"],"
              + " \"product\": {\"name\": \"p\", \"vendor_name\": \"v\"}},"
              + " \"device\": {\"type_id\": 2, \"hostname\": \"ws-1\"}, ";

      errorsOf(
              minimalWith(
                  declared
                      + "\"observables\": [{\"name\": \"device.hostname\", \"type_id\": 1,"
                      + " \"value\": \"ws-1\"}]"))
          .isEmpty();
      errorsOf(
              minimalWith(
                  declared
                      + "\"observables\": [{\"name\": \"device.host_name\", \"type_id\": 1,"
                      + " \"value\": \"ws-1\"}]"))
          .containsExactly(
              "observables[0].name: \"device.host_name\" is not the path of an attribute of class"
                  + " detection_finding (2004)");
    }
  }

  @Nested
  class Deprecation {
    @Test
    void deprecatedAttributeIsAWarning() {
      ObjectNode f = minimal();
      ((ObjectNode) f.get("finding_info"))
          .set(
              "attacks",
              Findings.json(
                  "[{\"technique\": {\"uid\": \"T1570\"}, \"tactics\": [{\"uid\": \"TA0008\"}]}]"));
      ValidationResult r = validate(f);

      assertThat(r.errors()).isEmpty();
      assertThat(r.warnings())
          .extracting(Issue::toString)
          .contains("finding_info.attacks[0].tactics: attribute \"tactics\" is deprecated");
    }
  }
}
