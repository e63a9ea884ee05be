package io.suho.docs;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles documentation snippets, each as one compilation unit in a package of its own, in one javac run, and
 * maps every error back to the Markdown line it comes from.
 */
final class SnippetCompiler {

    private SnippetCompiler() {
    }

    /**
     * Compiles {@code snippets} against {@code classpath} into {@code out}.
     *
     * @return the errors of each snippet, keyed by the snippet; a snippet without errors maps to an empty list
     */
    static Map<MarkdownSnippets.Snippet, List<String>> compile(
            List<MarkdownSnippets.Snippet> snippets, String classpath, Path out) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler: run the docs tests on a JDK, not a JRE");
        }
        Map<MarkdownSnippets.Snippet, List<String>> errors = new LinkedHashMap<>();
        Map<URI, MarkdownSnippets.Snippet> byUri = new LinkedHashMap<>();
        List<JavaFileObject> units = new ArrayList<>();
        for (MarkdownSnippets.Snippet snippet : snippets) {
            errors.put(snippet, new ArrayList<>());
            SnippetSource source = new SnippetSource(snippet);
            byUri.put(source.toUri(), snippet);
            units.add(source);
        }
        if (units.isEmpty()) {
            return errors;
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("--release", "17", "-proc:none", "-encoding", "UTF-8",
                "-classpath", classpath, "-d", out.toString());
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            javac.getTask(null, files, diagnostics, options, null, units).call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            MarkdownSnippets.Snippet snippet = d.getSource() == null ? null : byUri.get(d.getSource().toUri());
            String message = d.getMessage(Locale.ROOT);
            if (snippet == null) {
                throw new IllegalStateException("javac error outside any snippet: " + message);
            }
            long line = d.getLineNumber() == Diagnostic.NOPOS ? snippet.firstLine()
                    : snippet.firstLine() + d.getLineNumber() - 1;
            errors.get(snippet).add(snippet.doc() + ":" + line + ": " + message);
        }
        return errors;
    }

    /** The classpath surefire/failsafe run the tests with (not the manifest-only booter jar). */
    static String testClasspath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        return String.join(File.pathSeparator, cp.split(File.pathSeparator));
    }

    /** A snippet as an in-memory source; the package line is prepended on line 1 so line numbers stay. */
    private static final class SnippetSource extends SimpleJavaFileObject {
        private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
        private final String code;

        SnippetSource(MarkdownSnippets.Snippet snippet) {
            super(URI.create("string:///" + snippet.packageName().replace('.', '/') + "/Snippet.java"),
                    Kind.SOURCE);
            this.code = withPackage(snippet.packageName(), snippet.code());
        }

        /**
         * The block in its own package: a {@code package} line the block has is replaced in place, otherwise one is
         * prepended to line 1; line numbers stay those of the block either way.
         */
        static String withPackage(String packageName, String code) {
            Matcher declared = PACKAGE.matcher(code);
            if (declared.find()) {
                return code.substring(0, declared.start(1)) + packageName + code.substring(declared.end(1));
            }
            return "package " + packageName + "; " + code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }

        @Override
        public boolean isNameCompatible(String simpleName, Kind kind) {
            // a block's public class may have any name: it is not read from a file named after it
            return true;
        }
    }
}
