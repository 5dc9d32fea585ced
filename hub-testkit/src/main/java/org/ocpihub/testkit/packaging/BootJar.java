package org.ocpihub.testkit.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * What a Spring Boot executable jar ships, for tests that check a jar's contents (issue 8 item 1): its nested
 * libraries ({@code BOOT-INF/lib/*.jar}, by file name, e.g. {@code kafka-clients-4.2.1.jar}) and every entry of the
 * jar and of each nested library, each with where it came from.
 *
 * @param file       the jar
 * @param startClass the manifest's {@code Start-Class} (the application's main class), or null
 * @param libraries  file names under {@code BOOT-INF/lib/}, in the jar's order
 * @param entries    every entry: the jar's own (origin {@link #OWN}, path as in the jar, e.g.
 *                   {@code BOOT-INF/classes/org/ocpihub/app/HubApplication.class}) and each nested library's (origin
 *                   the library's file name, path inside it, e.g. {@code org/ocpihub/embedded/Directories.class})
 */
public record BootJar(Path file, String startClass, List<String> libraries, List<Entry> entries) {

    /** Origin of the jar's own entries. */
    public static final String OWN = "";

    private static final String LIB = "BOOT-INF/lib/";
    private static final String CLASSES = "BOOT-INF/classes/";

    /** One entry (file or folder) and where it is: {@link #OWN} or the nested library's file name. */
    public record Entry(String origin, String path) {

        /**
         * The path as the class loader sees it, or null: a nested library's path as is; of the jar's own entries, those
         * under {@code BOOT-INF/classes/} without that prefix, the rest of {@code BOOT-INF/} null (libraries, indexes),
         * anything else as is ({@code java -jar} puts the jar's root on the class path: the loader, and the
         * {@code META-INF/} the repackaging keeps there, e.g. the application's own {@code spring.factories}).
         */
        public String classPath() {
            if (!origin.isEmpty() || !path.startsWith("BOOT-INF/")) {
                return path;
            }
            return path.startsWith(CLASSES) ? path.substring(CLASSES.length()) : null;
        }

        @Override
        public String toString() {
            return origin.isEmpty() ? path : origin + "!/" + path;
        }
    }

    /**
     * Reads the jar and every nested library.
     *
     * @throws UncheckedIOException when the jar cannot be read
     */
    public static BootJar read(Path file) {
        List<String> libraries = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        try (JarFile jar = new JarFile(file.toFile())) {
            Manifest manifest = jar.getManifest();
            String startClass = manifest == null ? null : manifest.getMainAttributes().getValue("Start-Class");
            Enumeration<? extends ZipEntry> all = jar.entries();
            while (all.hasMoreElements()) {
                ZipEntry entry = all.nextElement();
                entries.add(new Entry(OWN, entry.getName()));
                if (entry.getName().startsWith(LIB) && entry.getName().endsWith(".jar")) {
                    String library = entry.getName().substring(LIB.length());
                    libraries.add(library);
                    try (InputStream in = jar.getInputStream(entry); ZipInputStream nested = new ZipInputStream(in)) {
                        for (ZipEntry inner; (inner = nested.getNextEntry()) != null; ) {
                            entries.add(new Entry(library, inner.getName()));
                        }
                    }
                }
            }
            return new BootJar(file, startClass, List.copyOf(libraries), List.copyOf(entries));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The nested libraries whose file name starts with {@code prefix} (e.g. {@code "scala-"}). */
    public List<String> librariesStartingWith(String prefix) {
        return libraries.stream().filter(name -> name.startsWith(prefix)).toList();
    }

    /** Entries the class loader would see under {@code prefix} (e.g. {@code "org/ocpihub/testkit/"}), anywhere. */
    public List<Entry> onClassPathUnder(String prefix) {
        return matching(e -> e.classPath() != null && e.classPath().startsWith(prefix));
    }

    /** Entries, the jar's own or nested, whose path ends with {@code suffix} (e.g. {@code ".txz"}). */
    public List<Entry> endingWith(String suffix) {
        return matching(e -> e.path().endsWith(suffix));
    }

    private List<Entry> matching(Predicate<Entry> test) {
        return entries.stream().filter(test).toList();
    }
}
