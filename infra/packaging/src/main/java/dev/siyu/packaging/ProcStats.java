package dev.siyu.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.TreeSet;

/**
 * What Linux tells about a running process through {@code /proc}. Every reading is best effort:
 * -1 (or nothing) where {@code /proc} is missing, as on macOS.
 *
 * @param rssKb       resident set size ({@code VmRSS}), what Lambda reports as Max Memory Used
 * @param cpuMillis   user + system CPU time of all its threads so far; on a small Lambda function
 *                    (a fraction of one vCPU) this, not wall time, bounds the cold start
 * @param archives    CDS / AOT archives mapped into it ({@code *.jsa}, {@code *.aot}): proof that
 *                    a cache was really used, since the JVM silently runs without one it rejects
 */
public record ProcStats(long rssKb, long cpuMillis, List<String> archives) {

    /** Linux reports CPU time in USER_HZ ticks, 100 per second on every mainstream build. */
    private static final long TICKS_PER_SECOND = 100;

    public ProcStats {
        archives = List.copyOf(archives);
    }

    public static ProcStats of(long pid) {
        Path proc = Paths.get("/proc", Long.toString(pid));
        return new ProcStats(rssKb(proc), cpuMillis(proc), archives(proc));
    }

    private static long rssKb(Path proc) {
        try {
            for (String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static long cpuMillis(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            // Fields after the command name, which is in parentheses and may itself hold spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static List<String> archives(Path proc) {
        TreeSet<String> found = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(proc.resolve("maps"), StandardCharsets.UTF_8)) {
                int slash = line.indexOf('/');
                if (slash < 0) {
                    continue;
                }
                String file = line.substring(slash).trim();
                if (file.endsWith(".jsa") || file.endsWith(".aot")) {
                    found.add(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return List.copyOf(found);
    }
}
