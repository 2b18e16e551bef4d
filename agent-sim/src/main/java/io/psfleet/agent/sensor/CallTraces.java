package io.psfleet.agent.sensor;

import io.psfleet.agent.kernel.ImageFile;
import io.psfleet.agent.kernel.MappedImage;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Sysmon's {@code CallTrace} of a handle request: the opening thread's user stack, innermost frame
 * first, each {@code module+offset} (lower-case hex), joined by {@code |}.
 *
 * <p>The kernel model keeps no user stacks, so the trace is derived from the modules the opener has
 * loaded, in the shape real traces of {@code NtOpenProcess} have: ntdll's system-call stub,
 * KERNELBASE's {@code OpenProcess}, then the library that asked for the handle when the program let
 * one do it (dbgcore or dbghelp inside {@code MiniDumpWriteDump}, comsvcs inside its {@code
 * MiniDump} export), the program's own code, and the thread's start in KERNEL32 and ntdll. Rules
 * read exactly these names (SigmaHQ's LSASS rules look for dbghelp, dbgcore and comsvcs in it).
 * Offsets are a function of the module and the frame, so a trace is the same on every run.
 */
final class CallTraces {
  /** Libraries that open another process's handle on their caller's behalf. */
  private static final Set<String> HANDLE_OPENING_LIBRARIES =
      Set.of("dbgcore.dll", "dbghelp.dll", "comsvcs.dll");

  private CallTraces() {}

  /**
   * The trace of a request by a process whose executable is {@code executable} and whose loaded
   * modules are {@code modules}; frames of modules it has not loaded are left out.
   */
  static String of(String executable, List<MappedImage> modules) {
    ImageFile ntdll = named(modules, "ntdll.dll");
    ImageFile kernel32 = named(modules, "kernel32.dll");
    StringBuilder trace = new StringBuilder(512);
    frame(trace, ntdll, 0);
    frame(trace, named(modules, "kernelbase.dll"), 1);
    for (int i = modules.size() - 1; i >= 0; i--) {
      ImageFile file = modules.get(i).file();
      if (HANDLE_OPENING_LIBRARIES.contains(lower(file.fileName()))) {
        frame(trace, file, 2);
        frame(trace, file, 3);
      }
    }
    for (MappedImage module : modules) {
      if (module.file().path().equalsIgnoreCase(executable)) {
        frame(trace, module.file(), 4);
        frame(trace, module.file(), 5);
      }
    }
    frame(trace, kernel32, 6);
    frame(trace, ntdll, 7);
    return trace.length() == 0 ? null : trace.toString();
  }

  private static void frame(StringBuilder trace, ImageFile file, int frame) {
    if (file == null) {
      return;
    }
    if (trace.length() > 0) {
      trace.append('|');
    }
    // Inside the image, past its headers, and the same for this module and frame every time.
    long span = Math.max(1, file.size() - 0x1000);
    long offset = 0x1000 + Math.floorMod(file.path().hashCode() * 31L + frame * 0x9E37L, span);
    trace.append(file.path()).append('+').append(Long.toHexString(offset));
  }

  private static ImageFile named(List<MappedImage> modules, String fileName) {
    for (MappedImage module : modules) {
      if (lower(module.file().fileName()).equals(fileName)) {
        return module.file();
      }
    }
    return null;
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
