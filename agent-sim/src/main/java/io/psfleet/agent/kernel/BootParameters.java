package io.psfleet.agent.kernel;

/**
 * What a host's kernel starts from.
 *
 * @param aslrSalt per-boot randomisation of image bases
 * @param bootTimeNanos wall-clock time of the boot, nanoseconds since the Unix epoch
 * @param kernelImage ntoskrnl.exe, the System process's image
 * @param systemDll ntdll.dll, which the kernel maps into every new Win32 process
 */
public record BootParameters(
    long aslrSalt, long bootTimeNanos, ImageFile kernelImage, ImageFile systemDll) {}
