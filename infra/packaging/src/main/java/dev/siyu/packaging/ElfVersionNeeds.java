package dev.siyu.packaging;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a 64-bit little-endian ELF shared library asks of the libraries it links: its {@code DT_NEEDED} names and the
 * symbol versions it needs from each ({@code .gnu.version_r}), as {@code readelf -d} and {@code readelf -V} print
 * them, read without binutils. The packaging uses it to check that a library shipped in a function zip runs on the
 * Lambda runtime's glibc.
 */
public record ElfVersionNeeds(List<String> needed, Map<String, TreeSet<String>> versions) {
    private static final int SHT_DYNAMIC = 6;
    private static final int SHT_GNU_VERNEED = 0x6ffffffe;
    private static final long DT_NEEDED = 1;

    public static ElfVersionNeeds read(byte[] elf) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        if (elf.length < 64 || b.getInt(0) != 0x464c457f || elf[4] != 2 || elf[5] != 1) {
            throw new IllegalArgumentException("not a 64-bit little-endian ELF file");
        }
        long shoff = b.getLong(0x28);
        int shentsize = Short.toUnsignedInt(b.getShort(0x3a));
        int shnum = Short.toUnsignedInt(b.getShort(0x3c));
        List<String> needed = new ArrayList<>();
        Map<String, TreeSet<String>> versions = new TreeMap<>();
        for (int i = 0; i < shnum; i++) {
            int sh = (int) (shoff + (long) i * shentsize);
            int type = b.getInt(sh + 4);
            if (type != SHT_DYNAMIC && type != SHT_GNU_VERNEED) {
                continue;
            }
            int offset = (int) b.getLong(sh + 0x18);
            int size = (int) b.getLong(sh + 0x20);
            int link = b.getInt(sh + 0x28);
            int strtab = (int) b.getLong((int) (shoff + (long) link * shentsize) + 0x18);
            if (type == SHT_DYNAMIC) {
                for (int at = offset; at + 16 <= offset + size; at += 16) {
                    long tag = b.getLong(at);
                    if (tag == 0) {
                        break;
                    }
                    if (tag == DT_NEEDED) {
                        needed.add(string(elf, strtab + (int) b.getLong(at + 8)));
                    }
                }
            } else {
                int entry = offset;
                while (true) {
                    int count = Short.toUnsignedInt(b.getShort(entry + 2));
                    String file = string(elf, strtab + b.getInt(entry + 4));
                    int aux = entry + b.getInt(entry + 8);
                    for (int k = 0; k < count; k++) {
                        versions.computeIfAbsent(file, f -> new TreeSet<>()).add(string(elf, strtab + b.getInt(aux + 8)));
                        aux += b.getInt(aux + 12);
                    }
                    int next = b.getInt(entry + 12);
                    if (next == 0) {
                        break;
                    }
                    entry += next;
                }
            }
        }
        return new ElfVersionNeeds(List.copyOf(needed), versions);
    }

    /** The newest {@code GLIBC_x.y} version needed from any library, empty when none is. */
    public Optional<String> newestGlibc() {
        return versions.values().stream().flatMap(TreeSet::stream).filter(v -> v.startsWith("GLIBC_"))
                .max(ElfVersionNeeds::compareVersions);
    }

    /** Whether every GLIBC_ version needed is at most {@code glibc} (e.g. "2.34"). */
    public boolean runsOnGlibc(String glibc) {
        return newestGlibc().map(v -> compareVersions(v, "GLIBC_" + glibc) <= 0).orElse(true);
    }

    static int compareVersions(String a, String b) {
        String[] x = a.substring(a.indexOf('_') + 1).split("\\.");
        String[] y = b.substring(b.indexOf('_') + 1).split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static String string(byte[] elf, int at) {
        int end = at;
        while (elf[end] != 0) {
            end++;
        }
        return new String(elf, at, end - at, StandardCharsets.US_ASCII);
    }
}
