package io.psfleet.ocsf;

/** One value of an attribute's {@code enum}, as the compiled schema has it. */
public record EnumMember(String caption, boolean deprecated) {}
