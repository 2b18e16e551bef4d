package io.psfleet.agent.kernel;

/**
 * The strings of a PE file's version resource (VS_VERSIONINFO, StringFileInfo) that Sysmon reports:
 * {@code OriginalFilename}, {@code FileDescription}, {@code ProductName}, {@code CompanyName} and
 * {@code FileVersion}. A value the resource lacks is null (Sysmon writes {@code -}); a file without
 * a version resource has no {@code VersionResource} at all. Values are as the file carries them,
 * case included ({@code Cmd.Exe}, {@code PowerShell.EXE}): rules match them exactly.
 */
public record VersionResource(
    String originalFileName,
    String fileDescription,
    String productName,
    String companyName,
    String fileVersion) {}
